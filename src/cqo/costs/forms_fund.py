"""The fund part's forms: they parse; the services decide (amounts are taken as text, so the
service names the field and the clause when it is not a number of yuan)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqo.organisation.models import Unit

from .models_fund import FundPurpose, PurposeKind
from .selectors_ledger import cost_item_choices


def _units() -> Any:
    return Unit.objects.active().order_by("path")


class BudgetForm(forms.Form):
    year = forms.CharField(label=_("year"), max_length=4)
    alert_percent = forms.CharField(
        label=_("alert level (per cent of budget)"), max_length=8, initial="90"
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class BudgetLineForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none())
    item_code = forms.ChoiceField(label=_("cost item"), choices=())
    amount = forms.CharField(label=_("budget (yuan)"), max_length=30)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field: Any = self.fields["unit"]
        unit_field.queryset = _units()
        item_field: Any = self.fields["item_code"]
        item_field.choices = cost_item_choices()


class FundForm(forms.Form):
    year = forms.CharField(label=_("year"), max_length=4)
    amount = forms.CharField(label=_("amount in the annual capital plan (yuan)"), max_length=30)
    plan_ref = forms.CharField(label=_("capital plan reference"), max_length=100)
    principal_threshold = forms.CharField(
        label=_("principal also approves above (yuan)"), max_length=30
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class PurposeForm(forms.Form):
    kind = forms.ChoiceField(label=_("purpose"), choices=PurposeKind.choices)
    name = forms.CharField(
        label=_("name"), max_length=100, required=False,
        help_text=_("Required for another purpose; otherwise the purpose's own name."),
    )  # fmt: skip
    allocation = forms.CharField(label=_("allocation (yuan)"), max_length=30)
    item_code = forms.ChoiceField(label=_("cost item"), choices=(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item_field: Any = self.fields["item_code"]
        item_field.choices = [("", "—"), *cost_item_choices()]


class SpendingForm(forms.Form):
    purpose = forms.ModelChoiceField(label=_("purpose"), queryset=FundPurpose.objects.none())
    unit = forms.ModelChoiceField(label=_("applying unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("title"), max_length=200)
    justification = forms.CharField(
        label=_("justification"), widget=forms.Textarea(attrs={"rows": 3})
    )
    amount = forms.CharField(label=_("amount (yuan)"), max_length=30)
    touches_safety = forms.BooleanField(label=_("touches quality safety"), required=False)

    def __init__(self, *args: Any, fund: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        purpose_field: Any = self.fields["purpose"]
        purpose_field.queryset = FundPurpose.objects.active().filter(fund=fund).order_by("id")
        unit_field: Any = self.fields["unit"]
        unit_field.queryset = _units()
        person = getattr(user, "person", None)
        if person is not None and getattr(person, "unit_id", None):
            self.fields["unit"].initial = person.unit_id


class PaymentForm(forms.Form):
    amount = forms.CharField(label=_("amount paid (yuan)"), max_length=30)
    paid_on = forms.DateField(label=_("paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    voucher_no = forms.CharField(label=_("voucher number"), max_length=60)
    voucher = forms.FileField(label=_("voucher"), help_text=_("PDF, PNG or JPEG."))


class ReportForm(forms.Form):
    format = forms.ChoiceField(choices=[("pdf", "PDF"), ("xlsx", "Excel")], required=False)
