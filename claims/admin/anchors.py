from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from claims.admin.forms import AnchoredQuoteForm, AppearanceInlineFormSet
from claims.models import AnchorStatus, Appearance, Evidence, ShownAnchorStatus
from claims.read.context import quote_in_context, sources_of, with_context
from claims.read.visibility import children_visible_to
from claims.services import (
    APPEARANCE_EDITABLE_FIELDS,
    EVIDENCE_EDITABLE_FIELDS,
    appearance_create,
    appearance_delete,
    appearance_update,
    evidence_create,
    evidence_delete,
    evidence_update,
)
from factcheck.admin_tools import AUDIT_FIELDS, RECORD_FIELDSET, BigTableAdmin, clipped
from sources.models import Source

ANCHOR_FIELDS = ("exact", "prefix", "suffix", "start", "end")


# Writes, through claims.services: model → (editable fields, create, update, delete).
QUOTE_SERVICES: dict[
    type[Appearance | Evidence],
    tuple[tuple[str, ...], Callable[..., Any], Callable[..., Any], Callable[..., None]],
] = {
    Appearance: (
        APPEARANCE_EDITABLE_FIELDS,
        appearance_create,
        lambda quote, data, by: appearance_update(appearance=quote, data=data, by=by),
        lambda quote, by: appearance_delete(appearance=quote, by=by),
    ),
    Evidence: (
        EVIDENCE_EDITABLE_FIELDS,
        evidence_create,
        lambda quote, data, by: evidence_update(evidence=quote, data=data, by=by),
        lambda quote, by: evidence_delete(evidence=quote, by=by),
    ),
}


def take_saved(obj, saved) -> None:
    """Make the admin's unsaved ``obj`` the record a service created from its form,
    for the inlines, the history entry and the redirect that follow."""
    obj.pk = saved.pk
    obj.refresh_from_db()
    obj._state.adding = False


def save_quote(form, *, claim=None, by) -> None:
    """One appearance or evidence form's changes (or new record), through its service.

    Updates are applied to the stored record: the form's instance already holds
    the edited values, and the service compares with what is stored.
    """
    model = form._meta.model
    editable, create, update, _ = QUOTE_SERVICES[model]
    if form.instance.pk is None:
        fields = {name: form.cleaned_data[name] for name in editable if name in form.cleaned_data}
        form.instance = create(claim=claim or form.cleaned_data["claim"], by=by, **fields)
        return
    changed = {name: form.cleaned_data[name] for name in form.changed_data if name in editable}
    form.instance = update(model.objects.get(pk=form.instance.pk), changed, by)


def delete_quote(quote, *, by) -> None:
    QUOTE_SERVICES[type(quote)][3](quote, by)


def save_quotes(formset, *, by) -> None:
    """An inline of appearances or evidence: deleted rows, then changed ones, then new
    ones, each through its service. Fills in what formset.save() would for the
    admin's change message."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.initial_forms:
        if formset.can_delete and formset._should_delete_form(form):
            delete_quote(form.instance, by=by)
            formset.deleted_objects.append(form.instance)
        elif form.has_changed():
            save_quote(form, by=by)
            formset.changed_objects.append((form.instance, form.changed_data))
    for form in formset.extra_forms:
        if form.has_changed() and not (formset.can_delete and formset._should_delete_form(form)):
            save_quote(form, claim=formset.instance, by=by)
            formset.new_objects.append(form.instance)


class AnchorStatusFilter(admin.SimpleListFilter):
    """Anchored, orphaned, or by address only (no quote: never listed as anchored).
    Its parameter is the one the orphan links use (anchor_status__exact=orphaned)."""

    title = "anchor"
    parameter_name = "anchor_status__exact"

    def lookups(self, request, model_admin):
        return ShownAnchorStatus.choices

    def queryset(self, request, queryset):
        match self.value():
            case ShownAnchorStatus.ORPHANED:
                return queryset.filter(anchor_status=AnchorStatus.ORPHANED)
            case ShownAnchorStatus.ANCHORED:
                return queryset.filter(anchor_status=AnchorStatus.ANCHORED, start__isnull=False)
            case ShownAnchorStatus.ADDRESS_ONLY:
                return queryset.filter(anchor_status=AnchorStatus.ANCHORED, start__isnull=True)
        return queryset


class AnchorStatusMixin:
    @admin.display(description="anchor")
    def anchor_state(self, anchored):
        """Orphans say why; an editor fixes one by editing its quote or offsets here, or
        by selecting it again on the source's annotate page. A quote-less one is "By
        address only", never "Anchored"."""
        if anchored.is_orphaned:
            return f"Orphaned: {anchored.orphaned_reason}"
        return anchored.get_shown_status_display()

    @admin.display(description="anchor", ordering="anchor_status")
    def anchor_column(self, anchored):
        return anchored.get_shown_status_display()


class KnownSourcesSelect(AutocompleteSelect):
    """The admin's source autocomplete, naming a row's chosen source from ``known``
    (filled once for all the rows of a claim's page) instead of a query per row."""

    known: dict[int, Source] = {}

    def optgroups(self, name, value, attr=None):
        chosen = [v for v in value if v not in (None, "")]
        try:
            sources = [self.known[int(v)] for v in chosen]
        except (KeyError, TypeError, ValueError):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for source in sources:
            options.append(self.create_option(name, source.pk, str(source), True, len(options)))
        return [(None, options, 0)]


