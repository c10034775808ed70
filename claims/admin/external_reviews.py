"""Other organisations' reviews in the admin: their list (with an Import button), and
read-only on each claim's page. They change only by being imported again."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from claims.interchange.jobs import start_review_import
from claims.models import ExternalReview
from claims.read.visibility import children_visible_to
from claims.services.reviews import external_review_as_evidence
from factcheck.admin_tools import AUDIT_FIELDS, BigTableAdmin
from factcheck.api.links import Links
from jobs.admin import job_link
from sources.intake.forms import clean_address, clean_upload

REVIEW_FIELDS = (
    "publisher",
    "review_link",
    "title",
    "reviewed_at",
    "claim_text",
    "textual_rating",
    "rating",
    "rating_value",
    "best_rating",
    "worst_rating",
    "language",
)


def external_reviews_table(claim) -> str:
    """A claim's reviews by other organisations, for its admin page (read-only: they
    change only by being imported again)."""
    if claim is None or claim.pk is None:
        return "–"
    reviews = claim.external_reviews.select_related("publisher", "rating").order_by(
        "-reviewed_at", "id"
    )
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                review.publisher.name,
                _link(review),
                review.textual_rating or "–",
                review.rating.label if review.rating else "unmapped",
                review.reviewed_at.date().isoformat() if review.reviewed_at else "–",
            )
            for review in reviews
        ),
    )
    if not rows:
        return "None imported."
    return format_html(
        "<table><thead><tr><th>publisher</th><th>review</th><th>their rating</th>"
        "<th>on our scale</th><th>date</th></tr></thead><tbody>{}</tbody></table>",
        rows,
    )


def _link(review: ExternalReview) -> str:
    return format_html('<a href="{}" rel="noopener">{}</a>', review.url, review.title or review.url)


class ImportForm(forms.Form):
    url = forms.CharField(
        label="Web address",
        required=False,
        widget=forms.URLInput(attrs={"size": 80}),
        help_text="A ClaimReview feed, a Fact Check Tools API answer, or a page with ClaimReview.",
    )
    file = forms.FileField(required=False, help_text="Or a file of ClaimReview JSON-LD or HTML.")

    def clean_url(self) -> str:
        return clean_address(self.cleaned_data["url"])

    def clean_file(self):
        return clean_upload(self.cleaned_data["file"])

    def clean(self):
        data = super().clean() or {}
        if bool(data.get("url")) == bool(data.get("file")):
            raise forms.ValidationError("Give one of them: a web address or a file.")
        return data


@admin.register(ExternalReview)
class ExternalReviewAdmin(BigTableAdmin):
    list_display = ("claim", "publisher", "textual_rating", "rating", "reviewed_at", "language")
    list_select_related = ("claim", "publisher", "rating")
    list_filter = ("publisher", "rating", ("rating", admin.EmptyFieldListFilter), "language")
    search_fields = ("title", "claim_text", "textual_rating", "url")
    date_hierarchy = "reviewed_at"
    raw_id_fields = ("claim",)
    fields = ("claim", *REVIEW_FIELDS, *AUDIT_FIELDS)
    readonly_fields = (*REVIEW_FIELDS, *AUDIT_FIELDS)
    change_list_template = "admin/claims/externalreview/change_list.html"
    actions = ["cite_as_evidence"]

    @admin.action(description="Cite the selected reviews as evidence on their claims")
    def cite_as_evidence(self, request, queryset):
        if not request.user.has_perm("claims.add_evidence"):
            raise PermissionDenied
        cited = sum(
            external_review_as_evidence(review, by=request.user)
            for review in queryset.select_related("claim", "publisher", "rating")
        )
        self.message_user(request, f"{cited} review(s) cited as evidence on their claims.")

    def get_queryset(self, request):
        return children_visible_to(super().get_queryset(request), request.user)

    def has_add_permission(self, request):
        return False

    @admin.display(description="review")
    def review_link(self, review):
        return _link(review)

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [
            path("import/", view, name="claims_externalreview_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not request.user.has_perm("claims.add_claim"):
            raise PermissionDenied
        posted = request.method == "POST"
        form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
        if posted and form.is_valid():
            upload = form.cleaned_data["file"]
            job = start_review_import(
                user=request.user,
                links=Links(request),
                url=form.cleaned_data["url"],
                name=upload.name if upload else "",
                content=upload.read() if upload else b"",
            )
            self.message_user(
                request,
                format_html("Importing reviews in the background: {}.", job_link(job)),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import ClaimReview",
            "form": form,
        }
        return TemplateResponse(request, "admin/claims/externalreview/import.html", context)
