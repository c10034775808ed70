"""Admin building blocks shared by the apps: base classes, a paginator, a filter.

Nothing here knows about claims or sources; the apps' admin modules say which
of their tables are big and which relations to count.
"""

import logging

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.paginator import Paginator
from django.db import IntegrityError, connections, models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.http import Http404, HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

logger = logging.getLogger(__name__)

# Every model has them (sources.models.TimeStampedModel); shown, never edited.
AUDIT_FIELDS = ("created_at", "updated_at")
RECORD_FIELDSET = ("Record", {"fields": AUDIT_FIELDS, "classes": ("collapse",)})


def planner_row_estimate(queryset) -> int | None:
    """The PostgreSQL planner's row count for the queryset's table, if it stands for one.

    Only an unfiltered, undistinct, ungrouped query over one table has as many
    rows as the table; for anything else, and on other databases, return None.
    The estimate is pg_class.reltuples, refreshed by ANALYZE (autovacuum); it is
    -1 for a table never analysed.
    """
    query = queryset.query
    if query.where or query.distinct or query.combinator or query.is_sliced:
        return None
    if query.group_by is not None:
        return None
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)",
            [connection.ops.quote_name(queryset.model._meta.db_table)],
        )
        row = cursor.fetchone()
    if row is None or row[0] is None or row[0] < 0:
        return None
    return int(row[0])


class EstimatedCountPaginator(Paginator):
    """Counts the rows of an unfiltered big-table list from the planner's statistics.

    COUNT(*) reads every row on PostgreSQL, so an unfiltered changelist of a
    table with millions of rows would spend most of its time counting. With a
    filter or a search the count is exact (it runs over the rows that match);
    on SQLite it is always exact. Below ``exact_count_below`` rows a real count
    is cheap, and right even when the statistics lag behind recent inserts.
    """

    exact_count_below = 10_000

    @cached_property
    def count(self) -> int:
        estimate = planner_row_estimate(self.object_list)
        if estimate is not None and estimate >= self.exact_count_below:
            return estimate
        return super().count


def related_count(model, lookup: str, *, condition: Q | None = None) -> Subquery:
    """Count the distinct rows reached through ``lookup`` from each listed row (those
    meeting ``condition``, when given).

    A subquery per listed row rather than ``Count()`` on the list itself: an
    aggregate there groups the whole joined table before the page is cut, a
    subquery only runs for the rows shown. Going through the relation name
    keeps the counting app free of imports from the app that defines it.
    """
    return Subquery(
        model._default_manager.filter(pk=OuterRef("pk"))
        .order_by()
        .annotate(related_count=Count(lookup, distinct=True, filter=condition or None))
        .values("related_count")
    )


class RelatedWithRowsFilter(admin.RelatedFieldListFilter):
    """Offer only the related rows that some listed row points at.

    Like RelatedOnlyFieldListFilter, but asks each candidate "is there a row
    pointing at you?" (an index probe per candidate) instead of collecting the
    DISTINCT values of the whole listed table on every page load.
    """

    def field_choices(self, field, request, model_admin):
        pointing = model_admin.model._default_manager.filter(**{self.field_path: OuterRef("pk")})
        return field.get_choices(
            include_blank=False,
            ordering=self.field_admin_ordering(field, request, model_admin),
            limit_choices_to=Q(Exists(pointing)),
        )


def integrity_error_message(error: IntegrityError) -> str:
    """The message of the named constraint the database reports, or a general one."""
    text = str(error)
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if constraint.name in text:
                return str(constraint.get_violation_error_message())
    return "The database refused the change because it conflicts with data already saved."


class FactcheckAdmin(SimpleHistoryAdmin):
    """Audit history on every page, and no extra count of the whole table per list."""

    show_full_result_count = False
    # An address typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # Nothing is deleted while records protect it, whatever one's permissions:
            # name those records instead of asking for the right to delete them.
            perms_needed = set()
        return deleted, model_count, perms_needed, protected

    # A record's history is seen by those who may see the record (get_queryset): by
    # itself, django-simple-history would show the history of any id.

    def history_view(self, request, object_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._visible_or_404(request, object_id)
        records = self.get_history_queryset(
            request, self.model.history, self.model._meta.pk.attname, unquote(object_id)
        )
        if not records.filter(history_id=version_id).exists():
            raise Http404("No such version.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _visible_or_404(self, request, object_id) -> None:
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("No such record.")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError as error:
            # The forms check the constraints first, so what reaches the database is
            # a race with another save, or rows of one save trading places (two
            # appearances swapping spans). The view's transaction has rolled back,
            # so nothing of this save was written.
            logger.warning("Admin save refused by the database: %s", error)
            self.message_user(
                request,
                f"Nothing was saved. {integrity_error_message(error)} "
                "Someone may have saved a conflicting change just now; check and try again.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())


class BigTableAdmin(FactcheckAdmin):
    """For tables that grow without bound: no full COUNT(*), no filter counts."""

    paginator = EstimatedCountPaginator
    # Facet counts run one COUNT per filter choice over the filtered table.
    show_facets = admin.ShowFacets.NEVER


def clipped(text, width: str = "wide") -> str:
    """A list cell's long text on one line, cut with an ellipsis to the column's width
    (factcheck/static/factcheck/admin.css: ``clip-narrow``, ``clip-wide``), the whole
    of it in the tooltip, so that a list fits the screen beside the sidebar."""
    text = "" if text is None else str(text)
    if not text:
        return "—"
    return format_html('<span class="clip clip-{}" title="{}">{}</span>', width, text, text)
