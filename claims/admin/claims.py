from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from claims.admin.anchors import AppearanceInline, EvidenceInline, save_quotes, take_saved
from claims.admin.exports import EXPORT_ACTIONS
from claims.admin.external_reviews import external_reviews_table
from claims.admin.filters import (
    HasEvidenceFilter,
    OutletFilter,
    SeenReviewStateFilter,
    SeenVerdictFilter,
    SpeakerKindFilter,
    WorkQueueFilter,
)
from claims.admin.forms import ClaimForm, RetractForm, TransitionForm, VerdictForm
from claims.admin.links import save_links_chosen
from claims.admin.ratings import verdict_badge
from claims.models import Claim, ConcurrentEditError, VerdictEntry
from claims.read.history import history_visible
from claims.read.verdicts import public_entries, seen_verdict, with_seen_verdict
from claims.read.visibility import seen_review_state, sees_unpublished, visible
from claims.services import (
    CLAIM_EDITABLE_FIELDS,
    claim_create,
    claim_transition,
    claim_update,
    verdict_record,
)
from factcheck.admin_tools import AUDIT_FIELDS, BigTableAdmin, RelatedWithRowsFilter, clipped
from factcheck.dates import parse_day
from factcheck.forms import add_service_errors

# The front page shows what waits for the signed-in user (claims/read/queue.py).
admin.site.index_template = "admin/claims/index.html"


