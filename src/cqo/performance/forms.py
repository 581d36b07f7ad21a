"""The performance app's forms: they parse; the services decide (numbers are taken as text, so
the service names the field and the clause when one is not a number)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cqo.core.metrics import Direction, metric_choices
from cqo.organisation.models import Unit

from .models import Objective, SubjectKind

DATE = forms.DateInput(attrs={"type": "date"})


class ObjectiveForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none(), required=False,
                                  help_text=_("Leave empty for an objective of the enterprise."))  # fmt: skip
    parent = forms.ModelChoiceField(label=_("cascaded from"), queryset=Objective.objects.none(),
                                    required=False)  # fmt: skip
    metric = forms.ChoiceField(
        label=pgettext_lazy("objective", "measure"), choices=(), required=False
    )
    measure_name = forms.CharField(label=_("measure (entered)"), max_length=120, required=False)
    measure_unit = forms.CharField(label=_("unit of the measure"), max_length=30, required=False)
    direction = forms.ChoiceField(label=_("direction"), choices=[("", "—"), *Direction.choices],
                                  required=False)  # fmt: skip
    target = forms.CharField(label=_("target"), max_length=30)
    tolerance = forms.CharField(label=_("tolerance (amber band)"), max_length=30, initial="0")
    first = forms.DateField(label=_("period from"), widget=DATE)
    last = forms.DateField(label=_("period to"), widget=DATE)
    owner = forms.ModelChoiceField(label=_("owner"), queryset=get_user_model().objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active().order_by("path")  # type: ignore[attr-defined]
        self.fields["parent"].queryset = Objective.objects.active().order_by("number")  # type: ignore[attr-defined]
        self.fields["owner"].queryset = (  # type: ignore[attr-defined]
            get_user_model().objects.filter(is_active=True).order_by("username")
        )  # type: ignore[attr-defined]
        self.fields["metric"].choices = [("", _("Entered with evidence")), *metric_choices()]  # type: ignore[attr-defined]


class ActualForm(forms.Form):
    month = forms.DateField(label=_("month"), widget=forms.DateInput(attrs={"type": "month"}),
                            input_formats=["%Y-%m", "%Y-%m-%d"])  # fmt: skip
    value = forms.CharField(label=_("actual"), max_length=30)
    evidence = forms.FileField(label=_("evidence"))
    note = forms.CharField(label=_("note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class RoundForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    subject_kind = forms.ChoiceField(label=_("appraised"), choices=SubjectKind.choices)
    first = forms.DateField(label=_("period from"), widget=DATE)
    last = forms.DateField(label=_("period to"), widget=DATE)
    points_green = forms.CharField(label=_("points when green"), max_length=10, initial="100")
    points_amber = forms.CharField(label=_("points when amber"), max_length=10, initial="60")
    points_red = forms.CharField(label=_("points when red"), max_length=10, initial="0")
    deduction_per_penalty = forms.CharField(label=_("deduction per penalty"), max_length=10,
                                            initial="5")  # fmt: skip
    deduction_cap = forms.CharField(label=_("deductions at most"), max_length=10, initial="20")
    credit_per_reward = forms.CharField(label=_("credit per reward"), max_length=10, initial="5")
    credit_cap = forms.CharField(label=_("credits at most"), max_length=10, initial="10")


class WeightForm(forms.Form):
    objective = forms.ModelChoiceField(label=_("objective"), queryset=Objective.objects.none())
    weight = forms.CharField(label=_("weight"), max_length=10)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = Objective.objects.active().order_by("number")  # type: ignore[attr-defined]


class AppealForm(forms.Form):
    grounds = forms.CharField(label=_("grounds of the appeal"),
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("answer"), widget=forms.Textarea(attrs={"rows": 3}))


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("reason for voiding"), max_length=500)
