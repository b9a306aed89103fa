"""The forms of the network pages: asking to join, and a coordinator's
answer."""

from django import forms
from django.utils.translation import gettext_lazy as _


class JoinForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the coordinator (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who you are and why you would like to join."),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The requester receives it by e-mail."),
    )
