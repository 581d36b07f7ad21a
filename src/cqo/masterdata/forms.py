"""Forms of the master-data pages. They parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cqo.organisation.models import Unit

from . import services as S
from .models import (
    ApprovedSupplier,
    Characteristic,
    Customer,
    Instrument,
    InstrumentStatus,
    Item,
    ItemKind,
    LotOrigin,
    Operation,
    StockStatus,
    Supplier,
    SupplierStatus,
    WorkCentre,
)


class DateInput(forms.DateInput):
    input_type = "date"


def _active_units() -> Any:
    return Unit.objects.filter(voided_at__isnull=True).order_by("path")


class _Parse(forms.ModelForm):
    """A model form that only parses: the model's own checks (uniqueness, constraints) are the
    service's, which names the field in its refusal."""

    def _post_clean(self) -> None:
        pass


class ItemForm(_Parse):
    class Meta:
        model = Item
        fields = [
            "part_number", "name", "name_en", "kind", "family", "drawing_number", "revision",
            "uom", "gate_iqc", "gate_ipqc", "gate_oqc",
        ]  # fmt: skip


class CharacteristicForm(_Parse):
    class Meta:
        model = Characteristic
        fields = [
            "code", "name", "name_en", "kind", "defect_class", "nominal", "lsl", "usl", "unit",
            "method", "instrument_type", "special", "sequence",
        ]  # fmt: skip


class SupplierForm(_Parse):
    class Meta:
        model = Supplier
        fields = ["code", "name", "name_en", "credit_code", "contact"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The service checks the code (GB 32100) and says what is wrong with it.
        self.fields["credit_code"].validators = []


class CustomerForm(SupplierForm):
    class Meta:
        model = Customer
        fields = ["code", "name", "name_en", "credit_code", "contact"]


class WorkCentreForm(_Parse):
    class Meta:
        model = WorkCentre
        fields = ["code", "name", "name_en", "unit"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _active_units()  # type: ignore[attr-defined]


class OperationForm(_Parse):
    class Meta:
        model = Operation
        fields = ["sequence", "name", "name_en", "work_centre"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["work_centre"].queryset = WorkCentre.objects.filter(  # type: ignore[attr-defined]
            voided_at__isnull=True
        )


class InstrumentForm(_Parse):
    class Meta:
        model = Instrument
        fields = [
            "number", "name", "name_en", "instrument_type", "range_low", "range_high", "unit",
            "resolution", "location", "owner_unit", "status",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = _active_units()  # type: ignore[attr-defined]


class ApprovedSupplierForm(_Parse):
    class Meta:
        model = ApprovedSupplier
        fields = ["supplier", "since", "note"]
        widgets = {"since": DateInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.filter(  # type: ignore[attr-defined]
            voided_at__isnull=True
        )


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for voiding"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ApproveForm(forms.Form):
    reason = forms.CharField(
        label=_("Grounds for approval"), widget=forms.Textarea(attrs={"rows": 2})
    )
    conditional = forms.BooleanField(label=_("Approve conditionally"), required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(s.value, s.label) for s in S.STATUS_SETTABLE],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))


# --- list filters ---------------------------------------------------------------------------


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("All")), *choices]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    include_voided = forms.BooleanField(label=_("Include voided"), required=False)


class ItemFilterForm(SearchForm):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_blank(ItemKind.choices))


class CharacteristicFilterForm(SearchForm):
    special = forms.NullBooleanField(
        label=_("Special characteristic"),
        required=False,
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )


class SupplierFilterForm(SearchForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(SupplierStatus.choices)
    )


class InstrumentFilterForm(SearchForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(InstrumentStatus.choices)
    )


class LotFilterForm(forms.Form):
    q = forms.CharField(label=_("Lot or supplier batch"), required=False, max_length=60)
    status = forms.ChoiceField(
        label=_("Stock status"), required=False, choices=_blank(StockStatus.choices)
    )
    origin = forms.ChoiceField(label=_("Origin"), required=False, choices=_blank(LotOrigin.choices))
    supplier = forms.ModelChoiceField(
        label=_("Supplier"), required=False, queryset=Supplier.objects.none()
    )
    item = forms.ModelChoiceField(
        label=pgettext_lazy("master data", "Item"), required=False, queryset=Item.objects.none()
    )
    arrived_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    arrived_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.filter(  # type: ignore[attr-defined]
            voided_at__isnull=True
        ).only("id", "code", "name")
        self.fields["item"].queryset = Item.objects.filter(  # type: ignore[attr-defined]
            voided_at__isnull=True
        ).only("id", "part_number", "name")
