"""The report pages' forms: parse only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReportKind, ReportLanguage


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=9999)
    part = forms.IntegerField(
        label=_("Month or quarter"), required=False, min_value=1, max_value=12,
        help_text=_("The month (1–12) of a monthly report or the quarter (1–4) of a quarterly "
                    "one; empty for an annual report."),
    )  # fmt: skip
    language = forms.ChoiceField(label=_("Language"), choices=ReportLanguage.choices)


class AcknowledgeNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Principal's note"), required=False, max_length=2000, widget=forms.Textarea(
            attrs={"rows": 3}),
    )  # fmt: skip


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason for voiding"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
