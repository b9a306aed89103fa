"""The supplier's web form: propose a component, or change one."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from catalogue.licences import LICENCES
from catalogue.models import (
    LANGUAGE_CODES,
    Component,
    ComponentLink,
    Language,
    Tag,
    logo_path,
)
from interchange.publiccode.documents import MAX_BYTES, Refused, too_large
from interchange.publiccode.importer import read

TRANSLATED = ("name", "summary", "description")


class ComponentForm(forms.ModelForm):
    """Every field a component page shows. Texts in NL, FR and EN: one
    language is enough to start, the others may follow."""

    licence = forms.ChoiceField(
        label=_("Licence"),
        choices=[("", _("Not known yet")), *LICENCES],
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages supported"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"),
        queryset=Tag.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Component
        fields = [
            *(f"{field}_{code}" for field in TRANSLATED for code in LANGUAGE_CODES),
            "acronym",
            "kind",
            "building_block",
            "domain",
            "lifecycle_status",
            "government_level",
            "collaboration_model",
            "licence",
            "logo",
            "languages",
            "tags",
            "support_name",
            "support_email",
            "support_phone",
        ]
        widgets = {
            f"description_{code}": forms.Textarea(attrs={"rows": 8})
            for code in LANGUAGE_CODES
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code in LANGUAGE_CODES:
            # One language is enough; clean() checks that one is complete.
            self.fields[f"name_{code}"].required = False
            self.fields[f"summary_{code}"].required = False
        if self.instance.pk:
            self.initial["tags"] = list(self.instance.tags.all())

    def clean(self) -> dict:
        data = super().clean()
        complete = [
            code
            for code in LANGUAGE_CODES
            if data.get(f"name_{code}") and data.get(f"summary_{code}")
        ]
        if not complete:
            raise ValidationError(
                _("Give the name and the summary in at least one language."),
                code="no_language",
            )
        # The others fall back to it on the pages, marked "not yet translated".
        self.first_name = data[f"name_{complete[0]}"]
        return data

    def stored_logo(self) -> str:
        """The logo's stored name: a new upload is stored now, under a
        generated name; an unchanged one keeps its name; a cleared one is ""."""
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            return default_storage.save(logo_path(self.instance, logo.name), logo)
        return logo.name if logo else ""

    def changes(self) -> dict:
        """The submitted values, fields and related lists, for the services."""
        values = {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name in self.cleaned_data
        }
        values["licence"] = values.get("licence") or ""
        return values


class LinkForm(forms.ModelForm):
    class Meta:
        model = ComponentLink
        fields = ["kind", "url", "title", "language"]


LinkFormSet = forms.formset_factory(
    LinkForm, extra=3, max_num=20, validate_max=True, can_delete=False
)


def submitted_links(formset) -> list[dict]:
    """The filled-in rows of a valid links formset; duplicates refused."""
    links = [form.cleaned_data for form in formset.forms if form.cleaned_data]
    urls = [link["url"] for link in links]
    if len(set(urls)) != len(urls):
        raise ValidationError(_("Each link may appear only once."))
    return links


class PubliccodeImportForm(forms.Form):
    """A publiccode.yml file, uploaded or pasted: the component it
    describes, or the changes to the component being edited."""

    publiccode_file = forms.FileField(
        label=_("publiccode.yml file"),
        required=False,
        help_text=format_lazy(_("At most {size} KB."), size=MAX_BYTES // 1024),
    )
    publiccode_text = forms.CharField(
        label=_("Or paste its text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        upload, text = data.get("publiccode_file"), data.get("publiccode_text")
        if bool(upload) == bool(text and text.strip()):
            raise ValidationError(
                _("Upload the file or paste its text: one of the two."),
                code="one_source",
            )
        if upload and upload.size > MAX_BYTES:
            self.add_refusal(too_large())
            return data
        try:
            self.document = read(upload.read() if upload else text)
        except Refused as refusal:
            self.add_refusal(refusal)
        return data

    def add_refusal(self, refusal: ValidationError) -> None:
        """The importer's messages, each with the key of the file it is about."""
        if hasattr(refusal, "error_dict"):
            messages = [
                f"{key}: {message}"
                for key, texts in refusal.message_dict.items()
                for message in texts
            ]
        else:
            messages = getattr(refusal, "messages", [str(refusal)])
        self.add_error(None, messages)
