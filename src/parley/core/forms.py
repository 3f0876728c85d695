"""The forms of the Accounts page (a party's account administrators)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parley.core.models import ROLES_BY_PARTY_KIND, Party, User
from parley.core.types import StrOrPromise
from parley.ui.forms import form_field


def role_choices(party: Party) -> list[tuple[str, StrOrPromise]]:
    return [(role, User.Role(role).label) for role in ROLES_BY_PARTY_KIND.get(party.kind, ())]


class AccountCreateForm(forms.Form):
    username = forms.CharField(label=_("username"), max_length=150)
    first_name = forms.CharField(label=_("first name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)
    role = forms.ChoiceField(label=_("role"))
    is_account_admin = forms.BooleanField(label=_("account administrator"), required=False)
    password = forms.CharField(
        label=_("first password"),
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        max_length=256,
        help_text=_(
            "At least 12 characters, not a common password. Pass it on to the owner "
            "by a channel of your party's choosing."
        ),
    )

    def __init__(self, *args, party: Party, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "role", forms.ChoiceField).choices = role_choices(party)


class AccountChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("role"))
    is_account_admin = forms.BooleanField(label=_("account administrator"), required=False)

    def __init__(self, *args, party: Party, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "role", forms.ChoiceField).choices = role_choices(party)


class AccountPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("new password"),
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        max_length=256,
        help_text=_(
            "At least 12 characters, not a common password. The owner's open sessions end."
        ),
    )
