from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CharterGenerateForm(forms.Form):
    veto_delegable = forms.BooleanField(
        label=_("The CQO may delegate the one-vote veto (§6 i))"),
        required=False,
        help_text=_(
            "No by default: the veto stays with the CQO unless the charter says otherwise."
        ),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
