from typing import cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from factcheck.admin_tools import (
    AUDIT_FIELDS,
    RECORD_FIELDSET,
    BigTableAdmin,
    FactcheckAdmin,
    clipped,
    related_count,
)
from factcheck.api.links import Links
from jobs.admin import job_link
from sources.anchoring import as_stored
from sources.intake.forms import ImportForm
from sources.intake.importing import ImportFailed, import_text
from sources.intake.jobs import annotate_path, start_file_import, start_url_import
from sources.models import Outlet, Source


@admin.register(Outlet)
class OutletAdmin(FactcheckAdmin):
    list_display = ("name", "kind", "homepage", "source_count", "updated_at")
    list_filter = ("kind",)
    search_fields = ("name", "homepage")
    readonly_fields = AUDIT_FIELDS
    fieldsets = (
        (None, {"fields": ("name", "kind", "homepage", "reliability_note")}),
        RECORD_FIELDSET,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(source_count=related_count(Outlet, "sources"))

    @admin.display(description="sources", ordering="source_count")
    def source_count(self, outlet):
        return outlet.source_count


class HasTextFilter(admin.SimpleListFilter):
    title = "stored text"
    parameter_name = "has_text"

    def lookups(self, request, model_admin):
        return (("yes", "Has text"), ("no", "Metadata only"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.with_text()
        if self.value() == "no":
            return queryset.filter(text="")
        return queryset


class SourceForm(forms.ModelForm):
    """Saves the text as it was unless the editor changed it.

    Browsers send a textarea's line breaks as CRLF, and form fields strip edge
    white space: either would change a stored text (its hash, and the offsets
    anchors count) on every save of the page.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "text" in self.fields:
            cast(forms.CharField, self.fields["text"]).strip = False

    def clean_text(self):
        return as_stored(self.cleaned_data["text"], text=self.instance.text)


@admin.register(Source)
class SourceAdmin(BigTableAdmin):
    form = SourceForm
    list_display = (
        "title_column",
        "outlet_column",
        "kind_column",
        "published_at",
        "language",
        "has_text",
        "claim_count",
    )
    list_select_related = ("outlet",)
    list_filter = ("outlet", "kind", "language", HasTextFilter, "published_at")
    # Sorting by a column without an index sorts the whole table for every page.
    sortable_by = ("published_at",)
    search_fields = ("title", "url", "authors", "outlet__name")
    autocomplete_fields = ("outlet",)
    readonly_fields = (*AUDIT_FIELDS, "content_hash")
    fieldsets = (
        (
            None,
            {"fields": ("title", "url", "retrieved_from", "outlet", "kind", "authors", "language")},
        ),
        ("Dates", {"fields": ("published_at", "retrieved_at")}),
        ("Text", {"fields": ("text", "content_hash")}),
        RECORD_FIELDSET,
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                has_text=ExpressionWrapper(~Q(text=""), output_field=BooleanField()),
                # "appearances" is the relation that claims registers on Source.
                claim_count=related_count(Source, "appearances__claim"),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        # Lists and autocomplete show titles, never the text, which can run to
        # hundreds of kilobytes per source.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.defer("text"), may_have_duplicates

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="sources_source_import"), *super().get_urls()]

    def import_view(self, request):
        """Import a source from a web address or a file (a job), or from pasted text."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = ImportForm(
            request.POST if posted else None,
            request.FILES if posted else None,
            admin_site=self.admin_site,
        )
        if posted and form.is_valid():
            redirect = self._import(request, form)
            if redirect is not None:
                return redirect
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import a source",
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/sources/source/import.html", context)

    def _import(self, request, form: ImportForm):
        data, links = form.cleaned_data, Links(request)
        if data["text"]:
            try:
                outcome = import_text(
                    data["text"], title=data["title"], outlet=data["outlet"], user=request.user
                )
            except ImportFailed as error:
                form.add_error(None, str(error))
                return None
            self.message_user(request, f"The pasted text is {outcome.action}: “{outcome.source}”.")
            return HttpResponseRedirect(annotate_path(outcome.source))
        if data["url"]:
            job = start_url_import(data["url"], user=request.user, links=links)
        else:
            upload = data["file"]
            job = start_file_import(
                upload.name,
                upload.read(),
                upload.kind,
                user=request.user,
                links=links,
                title=data["title"],
            )
        self.message_user(
            request,
            format_html(
                "Importing in the background: {}. Its page links to the source when it is done.",
                job_link(job),
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[job.pk]))

    # The list's columns, each on one line: long text cut, the whole in its tooltip.

    @admin.display(description="title")
    def title_column(self, source):
        return clipped(source.title)

    @admin.display(description="outlet")
    def outlet_column(self, source):
        return clipped(source.outlet, "narrow")

    @admin.display(description="kind")
    def kind_column(self, source):
        return clipped(source.get_kind_display(), "narrow")

    @admin.display(description="text", boolean=True)
    def has_text(self, source):
        return source.has_text

    @admin.display(description="claims")
    def claim_count(self, source):
        return source.claim_count
