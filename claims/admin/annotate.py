"""The source admin, extended by claims: the annotate page, and the orphaned quotes.

sources.admin knows nothing of claims; claims re-registers the source admin with
the annotate views (claims.annotate) and a warning about quotes that a change
of the text orphaned.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.urls import reverse

from claims.annotate.views import AnnotateViews
from claims.models import AnchorStatus, Appearance, Evidence
from claims.read.visibility import children_visible_to
from claims.suggestions.scoring import DEFAULT_MIN_SCORE
from claims.suggestions.services import is_computed, open_count
from sources.admin import SourceAdmin
from sources.models import Source


def orphan_counts(source: Source, user) -> dict[str, int]:
    """The source's orphaned quotes, of the claims ``user`` may see."""
    orphaned = {"source": source, "anchor_status": AnchorStatus.ORPHANED}
    return {
        "appearances": children_visible_to(Appearance.objects.filter(**orphaned), user).count(),
        "evidence": children_visible_to(Evidence.objects.filter(**orphaned), user).count(),
    }


def orphan_list_url(model, source: Source) -> str:
    changelist = reverse(f"admin:claims_{model._meta.model_name}_changelist")
    return f"{changelist}?source__id__exact={source.pk}&anchor_status__exact=orphaned"


class AnnotatingSourceAdmin(AnnotateViews, SourceAdmin):
    change_form_template = "admin/claims/annotate/source_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        source = self.get_object(request, unquote(object_id))
        extra = {}
        if source is not None:
            counts = orphan_counts(source, request.user)
            extra = {
                "orphan_counts": counts,
                "orphaned_total": sum(counts.values()),
                "orphaned_appearances_url": orphan_list_url(Appearance, source),
                "orphaned_evidence_url": orphan_list_url(Evidence, source),
                "open_suggestions": open_count(source, min_score=DEFAULT_MIN_SCORE)
                if is_computed(source)
                else None,
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        report = getattr(obj, "reanchor_report", None)
        if report is not None and (report.moved or report.restored or report.orphaned):
            level = messages.WARNING if report.orphaned else messages.INFO
            self.message_user(request, f"The text changed: {report}", level)


admin.site.unregister(Source)
admin.site.register(Source, AnnotatingSourceAdmin)
