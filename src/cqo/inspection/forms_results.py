"""Forms of the results part: they parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DispositionKind


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Usage decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you decide against the numbers."),
    )
    sample_count_reason = forms.CharField(
        label=_("Reason for another sample count"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when a characteristic has more or fewer results than n."),
    )


class ConcessionForm(forms.Form):
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=14, decimal_places=3)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    limits = forms.CharField(
        label=_("Limits"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where, for how long and under what conditions."),
    )
    customer_consent_required = forms.BooleanField(
        label=_("Customer consent required"), required=False
    )
    customer_consent = forms.CharField(
        label=_("Customer consent reference"),
        required=False,
        max_length=200,
        help_text=_("Required before approval when the customer must consent."),
    )
    due = forms.DateField(
        label=_("Decide by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ConsentForm(forms.Form):
    customer_consent = forms.CharField(label=_("Customer consent reference"), max_length=200)


class DispositionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Disposition"), choices=DispositionKind.choices)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=14, decimal_places=3)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))
    reason = forms.CharField(label=_("Reason for units beyond n"), required=False, max_length=500)
    correction_reason = forms.CharField(
        label=_("Reason for corrections"), required=False, max_length=500
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Photo or report (PDF, PNG, JPEG)"))
    name = forms.CharField(label=_("Title"), required=False, max_length=200)


class VoidResultForm(forms.Form):
    characteristic = forms.IntegerField(label=_("Characteristic"))
    sample_no = forms.IntegerField(label=_("Sample unit"), min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=500)
