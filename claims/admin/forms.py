"""Forms behind the claims admin: how an editor's input is read before the model judges it."""

from typing import cast

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.text import Truncator

from claims.models import AnchorStatus, Appearance, Claim, ConcurrentEditError, Evidence, Rating
from claims.services import allowed_transitions
from claims.services.editing import check_version
from factcheck.limits import REASON_ERRORS, REASON_MAX_LENGTH
from sources.anchoring import as_stored

QUOTE_FIELDS = ("exact", "prefix", "suffix")
POSITION_FIELDS = ("start", "end")


class StoredTextField(forms.CharField):
    """Text kept to the character, which a round trip through the browser leaves alone.

    Browsers send a textarea's line breaks as CRLF; the stored text has LF. And
    the context around a quote keeps its edge spaces.
    """

    def __init__(self, *, strip=False, **kwargs):
        super().__init__(strip=strip, **kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        assert text is not None  # empty_value stays "": the quote fields are not null
        return as_stored(text)


class AnchoredQuoteForm(forms.ModelForm):
    """Reads an edit of one half of an anchor as a new anchor, not as a contradiction.

    A stored anchor shows both halves: the quote (with the text around it) and
    the offsets. An editor who retypes the quote leaves the old offsets in
    their boxes, and those would then contradict the new quote; so whichever
    half the editor left untouched is dropped, and AnchoredQuote.clean() works
    it out again from the half that was edited.

    An orphaned anchor whose quote or offsets the editor changes is taken as
    anchored again, and so resolved in the current text like a new one.
    """

    class Meta:
        field_classes = {"prefix": StoredTextField, "suffix": StoredTextField}
        widgets = {
            "exact": forms.Textarea(attrs={"rows": 2, "cols": 60}),
            "prefix": forms.Textarea(attrs={"rows": 1, "cols": 60}),
            "suffix": forms.Textarea(attrs={"rows": 1, "cols": 60}),
            "note": forms.Textarea(attrs={"rows": 2, "cols": 60}),
        }

    def clean(self):
        cleaned_data = super().clean()
        assert cleaned_data is not None  # ModelForm.clean() returns cleaned_data
        if self.instance.pk is not None and "claim" in self.changed_data:
            self.add_error(
                "claim",
                "A quote stays with its claim. Add it to the other claim instead, and "
                "delete it here if it does not belong.",
            )
        anchor_fields = {"source", *QUOTE_FIELDS, *POSITION_FIELDS}
        was_anchored = self.initial.get("start") is not None
        if not was_anchored or not anchor_fields <= cleaned_data.keys():
            return cleaned_data
        changed = set(self.changed_data)
        if self.instance.is_orphaned and changed & anchor_fields:
            self.instance.anchor_status = AnchorStatus.ANCHORED
        quote_edited = "exact" in changed
        context_edited = bool(changed & {"prefix", "suffix"})
        position_edited = bool(changed & set(POSITION_FIELDS))
        if position_edited and not (quote_edited or context_edited):
            if cleaned_data["start"] is not None or cleaned_data["end"] is not None:
                for name in QUOTE_FIELDS:
                    cleaned_data[name] = ""
            # Offsets emptied: the quote is looked up again.
        elif not position_edited and (quote_edited or context_edited or "source" in changed):
            cleaned_data["start"] = cleaned_data["end"] = None
            if not context_edited:
                # The old prefix and suffix surround the old quote, in the old source.
                cleaned_data["prefix"] = cleaned_data["suffix"] = ""
        return cleaned_data


def _constraint_message(model, name: str) -> str:
    return next(c for c in model._meta.constraints if c.name == name).violation_error_message


class AppearanceInlineFormSet(BaseInlineFormSet):
    """Checks across the rows what the database would otherwise refuse on save.

    One row alone cannot know that another row of the same save takes the same
    span, or that two rows are both ticked as the first appearance.
    """

    def clean(self):
        super().clean()
        # Django's own test of a row's DELETE box; the stubs leave it out.
        should_delete = self._should_delete_form  # type: ignore[attr-defined]
        kept = [
            form
            for form in self.forms
            if form.is_valid() and form.cleaned_data and not should_delete(form)
        ]
        self._refuse_repeated_spans(kept)
        if sum(1 for form in kept if form.cleaned_data.get("is_first")) > 1:
            raise ValidationError(
                "Tick only one appearance as the first appearance: the earliest place the "
                "claim was made."
            )

    def _refuse_repeated_spans(self, kept):
        taken: set[tuple[int, int | None]] = set()
        if self.instance.pk is not None:
            # Rows added by someone else since this page was loaded.
            listed = [form.instance.pk for form in self.forms if form.instance.pk is not None]
            taken.update(
                Appearance.objects.filter(claim=self.instance)
                .exclude(pk__in=listed)
                .values_list("source_id", "start")
            )
        for form in kept:
            if form.instance.is_orphaned:
                continue  # its offsets are those of the old text
            # The form's model validation has resolved the anchor by now.
            span = (form.instance.source_id, form.instance.start)
            if span in taken:
                name = (
                    "appearance_unique_span"
                    if span[1] is not None
                    else ("appearance_unique_unanchored")
                )
                form.add_error(None, _constraint_message(Appearance, name))
            taken.add(span)


class ClaimForm(forms.ModelForm):
    """Carries the version the editor loaded, so that a save over someone else's is refused."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.version

    def stored_version(self) -> int | None:
        return Claim.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()

    def clean(self):
        cleaned_data = super().clean()
        assert cleaned_data is not None  # ModelForm.clean() returns cleaned_data
        loaded = cleaned_data.get("loaded_version")
        if self.instance.pk is None or loaded is None:
            return cleaned_data
        stored = self.stored_version()
        try:
            if stored is not None:
                check_version(current=stored, expected=loaded)
        except ConcurrentEditError:
            # Said here, with the editor's input still on the page. The service
            # (ClaimAdmin.save_model) checks again under the claim's row lock.
            raise ValidationError(
                "Someone else saved this claim after you opened it, so your changes were not "
                "saved: they would overwrite theirs. Copy what you need from this page, open "
                "the claim again and make your change there.",
                code="stale",
            ) from None
        return cleaned_data


class TransitionForm(forms.Form):
    """Move a claim to another review state, by claims.services.claim_transition."""

    to = forms.ChoiceField(label="Move to")
    reason = forms.CharField(
        required=False,
        max_length=REASON_MAX_LENGTH,
        error_messages=REASON_ERRORS,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Needed for a retraction; kept in the claim's history either way.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, claim: Claim, **kwargs):
        super().__init__(*args, **kwargs)
        # Every next state, also those this user may not choose: the service then
        # says why (the reviewer role, the four-eyes rule) instead of a short list.
        cast(forms.ChoiceField, self.fields["to"]).choices = [
            (state, Claim.ReviewState(state).label) for state in allowed_transitions(claim)
        ]
        self.fields["version"].initial = claim.version


class EvidenceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, evidence):
        quote = f" — “{Truncator(evidence.exact).chars(80)}”" if evidence.exact else ""
        return f"{evidence.get_stance_display()}: {evidence.source}{quote}"


class VerdictForm(forms.Form):
    """Record a verdict on a claim's timeline, by claims.services.verdict_record.

    The service judges the rationale, the evidence and the date, so that its
    messages are the ones shown here too.
    """

    rating = forms.ModelChoiceField(queryset=Rating.objects.all(), label="Verdict")
    rationale = forms.CharField(
        required=False,
        max_length=REASON_MAX_LENGTH,
        error_messages=REASON_ERRORS,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    evidence = EvidenceChoiceField(
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The evidence recorded for this claim that the verdict rests on.",
    )
    holds_from = forms.DateField(
        initial=timezone.localdate,
        # The admin's own date widget (YYYY-MM-DD and a calendar), as on every admin page.
        widget=AdminDateWidget,
        help_text="The date from which this verdict holds.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, claim: Claim, **kwargs):
        super().__init__(*args, **kwargs)
        evidence = cast(EvidenceChoiceField, self.fields["evidence"])
        evidence.queryset = claim.evidence.select_related("source")
        self.fields["version"].initial = claim.version


class RetractForm(forms.Form):
    """The reason asked for before retracting claims in bulk."""

    reason = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        error_messages=REASON_ERRORS,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Shown with every retracted claim, and kept in its history.",
    )
