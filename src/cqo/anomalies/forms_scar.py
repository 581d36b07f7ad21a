"""Forms of the SCAR part: they parse; the services decide."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models_scar import ScarLanguage

DEFAULT_DUE_DAYS = 14
TEXT = {"rows": 4, "maxlength": 8000}


class ScarIssueForm(forms.Form):
    lot = forms.TypedChoiceField(label=_("Lot"), required=False, coerce=int, empty_value=None)
    problem = forms.CharField(
        label=_("Problem described to the supplier"),
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("What the supplier reads on the answer page: what was found, where, how many."),
    )
    language = forms.ChoiceField(
        label=_("Supplier's language"), choices=ScarLanguage.choices, initial=ScarLanguage.ZH
    )
    contact = forms.CharField(label=_("Supplier contact"), required=False, max_length=200)
    due_on = forms.DateField(label=_("Answer due"), widget=forms.DateInput(attrs={"type": "date"}))
    link_days = forms.IntegerField(
        label=_("Link valid for (days)"), min_value=1, max_value=90, initial=30
    )

    def __init__(self, *args: Any, lots: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lots = {lot.pk: lot for lot in lots}
        lot_field = self.fields["lot"]
        assert isinstance(lot_field, forms.ChoiceField)
        lot_field.choices = [("", "—")] + [
            (lot.pk, f"{lot.number} · {lot.supplier}") for lot in lots
        ]
        self.fields["due_on"].initial = timezone.localdate() + datetime.timedelta(
            days=DEFAULT_DUE_DAYS
        )

    def clean_lot(self) -> Any:
        pk = self.cleaned_data.get("lot")
        return self.lots.get(pk) if pk else None


class ScarReturnForm(forms.Form):
    note = forms.CharField(label=_("What is missing or wrong"), widget=forms.Textarea(attrs=TEXT))


class ScarAcceptForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScarRevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ScarVoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ScarAnswerForm(forms.Form):
    """The supplier's answer (D3–D7) on the public page."""

    responder = forms.CharField(label=_("Your name and position"), max_length=200)
    containment = forms.CharField(
        label=_("D3 containment actions"),
        widget=forms.Textarea(attrs=TEXT),
        help_text=_(
            "What was done at once with the suspect product: at your site, in transit, at ours."
        ),
    )
    root_cause = forms.CharField(
        label=_("D4 root cause"),
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("Why it happened and why it was not detected, and how the cause was verified."),
    )
    corrective_actions = forms.CharField(
        label=_("D5 permanent corrective actions"),
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("Each action with its owner and date."),
    )
    verification = forms.CharField(
        label=_("D6 implementation and verification"),
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("How the actions were put in place and how their effect was checked."),
    )
    prevention = forms.CharField(
        label=_("D7 prevention of recurrence"),
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("Which documents, FMEA or control plans were changed; where else it applies."),
    )
    attachment = forms.FileField(
        label=_("Attachment (PDF, PNG or JPEG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
