"""Possible duplicates: the matcher's suggestions of claims that state the same thing,
newest first, each pair side by side, for editors to confirm or dismiss in bulk.

Every decision goes through claims.services.links (who decided, when, audited);
no link is added here: the matcher suggests them, and editors link claims from
"Checked before?" on the claim and annotate pages or through the API.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from claims.admin.ratings import verdict_badge
from claims.models import Claim, ClaimLink
from claims.read.links import links_visible
from claims.read.verdicts import seen_verdict
from claims.read.visibility import sees_unpublished
from claims.services.links import (
    DECIDED_KINDS,
    claim_link_set,
    claim_links_decide,
    claim_links_from_form,
)
from factcheck.admin_tools import AUDIT_FIELDS, BigTableAdmin

Kind = ClaimLink.Kind
ALL = "all"


class KindFilter(admin.SimpleListFilter):
    """By kind; open suggestions unless another kind (or all) is asked for."""

    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [*Kind.choices, (ALL, "All")]

    def value(self):
        return super().value() or Kind.SUGGESTED.value

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value == ALL:
            return queryset
        if value not in Kind.values:
            return queryset.none()
        return queryset.filter(kind=value)


class ClaimLinkForm(forms.ModelForm):
    """An editor's decision on one pair: a suggestion is not a decision."""

    kind = forms.ChoiceField(choices=[(kind.value, kind.label) for kind in DECIDED_KINDS])

    class Meta:
        model = ClaimLink
        fields = ("kind", "note")
        widgets = {"note": forms.Textarea(attrs={"rows": 2, "cols": 60})}


def _claim_cell(claim: Claim, *, public: bool):
    rating, _ = seen_verdict(claim, public=public)
    return format_html(
        '<a href="{}"><strong>{}</strong></a> {}<br><span>{}</span><br><small>{}</small>',
        reverse("admin:claims_claim_change", args=[claim.pk]),
        claim.label,
        verdict_badge(rating),
        Truncator(claim.text).chars(180),
        claim.speaker or "Unattributed",
    )


@admin.register(ClaimLink)
class ClaimLinkAdmin(BigTableAdmin):
    form = ClaimLinkForm
    list_display = (
        "first_claim",
        "second_claim",
        "score_column",
        "reasons_column",
        "kind",
        "created_at",
    )
    list_filter = (KindFilter, "decided_at")
    search_fields = ("claim__label", "claim__text", "other__label", "other__text")
    list_select_related = ("claim__speaker", "other__speaker")
    sortable_by = ("created_at",)
    readonly_fields = (
        "first_claim",
        "second_claim",
        "score_column",
        "reasons_column",
        "decided_by",
        "decided_at",
        *AUDIT_FIELDS,
    )
    fields = (
        "first_claim",
        "second_claim",
        "score_column",
        "reasons_column",
        "kind",
        "note",
        "decided_by",
        "decided_at",
        *AUDIT_FIELDS,
    )
    actions = ("confirm_same", "dismiss")

    def get_queryset(self, request):
        # Each claim with the verdict its viewer sees (claims/read/verdicts.py).
        public = not sees_unpublished(request.user)
        related = "published_entry__rating" if public else "verdict"
        links = (
            super()
            .get_queryset(request)
            .select_related(
                "claim__speaker", "other__speaker", f"claim__{related}", f"other__{related}"
            )
        )
        return links_visible(links, request.user).annotate(seen_as_public=Value(public))

    def changelist_view(self, request, extra_context=None):
        title = "Possible duplicates"
        if request.GET.get(KindFilter.parameter_name, Kind.SUGGESTED) != Kind.SUGGESTED:
            title = "Links between claims"
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request):
        return False

    @admin.display(description="claim")
    def first_claim(self, link):
        return _claim_cell(link.claim, public=link.seen_as_public)

    @admin.display(description="possibly the same as")
    def second_claim(self, link):
        return _claim_cell(link.other, public=link.seen_as_public)

    @admin.display(description="score", ordering="score")
    def score_column(self, link):
        return "—" if link.score is None else f"{link.score:.2f}"

    @admin.display(description="why")
    def reasons_column(self, link):
        return "; ".join(link.reasons) or "—"

    def save_model(self, request, obj, form, change):
        # Through the service, so that who decided and when are recorded as anywhere.
        try:
            claim_link_set(
                claim=obj.claim_id,
                other=obj.other_id,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def _decide(self, request, queryset, kind: str, done: str) -> None:
        try:
            count = claim_links_decide(queryset.order_by("pk"), kind=kind, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(request, f"{count} pair(s) {done}.", messages.SUCCESS)

    @admin.action(description="Confirm: same claim", permissions=["change"])
    def confirm_same(self, request, queryset):
        self._decide(request, queryset, Kind.SAME, "confirmed as the same claim")

    @admin.action(description="Dismiss: not the same claim", permissions=["change"])
    def dismiss(self, request, queryset):
        self._decide(request, queryset, Kind.DISMISSED, "dismissed")


def save_links_chosen(model_admin, request, claim: Claim) -> None:
    """The links an editor chose in "Checked before?" before the claim existed (the
    add page's hidden fields), made now that it does. A bad choice (a claim deleted
    meanwhile) is said, and the claim stays saved."""
    try:
        with transaction.atomic():
            claim_links_from_form(claim=claim, data=request.POST, by=request.user)
    except ValidationError as error:
        model_admin.message_user(
            request,
            f"The claim was saved, but not its links: {' '.join(error.messages)}",
            messages.WARNING,
        )
