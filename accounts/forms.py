"""The forms of the account pages: sign-up, joining an organisation and a
manager's decisions."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm, UsernameField
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationRole, User
from accounts.services import existing_provider_named
from catalogue.models import Provider


def forbid_line_breaks(value: str) -> None:
    """One-line values end up in e-mails: a line break could forge a header."""
    if "\n" in value or "\r" in value:
        raise ValidationError(_("Line breaks are not allowed here."), code="line_break")


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send a link to this address to activate your account."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mails"),
        choices=settings.LANGUAGES,
    )

    field_order = ["username", "email", "password1", "password2", "language"]

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "language")
        field_classes = {"username": UsernameField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(forbid_line_breaks)
        username.widget.attrs["autocomplete"] = "username"
        # The page starts with its heading and explanation, not in a field.
        username.widget.attrs.pop("autofocus", None)

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _(
                    "An account with this e-mail address already exists. Log in, "
                    "reset your password if you forgot it, or ask for a new "
                    "activation link if you never activated the account."
                ),
                code="duplicate_email",
            )
        return email


class ResendActivationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class LocalisedPasswordResetForm(PasswordResetForm):
    """Writes the reset e-mail in the language the person chose for e-mails."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(
        self, subject_template_name, email_template_name, context, *args, **kwargs
    ) -> None:
        with translation.override(context["user"].language):
            super().send_mail(
                subject_template_name, email_template_name, context, *args, **kwargs
            )


class RoleField(forms.ChoiceField):
    widget = forms.RadioSelect

    def __init__(self, **kwargs) -> None:
        super().__init__(
            label=_("Role"),
            choices=OrganisationRole.choices,
            help_text=_(
                "Managers approve or decline the requests of colleagues who "
                "want to join the organisation."
            ),
            **kwargs,
        )


class JoinForm(forms.Form):
    """Join an organisation of the catalogue."""

    provider = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Provider.objects.none(),
        empty_label=_("Choose your organisation"),
    )
    role = RoleField(initial=OrganisationRole.MEMBER)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.order_by(
            Lower(f"name_{get_language()}"), "pk"
        )


class ProposeForm(forms.Form):
    """Have a supplier that is not listed yet added, and join it."""

    proposed_name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=200,
        validators=[forbid_line_breaks],
    )
    proposed_website = forms.URLField(
        label=_("Website"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Moderators look at it before adding the organisation."),
    )
    proposed_contact_email = forms.EmailField(
        label=_("Contact e-mail address of the organisation"),
        required=False,
    )
    # Whoever brings an organisation in usually answers its colleagues.
    role = RoleField(initial=OrganisationRole.MANAGER)

    def clean_proposed_name(self) -> str:
        name = self.cleaned_data["proposed_name"]
        listed = existing_provider_named(name)
        if listed is not None:
            raise ValidationError(
                _("“%(name)s” is already listed: choose it in the list above."),
                code="listed",
                params={"name": listed},
            )
        return name


class ApproveForm(forms.Form):
    role = RoleField()


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The requester receives it by e-mail."),
    )
