"""Forms for the audit pages and the reusable electronic-signature form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Signature
from .services import SignedMeaning, password_check_for_signing, signature_sign


class EventFilterForm(forms.Form):
    action = forms.CharField(
        label=pgettext_lazy("audit event", "Action"), required=False, max_length=100,
        help_text=_("Matches from the start, e.g. “organisation.unit”."),
    )  # fmt: skip
    actor = forms.CharField(label=_("Actor"), required=False, max_length=200)
    clause = forms.CharField(
        label=_("Clause"), required=False, max_length=40,
        help_text=_("Matches from the start: “§6” finds every authority."),
    )  # fmt: skip
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=100)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, object_types: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["object_type"].widget.attrs["list"] = "audit-object-types"
        self.fields["action"].widget.attrs["list"] = "audit-actions"
        self.object_types = object_types or []

    @property
    def actions(self) -> list[tuple[str, str]]:
        """The registered actions with their labels, for the filter's suggestions."""
        from .labels import ACTIONS

        return sorted((code, str(entry.label)) for code, entry in ACTIONS.items())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


class SignatureForm(forms.Form):
    """Sign a record: the password again, the meaning shown but not editable, and a confirmation.

    The view passes the signer, the meaning ("Approved as CQO under §6 c)") and its clause. The
    password is checked in ``clean_password``, so an invalid form means nothing was signed and the
    caller's own change (an approval, a veto) must not be made either; ``sign`` then records the
    signature inside the caller's transaction.
    """

    meaning = forms.CharField(label=_("Meaning of this signature"), required=False, disabled=True)
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Enter your sign-in password again to sign."),
    )
    confirm = forms.BooleanField(
        label=_("I sign this record electronically, with the meaning shown above."),
        error_messages={"required": _("Tick the box to confirm your signature.")},
    )

    def __init__(
        self,
        *args: Any,
        user: Any,
        meaning: str = "",
        clause: str = "",
        signed: SignedMeaning | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if signed is not None:
            # The act's own meaning function: the service signs with the same one.
            meaning, clause = signed.text, signed.clause
        self.meaning_text = str(meaning)
        self.clause = clause
        self.fields["meaning"].initial = self.meaning_text

    def clean_meaning(self) -> str:
        # Whatever was posted, the signature carries the meaning the page set.
        return self.meaning_text

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password") or ""
        user = self.user
        if user is None or not user.is_authenticated or not user.is_active:
            raise ValidationError(_("Only an active, signed-in user can sign."), code="inactive")
        password_check_for_signing(user=user, password=password)
        return password

    def sign(self, *, obj: Any, content: dict[str, Any]) -> Signature:
        """Record the signature on ``obj`` over ``content``; call only after ``is_valid()``."""
        if not self.is_valid():
            raise ValueError("sign() called on an invalid SignatureForm")
        return signature_sign(
            user=self.user,
            password=self.cleaned_data["password"],
            obj=obj,
            content=content,
            meaning=self.meaning_text,
            clause=self.clause,
        )
