"""Forms of the recall case pages. They parse; the services decide (§7.2.1.4)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models_case import Channel, CloseKind, DecisionKind, Remedy, ReportKind, SignalKind


class DateInput(forms.DateInput):
    input_type = "date"


def _text(label: Any, rows: int = 3, required: bool = True, **kw: Any) -> forms.CharField:
    return forms.CharField(label=label, required=required,
                           widget=forms.Textarea(attrs={"rows": rows}), **kw)  # fmt: skip


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput,
                           initial=timezone.localdate)  # fmt: skip


def lot_numbers(text: str) -> list[str]:
    """Lot numbers typed one a line, or separated by commas or spaces."""
    return [part for part in text.replace(",", " ").replace("，", " ").split() if part]


class OpenForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    signal_kind = forms.ChoiceField(label=_("Signal"), choices=SignalKind.choices)
    signal_ref = forms.CharField(label=_("Signal reference"), max_length=80, required=False)
    signal_on = _date(_("Signal received on"))
    description = _text(_("Description"), rows=4, required=False)
    lot_numbers = _text(
        _("Suspect lots"), rows=2, required=False,
        help_text=_("Lot numbers, one a line: the forward trace starts from them (§7.2.1.4)."),
    )  # fmt: skip
    serious_harm = forms.BooleanField(
        label=_("Death, serious injury or major loss possible"), required=False
    )

    def clean_lot_numbers(self) -> list[str]:
        return lot_numbers(self.cleaned_data.get("lot_numbers") or "")


class NoteForm(forms.Form):
    note = _text(_("What the investigation found"), rows=3)


class ScopeForm(forms.Form):
    lot_numbers = _text(_("Suspect lots"), rows=2,
                        help_text=_("Lot numbers, one a line: the forward trace starts from "
                                    "them (§7.2.1.4)."))  # fmt: skip

    def clean_lot_numbers(self) -> list[str]:
        return lot_numbers(self.cleaned_data.get("lot_numbers") or "")


class DefectForm(forms.Form):
    confirmed = forms.TypedChoiceField(
        label=_("Conclusion"), coerce=lambda v: v == "yes",
        choices=[("yes", _("Defect confirmed")), ("no", _("No defect"))],
    )  # fmt: skip
    defect = _text(_("Defect"), rows=3)
    consequences = _text(_("Possible consequences"), rows=2, required=False)


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of recall"), choices=DecisionKind.choices)
    reasons = _text(_("Reasons for the decision"), rows=3)


class AgreeForm(forms.Form):
    agree = forms.TypedChoiceField(
        label=_("Principal's answer"), coerce=lambda v: v == "yes",
        choices=[("yes", _("Agree to the recall")), ("no", _("Send it back"))],
    )  # fmt: skip
    note = _text(_("Note"), rows=2, required=False)


class PlanForm(forms.Form):
    remedy = forms.ChoiceField(label=_("Remedy"), choices=Remedy.choices)
    measures = _text(_("Measures of the plan"), rows=4)
    start = _date(_("Recall starts on"))
    end = _date(_("Recall ends by"))
    contact = forms.CharField(label=_("Recall contact"), max_length=200)
    filed_on = _date(_("Plan filed on"))


class NoticeForm(forms.Form):
    text = _text(_("Public notice"), rows=5)
    channels = forms.CharField(label=_("Published through"), max_length=200)
    published_on = _date(_("Published on"))


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)
    text = _text(_("Text"), rows=4)
    reference = forms.CharField(label=_("Regulator's reference"), max_length=80, required=False)
    filed_on = _date(_("Filed on"))


class ProgressForm(forms.Form):
    target = forms.IntegerField(label=_("Recall target"), min_value=1, widget=forms.HiddenInput)
    quantity = forms.DecimalField(label=_("Quantity recovered"), max_digits=14, decimal_places=3)
    on = _date(_("Date"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class TargetForm(forms.Form):
    target = forms.IntegerField(label=_("Recall target"), min_value=1, widget=forms.HiddenInput)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    region = forms.CharField(label=_("Region"), max_length=80, required=False)
    sold = forms.DecimalField(label=_("Quantity sold on"), max_digits=14, decimal_places=3,
                              required=False, min_value=0)  # fmt: skip


class CloseForm(forms.Form):
    kind = forms.ChoiceField(label=_("How it ends"), choices=CloseKind.choices)
    reasons = _text(_("Reasons"), rows=3, required=False)


class ReasonForm(forms.Form):
    reason = _text(_("Reason"), rows=2)
