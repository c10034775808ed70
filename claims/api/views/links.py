"""A claim's links to other claims: /claims/{claim_pk}/links/.

Anyone who may see the claim reads its links to claims they may see (the public:
editors' findings, "same" and "related"; the newsroom: suggestions and dismissals
too, with who decided). Editors link: POST {"other", "kind", "note"} records their
decision on the pair through claims.services.links.claim_link_set.

A link is not part of the claim's version (its ETag), as other organisations'
reviews are not: an editor who links a claim while editing it in the admin must
not find their own save refused as stale.
"""

from django.db.models import F, Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissionsOrAnonReadOnly

from claims.api.schema import ClaimLinkSerializer
from claims.api.views.nested import ClaimChildMixin
from claims.models import ClaimLink
from claims.read.links import LINK_COLUMNS, build_links, links_visible_to
from claims.services.links import DECIDED_KINDS, claim_link_set
from factcheck.api import fields
from factcheck.api.views import ResourceViewSet
from factcheck.limits import REASON_ERRORS, REASON_MAX_LENGTH


class ClaimLinkInputSerializer(fields.StrictSerializer):
    other = fields.IntegerField(min_value=1, help_text="The id of the other claim.")
    kind = fields.ChoiceField(
        choices=[(kind.value, kind.label) for kind in DECIDED_KINDS],
        help_text="same: the same claim; related; dismissed: not the same (never suggested again).",
    )
    note = fields.CharField(
        max_length=REASON_MAX_LENGTH,
        error_messages=REASON_ERRORS,
        required=False,
        allow_blank=True,
        default="",
    )


class EditorsLink(DjangoModelPermissionsOrAnonReadOnly):
    """Anyone reads (as far as they may see the claim); linking takes the right to
    change claims (an editor's, a reviewer's), not a permission on links."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("claims.change_claim"))


@extend_schema_view(
    list=extend_schema(responses=ClaimLinkSerializer),
    retrieve=extend_schema(responses=ClaimLinkSerializer),
    create=extend_schema(
        request=ClaimLinkInputSerializer,
        responses={201: ClaimLinkSerializer, 200: ClaimLinkSerializer},
    ),
)
class ClaimLinkViewSet(ClaimChildMixin, ResourceViewSet):
    """The claim's links to other claims, newest first. POST decides a pair: 201 for a
    new link, 200 for a suggestion decided or a decision changed."""

    queryset = ClaimLink.objects.none()
    serializer_class = ClaimLinkInputSerializer
    permission_classes = [EditorsLink]
    http_method_names = ["get", "post", "head", "options"]
    columns = LINK_COLUMNS
    orderings = {"created_at": F("created_at")}
    default_ordering = "-created_at"

    def children(self, claim):
        return links_visible_to(claim.pk, self.request.user)

    def build(self, rows):
        return build_links(rows, claim_id=self.get_claim().pk, public=self.public, links=self.links)

    def create(self, request, *args, **kwargs):
        claim = self.get_claim()  # 404 for a claim the client may not see
        serializer = ClaimLinkInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        pair = Q(claim_id=claim.pk, other_id=data["other"]) | Q(
            claim_id=data["other"], other_id=claim.pk
        )
        existed = ClaimLink.objects.filter(pair).exists()
        with self.as_api_errors():
            link = claim_link_set(
                claim=claim,
                other=data["other"],
                kind=data["kind"],
                note=data["note"],
                by=request.user,
            )
        return self.detail_response(
            link.pk, status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )
