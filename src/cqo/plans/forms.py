"""Forms of the strategy and plans pages. They parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cqo.authorities.forms import DateInput, _units
from cqo.organisation.models import Person, Unit

from .models import QualityStrategy


class StrategyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    start_year = forms.IntegerField(label=_("From year"))
    end_year = forms.IntegerField(label=_("To year"))
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    year = forms.IntegerField(label=_("Year"))
    strategy = forms.ModelChoiceField(
        label=_("Strategy"), queryset=QualityStrategy.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = QualityStrategy.objects.active()  # type: ignore[attr-defined]
        self.fields["unit"].queryset = _units()  # type: ignore[attr-defined]


class PlanItemForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.none())
    due_date = forms.DateField(label=_("Deadline"), widget=DateInput)
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.active().select_related("unit")  # type: ignore[attr-defined]


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Note"), required=False)


class PlanSubmitForm(forms.Form):
    due_date = forms.DateField(label=_("Decision wanted by"), widget=DateInput, required=False)
