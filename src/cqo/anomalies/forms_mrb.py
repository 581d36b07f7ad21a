"""Forms of the review board and the costs: they parse; the services decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import COST_ITEM_CHOICES, DispositionKind, OpinionStance


class OpinionForm(forms.Form):
    stance = forms.ChoiceField(label=_("Stance"), choices=OpinionStance.choices)
    recommendation = forms.ChoiceField(
        label=_("Recommended disposition"),
        choices=[("", "—"), *DispositionKind.choices],
        required=False,
    )
    role = forms.CharField(
        label=_("Representing"),
        required=False,
        max_length=80,
        help_text=_("The function you speak for: production, engineering, purchasing…"),
    )
    text = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}))


class DispositionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Disposition"), choices=DispositionKind.choices)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=14, decimal_places=3)
    lot = forms.ChoiceField(label=_("Lot"), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a concession: where, for how long and under what conditions."),
    )
    unit_cost = forms.DecimalField(
        label=_("Unit cost (yuan)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=_("For scrap or regrade: the cost or the loss per unit."),
    )
    hours = forms.DecimalField(
        label=_("Rework hours"), required=False, max_digits=10, decimal_places=2
    )
    hourly_rate = forms.DecimalField(
        label=_("Hourly rate (yuan)"), required=False, max_digits=10, decimal_places=2
    )
    due = forms.DateField(
        label=_("Decide by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When it goes to the CQO for approval."),
    )

    def __init__(self, *args: Any, lots: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(str(lot.pk), lot.number) for lot in lots]
        self.fields["lot"].choices = choices  # type: ignore[attr-defined]


class CompleteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    on = forms.DateField(
        label=_("Done on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class CostForm(forms.Form):
    item_code = forms.ChoiceField(label=_("Cost item"), choices=COST_ITEM_CHOICES)
    quantity = forms.DecimalField(
        label=_("Quantity"),
        required=False,
        max_digits=14,
        decimal_places=3,
        help_text=_("Pieces, hours…; with the rate, instead of the amount."),
    )
    rate = forms.DecimalField(
        label=_("Rate (yuan)"), required=False, max_digits=14, decimal_places=2
    )
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), required=False, max_digits=14, decimal_places=2
    )
    incurred_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class PolicyForm(forms.Form):
    cost_threshold = forms.DecimalField(
        label=_("Cost threshold (yuan)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=_("A disposition whose estimated cost reaches it goes to the CQO; blank: none."),
    )
    quantity_threshold = forms.DecimalField(
        label=_("Quantity threshold"),
        required=False,
        max_digits=14,
        decimal_places=3,
        help_text=_("A disposition whose quantity reaches it goes to the CQO; blank: none."),
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=2000)
