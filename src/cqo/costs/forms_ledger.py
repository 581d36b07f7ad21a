"""The ledger part's forms: they parse; the services decide (amounts and dates are read as text
so that the service names the field and clause of a refusal)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cqo.accounts.models import User
from cqo.core.costs import CostCategory
from cqo.organisation.models import Unit

from .models_ledger import BaseKind


class LineForm(forms.Form):
    date = forms.CharField(label=_("Date"), max_length=20,
                           widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    item_code = forms.ChoiceField(label=_("Cost item"), choices=())
    amount = forms.CharField(label=_("Amount (yuan)"), max_length=40,
                             help_text=_("Yuan with at most two places, e.g. 1250.50."))  # fmt: skip
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    product = forms.CharField(label=_("Part number"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .selectors_ledger import cost_item_choices

        super().__init__(*args, **kwargs)
        self.fields["item_code"].choices = [("", "—"), *cost_item_choices()]  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.active().order_by("path")  # type: ignore[attr-defined]

    def clean_product(self) -> Any:
        from cqo.masterdata.models import Item

        code = (self.cleaned_data.get("product") or "").strip()
        if not code:
            return None
        item = Item.objects.active().filter(part_number=code).first()
        if item is None:
            raise forms.ValidationError(_("Unknown part number."))
        return item


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the reversal"), max_length=300)
    date = forms.CharField(label=_("Date of the reversal"), max_length=20, required=False,
                           widget=forms.DateInput(attrs={"type": "date"}),
                           help_text=_("In an open month; today if left empty."))  # fmt: skip


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))


class FigureForm(forms.Form):
    month = forms.CharField(label=_("Month"), max_length=10,
                            widget=forms.TextInput(attrs={"type": "month"}))  # fmt: skip
    kind = forms.ChoiceField(label=_("Figure"), choices=BaseKind.choices)
    amount = forms.CharField(label=_("Amount (yuan)"), max_length=40)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ChartItemForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30,
                           help_text=_("Lower-case letters, digits and _; never reused."))  # fmt: skip
    category = forms.ChoiceField(label=_("Category"), choices=CostCategory.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)


class MonthForm(forms.Form):
    month = forms.CharField(label=_("Month"), max_length=10,
                            widget=forms.TextInput(attrs={"type": "month"}))  # fmt: skip


class KeeperForm(forms.Form):
    user = forms.ModelChoiceField(label=_("User"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PeriodForm(forms.Form):
    first = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    last = forms.DateField(label=_("To"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
