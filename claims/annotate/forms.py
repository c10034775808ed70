"""The forms behind the annotate page's buttons.

Each carries the selection as the browser computed it: the quote, its offsets,
the text around it, and the hash of the text the page showed. None of it is
taken on trust: the selection is resolved again in the stored text with
sources.anchoring, and the services check it once more before saving.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import transaction

from claims.models import Appearance, Claim, Evidence, Speaker
from claims.services import (
    appearance_create,
    claim_create,
    evidence_create,
    speaker_get_or_create,
)
from claims.services.links import claim_links_from_form
from factcheck.dates import newsroom_day
from sources.anchoring import Anchor, AnchorError, as_stored, fold, resolve_anchor
from sources.models import Source

STALE_TEXT = (
    "The source text changed after this page was opened, so the selection may point at "
    "other words now. Reload the page and select the quote again."
)


def autocomplete(model, field_name: str) -> AutocompleteSelect:
    """The admin's own autocomplete widget (served by the admin, no extra endpoint)."""
    return AutocompleteSelect(
        model._meta.get_field(field_name), admin.site, attrs={"data-width": "100%"}
    )


class SelectionForm(forms.Form):
    exact = forms.CharField(strip=False, widget=forms.HiddenInput)
    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    # A declared field leaves the class (into base_fields), so the form's own prefix
    # attribute is untouched; the stubs cannot tell.
    prefix = forms.CharField(  # type: ignore[assignment]
        strip=False, required=False, widget=forms.HiddenInput
    )
    suffix = forms.CharField(strip=False, required=False, widget=forms.HiddenInput)
    content_hash = forms.CharField(widget=forms.HiddenInput)

    selection_fields = ("exact", "start", "end", "prefix", "suffix", "content_hash")

    def __init__(self, *args, source: Source, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.anchor: Anchor | None = None

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        if any(name in self.errors for name in self.selection_fields):
            raise ValidationError("Select the words of the quote in the text first.")
        if data["content_hash"] != self.source.content_hash:
            raise ValidationError(STALE_TEXT, code="stale")
        for name in ("exact", "prefix", "suffix"):
            data[name] = as_stored(data[name], text=self.source.text)
        try:
            anchor = resolve_anchor(
                self.source.text, exact=data["exact"], start=data["start"], end=data["end"]
            )
        except AnchorError as error:
            raise ValidationError(
                f"The selection does not match the source text: {error.message}",
                code="anchor",
            ) from None
        for given, stored in ((data["prefix"], anchor.prefix), (data["suffix"], anchor.suffix)):
            if given and fold(given) != fold(stored):
                raise ValidationError(
                    "The text around the selection does not match the source text.",
                    code="anchor",
                )
        self.anchor = anchor
        return data


class ClaimFromSelectionForm(SelectionForm):
    label = forms.CharField(
        max_length=200, help_text="A short handle: “imminent attack”.", required=True
    )
    text = forms.CharField(
        label="Claim",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The statement as made, or closely paraphrased.",
    )
    speaker = forms.ModelChoiceField(
        queryset=Speaker.objects.all(), required=False, widget=autocomplete(Claim, "speaker")
    )
    new_speaker = forms.CharField(
        label="or a new speaker", max_length=200, required=False, help_text="Their name."
    )
    new_speaker_kind = forms.ChoiceField(
        label="new speaker is a", choices=Speaker.Kind.choices, initial=Speaker.Kind.PERSON
    )
    attribution = forms.ChoiceField(
        choices=Claim.Attribution.choices, initial=Claim.Attribution.DIRECT_QUOTE
    )
    stated_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Stated on"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.source.published_at:
            # The day it was published in the newsroom's zone (Slate's evening of
            # 7 January in New York is already the 8th in UTC).
            self.fields["stated_on"].initial = newsroom_day(self.source.published_at)

    def clean(self):
        data = super().clean()
        if data.get("speaker") and data.get("new_speaker", "").strip():
            self.add_error("new_speaker", "Pick a known speaker or name a new one, not both.")
        return data

    def _speaker(self, by) -> Speaker | None:
        name = self.cleaned_data["new_speaker"].strip()
        if name:
            return speaker_get_or_create(
                name=name, kind=self.cleaned_data["new_speaker_kind"], by=by
            )
        speaker = self.cleaned_data["speaker"]
        if speaker is None and self.cleaned_data["attribution"] == Claim.Attribution.OUTLET:
            # The outlet's own reporting, no speaker named: the speaker is this
            # source's outlet, as a speaker of kind media.
            return speaker_get_or_create(
                name=self.source.outlet.name, kind=Speaker.Kind.MEDIA, by=by
            )
        return speaker

    @transaction.atomic
    def save(self, *, by=None) -> Appearance:
        """The claim, as the admin would save it, and its appearance at the selection."""
        assert self.anchor is not None  # set by clean(), which is_valid() ran
        data = self.cleaned_data
        claim = claim_create(
            data={
                "label": data["label"],
                "text": data["text"],
                "speaker": self._speaker(by),
                "attribution": data["attribution"],
                "stated_on": data["stated_on"],
                "language": self.source.language,
            },
            by=by,
        )
        claim_links_from_form(claim=claim, data=self.data, by=by)  # "Checked before?"
        return appearance_create(
            claim=claim,
            source=self.source,
            exact=self.anchor.exact,
            start=self.anchor.start,
            end=self.anchor.end,
            by=by,
        )


class AttachForm(SelectionForm):
    claim = forms.ModelChoiceField(
        queryset=Claim.objects.all(), widget=autocomplete(Appearance, "claim")
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def save(self, *, by=None) -> Appearance:
        assert self.anchor is not None  # set by clean(), which is_valid() ran
        return appearance_create(
            claim=self.cleaned_data["claim"],
            source=self.source,
            exact=self.anchor.exact,
            start=self.anchor.start,
            end=self.anchor.end,
            note=self.cleaned_data["note"],
            by=by,
        )


class EvidenceForm(SelectionForm):
    claim = forms.ModelChoiceField(
        queryset=Claim.objects.all(), widget=autocomplete(Evidence, "claim")
    )
    stance = forms.ChoiceField(choices=Evidence.Stance.choices)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def save(self, *, by=None) -> Evidence:
        assert self.anchor is not None  # set by clean(), which is_valid() ran
        return evidence_create(
            claim=self.cleaned_data["claim"],
            source=self.source,
            stance=self.cleaned_data["stance"],
            exact=self.anchor.exact,
            start=self.anchor.start,
            end=self.anchor.end,
            note=self.cleaned_data["note"],
            by=by,
        )


class RepairForm(SelectionForm):
    """Anchor an orphaned quote again, on the words the editor selected."""

    quote = forms.RegexField(regex=r"^[ae][0-9]+$", widget=forms.HiddenInput)