@admin.register(Claim)
class ClaimAdmin(BigTableAdmin):
    form = ClaimForm
    inlines = (AppearanceInline, EvidenceInline)
    list_display = (
        "label_column",
        "speaker_column",
        "verdict_column",
        "review_state_column",
        "stated_on",
        "updated_at",
    )
    list_filter = (
        WorkQueueFilter,
        SeenReviewStateFilter,
        SeenVerdictFilter,
        ("speaker", RelatedWithRowsFilter),
        SpeakerKindFilter,
        OutletFilter,
        "tags",
        "stated_on",
        "updated_at",
        HasEvidenceFilter,
        "recheck_on",
    )
    # The columns with an index; sorting by another sorts the whole table per page.
    sortable_by = ("review_state", "stated_on", "updated_at")
    search_fields = ("label", "text", "speaker__name", "speaker__aliases")
    autocomplete_fields = ("speaker", "tags")
    # The verdict and the review state change only through claims.services, which
    # hold the newsroom's rules (evidence, the reviewer role, four eyes): see the
    # "Record a verdict" and "Change review state" pages below.
    readonly_fields = (
        *AUDIT_FIELDS,
        "version",
        "verdict_column",
        "rationale_column",
        "review_state_column",
        "published_entry",
        "retraction_reason",
        "verdict_timeline",
        "external_reviews",
    )
    # Fields that belong together share a line, so that the page (with its quotes below)
    # reads at a glance.
    fieldsets = (
        (None, {"fields": (("label", "language"), "text", "tags")}),
        (
            "Attribution",
            {"fields": (("speaker", "speaker_role"), ("attribution", "stated_on"))},
        ),
        (
            "Verdict and review",
            {
                "fields": (
                    ("verdict_column", "review_state_column"),
                    "rationale_column",
                    ("published_entry", "recheck_on"),
                    "retraction_reason",
                    "verdict_timeline",
                    "external_reviews",
                )
            },
        ),
        (
            "Record",
            {"fields": (*AUDIT_FIELDS, "version", "loaded_version"), "classes": ("collapse",)},
        ),
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.retraction_reason:
            return fieldsets
        # A retraction reason only says something once the claim has been retracted.
        return [
            (
                name,
                {**options, "fields": [f for f in options["fields"] if f != "retraction_reason"]},
            )
            for name, options in fieldsets
        ]

    # The list's columns, each on one line: long text cut, the whole in its tooltip.

    @admin.display(description="label")
    def label_column(self, claim):
        return clipped(claim.label)

    @admin.display(description="speaker")
    def speaker_column(self, claim):
        return clipped(claim.speaker, "narrow")

    @admin.display(description="other organisations' reviews")
    def external_reviews(self, claim):
        return external_reviews_table(claim)

    def get_queryset(self, request):
        # Who sees which claims, with which verdict: claims/read/visibility.py.
        # The changelist joins no relation of its own once these are joined.
        claims = visible(super().get_queryset(request), request.user).select_related("speaker")
        return with_seen_verdict(claims, public=not sees_unpublished(request.user))

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        records = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return history_visible(records, public=not sees_unpublished(request.user))

    # The verdict, rationale and review state each viewer sees (for a researcher,
    # what reviewers approved), from the claims get_queryset loaded.

    @admin.display(description="verdict")
    def verdict_column(self, claim):
        return verdict_badge(seen_verdict(claim)[0])

    @admin.display(description="rationale")
    def rationale_column(self, claim):
        return seen_verdict(claim)[1]

    @admin.display(description="review state", ordering="review_state")
    def review_state_column(self, claim):
        public = getattr(claim, "seen_as_public", False)
        return Claim.ReviewState(seen_review_state(claim.review_state, public=public)).label

    @admin.display(description="verdict timeline")
    def verdict_timeline(self, claim):
        public = getattr(claim, "seen_as_public", False)
        entries = VerdictEntry.objects.filter(claim=claim)
        if public:
            entries = public_entries(entries)
        entries = entries.in_timeline_order().select_related("rating", "recorded_by")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    f"{entry.holds_from:%Y-%m-%d}",
                    verdict_badge(entry.rating),
                    entry.rationale,
                    # Who in the newsroom recorded it is for the newsroom.
                    "the newsroom" if public else entry.recorded_by or "unknown",
                    f"{timezone.localtime(entry.recorded_at):%Y-%m-%d %H:%M}",
                )
                for entry in entries
            ),
        )
        if not rows:
            return "No verdict recorded yet."
        return format_html(
            '<table class="verdict-timeline"><thead><tr><th scope="col">holds from</th>'
            '<th scope="col">verdict</th><th scope="col">rationale</th>'
            '<th scope="col">recorded by</th><th scope="col">recorded at</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            rows,
        )

    actions = (
        "start_research",
        "send_to_review",
        "publish_selected",
        "retract_selected",
        *EXPORT_ACTIONS,
    )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(
            request,
            object_id,
            form_url,
            {**(extra_context or {}), **self._as_of_context(request, object_id)},
        )

    def _as_of_context(self, request, object_id) -> dict:
        """The verdict on the day asked for with ?as_of=YYYY-MM-DD, for the change page."""
        raw = request.GET.get("as_of", "")
        if not raw:
            return {"as_of_asked": False}
        try:
            day = parse_day(raw)
        except ValueError:
            return {"as_of_asked": True, "as_of_error": f"“{raw}” is not a date (YYYY-MM-DD)."}
        claim = self.get_object(request, unquote(object_id))
        if claim is None:
            return {"as_of_asked": False}
        return {
            "as_of_asked": True,
            "as_of": day,
            "as_of_entry": claim.verdict_as_of(day, public=not sees_unpublished(request.user)),
            "as_of_public_entry": claim.verdict_as_of(day, public=True),
        }

    # Bulk actions: each claim goes through claims.services on its own, so every
    # one is checked by the same rules and gets its own history row.

    def _move_each(self, request, queryset, to: str, reason: str = "") -> None:
        moved, refused = 0, []
        for claim in queryset.order_by("pk"):
            try:
                with transaction.atomic():
                    claim_transition(claim=claim, to=to, by=request.user, reason=reason)
            except (ValidationError, PermissionDenied, ConcurrentEditError) as error:
                why = " ".join(getattr(error, "messages", None) or [str(error)])
                refused.append(f"“{claim}”: {why}")
            else:
                moved += 1
        label = Claim.ReviewState(to).label
        if moved:
            self.message_user(request, f"{moved} claim(s) moved to {label}.", messages.SUCCESS)
        for line in refused:
            self.message_user(request, f"Not moved to {label}: {line}", messages.ERROR)

    def has_publish_permission(self, request):
        return request.user.has_perm("claims.publish_claim")

    def has_retract_permission(self, request):
        return request.user.has_perm("claims.retract_claim")

    @admin.action(description="Start research on selected claims", permissions=["change"])
    def start_research(self, request, queryset):
        self._move_each(request, queryset, Claim.ReviewState.IN_RESEARCH)

    @admin.action(description="Send selected claims to review", permissions=["change"])
    def send_to_review(self, request, queryset):
        self._move_each(request, queryset, Claim.ReviewState.IN_REVIEW)

    @admin.action(description="Publish selected claims", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._move_each(request, queryset, Claim.ReviewState.PUBLISHED)

    @admin.action(description="Retract selected claims…", permissions=["retract"])
    def retract_selected(self, request, queryset):
        form = RetractForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._move_each(
                request, queryset, Claim.ReviewState.RETRACTED, form.cleaned_data["reason"]
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Retract claims",
            "opts": self.opts,
            "claims": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/claims/claim/retract_selected.html", context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEditError:
            # ClaimForm.clean() refuses a stale version; this is the race in which
            # another save lands between that check and ours. claim_update refused it
            # under the row lock, and the view's transaction has rolled back the rest.
            self.message_user(
                request,
                "Someone else saved this claim while you were saving it, so your changes "
                "were not saved. Here is the claim as it is now; make your change again.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    # Saving, through claims.services: the claim's fields (tags among them), then
    # each changed row of the inlines. The change view's transaction holds it all.

    def save_model(self, request, obj, form, change):
        if not change:
            data = {
                name: form.cleaned_data[name]
                for name in CLAIM_EDITABLE_FIELDS
                if name in form.cleaned_data
            }
            take_saved(obj, claim_create(data=data, by=request.user))
            save_links_chosen(self, request, obj)  # "Checked before?" choices
            return
        changed = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in CLAIM_EDITABLE_FIELDS
        }
        saved = claim_update(
            claim=obj,
            data=changed,
            by=request.user,
            expected_version=form.cleaned_data["loaded_version"],
        )
        obj.version, obj.updated_at = saved.version, saved.updated_at

    def save_related(self, request, form, formsets, change):
        # No form.save_m2m(): the tags went through the service with the claim.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        save_quotes(formset, by=request.user)

    # The review workflow, through claims.services

    def get_urls(self):
        return [
            path(
                "<path:object_id>/review-state/",
                self.admin_site.admin_view(self.transition_view),
                name="claims_claim_transition",
            ),
            path(
                "<path:object_id>/verdict/",
                self.admin_site.admin_view(self.verdict_view),
                name="claims_claim_verdict",
            ),
            *super().get_urls(),
        ]

    def transition_view(self, request, object_id):
        def transition(claim, data):
            claim = claim_transition(
                claim=claim,
                to=data["to"],
                by=request.user,
                reason=data["reason"],
                expected_version=data["version"],
            )
            return f"The claim is now {claim.get_review_state_display()}."

        return self._service_view(
            request, object_id, TransitionForm, transition, "Change review state", "Move"
        )

    def verdict_view(self, request, object_id):
        def record(claim, data):
            entry = verdict_record(
                claim=claim,
                rating=data["rating"],
                rationale=data["rationale"],
                evidence=data["evidence"],
                holds_from=data["holds_from"],
                by=request.user,
                expected_version=data["version"],
            )
            return f"Verdict recorded: {entry.rating} from {entry.holds_from:%Y-%m-%d}."

        return self._service_view(
            request, object_id, VerdictForm, record, "Record a verdict", "Record verdict"
        )

    def _service_view(self, request, object_id, form_class, perform, title, submit_label):
        """A small form whose valid input goes to a service; its refusals become form errors."""
        claim = self.get_object(request, unquote(object_id))
        if claim is None:
            raise Http404("No such claim.")
        if not self.has_view_or_change_permission(request, claim):
            raise PermissionDenied
        form = form_class(request.POST or None, claim=claim)
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    done = perform(claim, form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            except (PermissionDenied, ConcurrentEditError) as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, done, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": str(claim),
            "opts": self.opts,
            "original": claim,
            "form": form,
            "submit_label": submit_label,
        }
        return TemplateResponse(request, "admin/claims/claim/service_form.html", context)
