"""The admin's Import form: a web address, a file, or pasted text (with its title and
outlet typed by hand)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect

from sources.intake.importing import ACCEPTED, ImportFailed, file_type
from sources.intake.inputs import ImportInputError, checked_address, checked_upload
from sources.models import Outlet, Source


class ImportForm(forms.Form):
    url = forms.CharField(
        label="Web address",
        required=False,
        max_length=2000,
        widget=forms.URLInput(attrs={"size": 80, "placeholder": "https://"}),
        help_text="The article's address: the server fetches it and finds its text.",
    )
    file = forms.FileField(required=False, help_text=f"Or an HTML, PDF or text file ({ACCEPTED}).")
    text = forms.CharField(
        label="Pasted text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text="Or the text itself; then type its title and choose its outlet.",
    )
    title = forms.CharField(required=False, max_length=500)
    outlet = forms.ModelChoiceField(queryset=Outlet.objects.all(), required=False)

    def __init__(self, *args, admin_site=admin.site, **kwargs):
        super().__init__(*args, **kwargs)
        outlet = self.fields["outlet"]
        assert isinstance(outlet, forms.ModelChoiceField)
        widget = AutocompleteSelect(Source._meta.get_field("outlet"), admin_site)
        widget.choices = outlet.choices  # as the field gives its own widget
        outlet.widget = widget

    def clean_url(self) -> str:
        return clean_address(self.cleaned_data["url"])

    def clean_file(self):
        upload = clean_upload(self.cleaned_data["file"])
        if upload is not None:
            try:
                upload.kind = file_type(upload.name, upload.content_type or "")
            except ImportFailed as error:
                raise forms.ValidationError(str(error)) from None
        return upload

    def clean(self):
        data = super().clean() or {}
        given = [name for name in ("url", "file", "text") if data.get(name)]
        if len(given) != 1:
            raise forms.ValidationError("Give one of them: a web address, a file, or pasted text.")
        if given == ["text"]:
            if not data["text"].strip():
                self.add_error("text", "The pasted text is empty.")
            if not data.get("title", "").strip():
                self.add_error("title", "Type the title of the pasted text.")
            if data.get("outlet") is None:
                self.add_error("outlet", "Choose the outlet of the pasted text.")
        return data


def clean_address(url: str) -> str:
    """A form's web address field, checked as every import checks it ("" if empty)."""
    url = url.strip()
    if not url:
        return ""
    try:
        return checked_address(url)
    except ImportInputError as error:
        raise forms.ValidationError(str(error)) from None


def clean_upload(upload):
    """A form's file field, within IMPORT_MAX_BYTES (None if empty)."""
    if upload is None:
        return None
    try:
        return checked_upload(upload)
    except ImportInputError as error:
        raise forms.ValidationError(str(error)) from None
