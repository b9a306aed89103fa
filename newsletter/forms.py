from django import forms
from django.utils.translation import gettext_lazy as _

from newsletter.models import NewsletterLanguage


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "We send it a link: your subscription starts once you open it. "
            "We use the address only for the newsletter."
        ),
    )
    languages = forms.MultipleChoiceField(
        label=_("The newsletter in"),
        choices=NewsletterLanguage,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one language or more."),
        error_messages={"required": _("Choose at least one language.")},
    )
