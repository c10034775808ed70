"""Has this been checked before? ``GET /api/v1/claims/similar/?text=…`` and
``GET /api/v1/claims/{id}/similar/``: the claims most likely to state the same thing
(claims/read/similar.py), each as the claims list shows it, with its score and the
reasons for it. Anyone may ask; each viewer is matched against the claims they may
see."""

import string

from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.api.schema import ClaimSerializer
from claims.models import Claim
from claims.read.builders import CLAIM_COLUMNS, CLAIM_TIMESTAMPS, ClaimBuilder
from claims.read.similar import (
    MAX_LIMIT,
    Match,
    SimilarInputError,
    checked_limit,
    similar_claims,
    similar_to_claim,
    suggest_threshold,
)
from claims.read.visibility import claims_visible_to, sees_unpublished
from factcheck.api.links import Links
from factcheck.api.views import refuse_unknown_params
from factcheck.languages import primary_language

SIMILAR_RESPONSE = inline_serializer(
    "SimilarClaims",
    {
        "results": inline_serializer(
            "SimilarClaim",
            {
                "claim": ClaimSerializer(),
                "score": serializers.FloatField(help_text="0 to 1: how likely the same claim."),
                "reasons": serializers.ListField(child=serializers.CharField()),
            },
            many=True,
        ),
        "threshold": serializers.FloatField(
            help_text="Scores from this one up are probably the same claim."
        ),
    },
)
LIMIT = OpenApiParameter(
    "limit",
    {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
    description=f"How many claims, 1 to {MAX_LIMIT} (5).",
)
# The two-letter tags of the languages the server knows (any BCP 47 tag of a known
# language is taken, en-GB as en; the schema lists the primary ones).
LANGUAGES = sorted(
    code
    for first in string.ascii_lowercase
    for second in string.ascii_lowercase
    if (code := first + second) == primary_language(code)
)
ERRORS = {400: OpenApiResponse(description="An empty or too long text, or a bad parameter.")}


class _SimilarView(APIView):
    permission_classes = [AllowAny]

    query_params: frozenset[str] = frozenset({"limit"})

    def answer(self, request, find) -> Response:
        refuse_unknown_params(request, self.query_params)
        try:
            matches = find(checked_limit(request.query_params.get("limit", 5)))
        except SimilarInputError as error:
            raise ValidationError({error.field: [str(error)]}) from None
        return Response({"results": self._built(matches), "threshold": suggest_threshold()})

    def _built(self, matches: list[Match]) -> list[dict]:
        ids = [match.claim.pk for match in matches]
        rows = {
            row["id"]: row
            for row in Claim.objects.filter(pk__in=ids).values(*CLAIM_COLUMNS, **CLAIM_TIMESTAMPS)
        }
        public = not sees_unpublished(self.request.user)
        claims = ClaimBuilder(Links(self.request), public=public, as_of=None).build(
            [rows[pk] for pk in ids if pk in rows]
        )
        by_id = {claim["id"]: claim for claim in claims}
        return [
            {"claim": by_id[match.claim.pk], "score": match.score, "reasons": list(match.reasons)}
            for match in matches
            if match.claim.pk in by_id
        ]


class SimilarClaimsView(_SimilarView):
    query_params = frozenset({"text", "language", "limit"})

    @extend_schema(
        operation_id="claims_similar",
        parameters=[
            OpenApiParameter(
                "text",
                {"type": "string", "pattern": r"\S", "maxLength": settings.MATCH_MAX_CHARS},
                required=True,
                description="The claim.",
            ),
            OpenApiParameter(
                "language",
                {"type": "string", "enum": LANGUAGES},
                description="Its BCP 47 tag (en, fr, es-419…).",
            ),
            LIMIT,
        ],
        responses={200: SIMILAR_RESPONSE, **ERRORS},
    )
    def get(self, request):
        """The claims most likely to state what ``text`` states, best first."""
        params = request.query_params
        if "language" in params and not params["language"].strip():
            raise ValidationError({"language": ["Give a value, or leave the parameter out."]})
        return self.answer(
            request,
            lambda limit: similar_claims(
                params.get("text", ""),
                user=request.user,
                language=params.get("language"),
                limit=limit,
            ),
        )


class ClaimSimilarView(_SimilarView):
    @extend_schema(
        operation_id="claims_similar_to",
        parameters=[LIMIT],
        responses={
            200: SIMILAR_RESPONSE,
            404: OpenApiResponse(description="No such claim."),
            **ERRORS,
        },
    )
    def get(self, request, claim_pk: int):
        """The claims most likely to state what this claim states, but those already
        linked to it."""
        claim = claims_visible_to(request.user).filter(pk=claim_pk).first()
        if claim is None:
            raise Http404("No such claim.")
        return self.answer(
            request, lambda limit: similar_to_claim(claim, user=request.user, limit=limit)
        )
