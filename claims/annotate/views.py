"""The annotate page and the endpoints behind its buttons, as admin views of a source.

Mixed into the source's ModelAdmin (claims.admin.annotate), so that every URL
goes through admin_site.admin_view: staff login, CSRF protection, and the
request's user on every history row. Permissions follow the admin's: viewing
the source and its claims shows the page; each button needs the add (or change)
permission of what it writes, and its endpoint answers 403 without it.
"""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import Media
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse

from claims.annotate.forms import (
    AttachForm,
    ClaimFromSelectionForm,
    EvidenceForm,
    RepairForm,
)
from claims.annotate.page import anchor_key, page_context
from claims.annotate.speakers import suggest_speakers
from claims.models import Appearance, Claim, Evidence
from claims.services import anchor_repair
from factcheck.forms import add_service_errors
from sources.anchoring import CONTEXT_LENGTH

# Button → (form, the permissions it takes, what the success message says).
ACTIONS = {
    "claim": (
        ClaimFromSelectionForm,
        ("claims.add_claim", "claims.add_appearance"),
        "Claim “{claim}” created, appearing at {start}–{end}.",
    ),
    "attach": (
        AttachForm,
        ("claims.add_appearance",),
        "“{claim}” now also appears at {start}–{end}.",
    ),
    "evidence": (
        EvidenceForm,
        ("claims.add_evidence",),
        "Evidence for “{claim}” recorded at {start}–{end}.",
    ),
    # The change permission of the quote's own model: see REPAIR_PERMISSIONS.
    "repair": (RepairForm, (), "The quote of “{claim}” is anchored again at {start}–{end}."),
}
REPAIR_PERMISSIONS = {"a": "claims.change_appearance", "e": "claims.change_evidence"}


# The page's own script and style, after the admin's and the autocomplete widgets'.
PAGE_MEDIA = Media(css={"all": ["claims/annotate.css"]}, js=["claims/annotate.js"])


if TYPE_CHECKING:  # a mixin for the source admin (claims.admin.annotate)
    from sources.admin import SourceAdmin as _SourceAdmin
else:
    _SourceAdmin = object


class AnnotateViews(_SourceAdmin):
    """For a ModelAdmin of sources."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/annotate/",
                view(self.annotate_view),
                name="sources_source_annotate",
            ),
            path(
                "<path:object_id>/annotate/speakers/",
                view(self.speaker_suggestions_view),
                name="sources_source_annotate_speakers",
            ),
            path(
                "<path:object_id>/annotate/<str:action>/",
                view(self.annotate_action_view),
                name="sources_source_annotate_action",
            ),
            *super().get_urls(),
        ]

    def _annotated_source(self, request, object_id):
        source = self.get_object(request, unquote(object_id))
        if source is None:
            raise Http404("No such source.")
        claims_admin = self.admin_site.get_model_admin(Claim)
        if not (
            self.has_view_or_change_permission(request, source)
            and claims_admin.has_view_or_change_permission(request)
        ):
            raise PermissionDenied
        return source

    def _allowed(self, request) -> dict[str, bool]:
        has = request.user.has_perms
        return {
            "claim": has(ACTIONS["claim"][1]),
            "attach": has(ACTIONS["attach"][1]),
            "evidence": has(ACTIONS["evidence"][1]),
            "repair": any(has([p]) for p in REPAIR_PERMISSIONS.values()),
        }

    def annotate_view(self, request, object_id, bound=None):
        source = self._annotated_source(request, object_id)
        allowed = self._allowed(request)
        forms = {
            name: form_class(source=source, prefix=name)
            for name, (form_class, _, _) in ACTIONS.items()
            if allowed[name]
        }
        if bound is not None:
            forms[bound.prefix] = bound
        media = self.media
        for form in forms.values():
            media += form.media
        context = {
            **self.admin_site.each_context(request),
            **page_context(source, request.user),
            "title": f"Annotate: {source}",
            "opts": self.opts,
            "original": source,
            "forms": forms,
            "open_form": bound.prefix if bound is not None else "",
            "allowed": allowed,
            "can_edit": any(allowed.values()),
            "context_length": CONTEXT_LENGTH,
            "media": media + PAGE_MEDIA,
        }
        return TemplateResponse(request, "admin/claims/annotate/page.html", context)

    def annotate_action_view(self, request, object_id, action):
        if action not in ACTIONS:
            raise Http404("No such action.")
        if request.method != "POST":
            return HttpResponseRedirect(self._page_url(object_id))
        source = self._annotated_source(request, object_id)
        if not self._allowed(request)[action]:
            raise PermissionDenied
        form_class, _, done = ACTIONS[action]
        form = form_class(request.POST, source=source, prefix=action)
        if form.is_valid():
            try:
                with transaction.atomic():
                    quote = self._perform(request, action, form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                self.message_user(
                    request,
                    done.format(claim=quote.claim, start=quote.start, end=quote.end),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(f"{self._page_url(object_id)}#{anchor_key(quote)}")
        return self.annotate_view(request, object_id, bound=form)

    def _perform(self, request, action, form):
        if action == "repair":
            return self._repair(request, form)
        wants_new_speaker = action == "claim" and form.cleaned_data["new_speaker"].strip()
        if wants_new_speaker and not request.user.has_perm("claims.add_speaker"):
            raise ValidationError({"new_speaker": "You may not add speakers; pick a known one."})
        return form.save(by=request.user)

    def _repair(self, request, form):
        key = form.cleaned_data["quote"]
        if not request.user.has_perm(REPAIR_PERMISSIONS[key[0]]):
            raise PermissionDenied
        model = Appearance if key[0] == "a" else Evidence
        quote = model.objects.filter(pk=int(key[1:]), source=form.source).first()
        if quote is None:
            raise ValidationError("That quote is not in this source any more.")
        anchor = form.anchor
        return anchor_repair(
            quote=quote, exact=anchor.exact, start=anchor.start, end=anchor.end, by=request.user
        )

    def speaker_suggestions_view(self, request, object_id):
        source = self._annotated_source(request, object_id)
        try:
            start, end = int(request.GET["start"]), int(request.GET["end"])
        except (KeyError, ValueError):
            return JsonResponse({"error": "Give start and end offsets."}, status=400)
        if not 0 <= start <= end <= len(source.text):
            return JsonResponse({"error": "The offsets are outside the text."}, status=400)
        suggestions = suggest_speakers(source.text, start, end)
        return JsonResponse(
            {
                "results": [
                    {"id": s.speaker.pk, "text": s.speaker.name, "matched": s.matched}
                    for s in suggestions
                ]
            }
        )

    def _page_url(self, object_id) -> str:
        return reverse("admin:sources_source_annotate", args=[object_id])