class QuoteInline(AnchorStatusMixin, admin.StackedInline):
    """A claim's appearances or evidence on its page: each quote in its sentence, with
    the anchor's fields folded under "Adjust anchor" (open for a new row or an error:
    admin/claims/edit_inline/quotes.html). No empty row waits on the page; "Add
    another" makes one."""

    template = "admin/claims/edit_inline/quotes.html"
    form = AnchoredQuoteForm
    extra = 0
    autocomplete_fields = ("source",)
    readonly_fields = ("in_context", "anchor_state")
    show_change_link = True
    classes = ("quote-inline",)

    def get_queryset(self, request):
        # The row headings name the claim and the source; the context comes cut out of
        # the source's text by the database (claims/read/context.py).
        return with_context(super().get_queryset(request).select_related("claim"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "source":
            kwargs["widget"] = KnownSourcesSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        form: Any = formset.form
        # Absent for a viewer who may not change the quotes: then it is shown as text.
        field = form.base_fields.get("source")
        if field is not None and obj is not None and obj.pk is not None:
            # Each row's source box names its source from one read for all the rows.
            quotes = self.model._default_manager.filter(claim=obj)
            getattr(field.widget, "widget", field.widget).known = sources_of(quotes)
        return formset

    @admin.display(description="in context")
    def in_context(self, quote):
        if quote.pk is None or not hasattr(quote, "context_anchored"):
            return "—"
        return render_quote_in_context(quote_in_context(quote))


def render_quote_in_context(quote) -> str:
    source_url = reverse("admin:sources_source_change", args=[quote.source_id])
    annotate_url = ""
    if not quote.by_address_only:
        page = reverse("admin:sources_source_annotate", args=[quote.source_id])
        annotate_url = f"{page}#{'orphans' if quote.orphaned else quote.key}"
    return render_to_string(
        "admin/claims/quote_in_context.html",
        {"quote": quote, "source_url": source_url, "annotate_url": annotate_url},
    )


# The source is half of the anchor too: a quote moved to another source is looked up there.
ADJUST_ANCHOR: Any = (
    "Adjust anchor",
    {
        "fields": ("source", "exact", ("prefix", "suffix"), ("start", "end"), "anchor_state"),
        "classes": ("collapse",),
    },
)


class AppearanceInline(QuoteInline):
    model = Appearance
    formset = AppearanceInlineFormSet
    fieldsets = (
        (None, {"fields": ("in_context", ("is_first", "note"))}),
        ADJUST_ANCHOR,
    )


class EvidenceInline(QuoteInline):
    model = Evidence
    fieldsets = (
        (None, {"fields": ("in_context", ("stance", "note"))}),
        ADJUST_ANCHOR,
    )


class AnchoredQuoteAdmin(AnchorStatusMixin, BigTableAdmin):
    form = AnchoredQuoteForm
    list_select_related = ("claim", "source")
    autocomplete_fields = ("claim", "source")
    search_fields = ("exact", "note", "claim__label", "source__title")
    readonly_fields = (*AUDIT_FIELDS, "anchor_state")
    # Newest first, by the primary key index; no other column has one to sort by.
    ordering = ("-pk",)
    sortable_by = ()

    def get_queryset(self, request):
        # Only those of claims the viewer may see (claims/read/visibility.py).
        return children_visible_to(super().get_queryset(request), request.user)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.defer("source__text"), may_have_duplicates

    # The list's columns, each on one line: long text cut, the whole in its tooltip.

    @admin.display(description="claim")
    def claim_column(self, anchored):
        return clipped(anchored.claim, "narrow")

    @admin.display(description="source")
    def source_column(self, anchored):
        return clipped(anchored.source)

    @admin.display(description="quote")
    def quote(self, anchored):
        return clipped(anchored.exact)

    @admin.display(description="updated")
    def updated_column(self, anchored):
        """The day, to keep the list narrow; the time in the tooltip."""
        return format_html(
            '<span title="{}">{}</span>',
            f"{timezone.localtime(anchored.updated_at):%Y-%m-%d %H:%M}",
            f"{timezone.localtime(anchored.updated_at):%Y-%m-%d}",
        )

    # Writes, through claims.services (which raise the claim's version).

    def save_model(self, request, obj, form, change):
        save_quote(form, by=request.user)
        if not change:
            take_saved(obj, form.instance)

    def delete_model(self, request, obj):
        delete_quote(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        # One by one: each raises its claim's version, and Appearance.delete() hands
        # the first mark on to another appearance of the claim.
        for quote in queryset:
            delete_quote(quote, by=request.user)


@admin.register(Appearance)
class AppearanceAdmin(AnchoredQuoteAdmin):
    # The offsets are on each appearance's page; the quote's tooltip is the whole of it.
    list_display = (
        "claim_column",
        "source_column",
        "quote",
        "anchor_column",
        "is_first",
        "updated_column",
    )
    list_filter = (AnchorStatusFilter, "is_first", "source__outlet", "created_at")
    fieldsets = (
        (None, {"fields": ("claim", "source", "is_first")}),
        ("Anchor", {"fields": (*ANCHOR_FIELDS, "anchor_state", "note")}),
        RECORD_FIELDSET,
    )


@admin.register(Evidence)
class EvidenceAdmin(AnchoredQuoteAdmin):
    list_display = (
        "claim_column",
        "source_column",
        "stance",
        "quote",
        "anchor_column",
        "updated_column",
    )
    list_filter = (AnchorStatusFilter, "stance", "source__outlet", "created_at")
    fieldsets = (
        (None, {"fields": ("claim", "source", "stance")}),
        ("Quote", {"fields": (*ANCHOR_FIELDS, "anchor_state", "note")}),
        RECORD_FIELDSET,
    )
