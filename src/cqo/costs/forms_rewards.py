"""The rewards part's forms (§7.2.4.2): they parse; the services decide (amounts are taken as
text, so the service names the field and the clause when one is not a number of yuan)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqo.organisation.models import Person, Unit

from .models_rewards import RewardKind, RewardRule


class RuleForm(forms.Form):
    code = forms.CharField(label=_("code"), max_length=30)
    kind = forms.ChoiceField(label=_("kind"), choices=RewardKind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    basis = forms.CharField(label=_("basis"), widget=forms.Textarea(attrs={"rows": 2}))
    amount_min = forms.CharField(label=_("lowest amount (yuan)"), max_length=30, required=False)
    amount_max = forms.CharField(label=_("highest amount (yuan)"), max_length=30, required=False)
    points = forms.CharField(label=_("points"), max_length=6, required=False)
    active_from = forms.DateField(
        label=_("applies from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    active_to = forms.DateField(
        label=_("applies to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["active_from"].initial = timezone.localdate()


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("reason for voiding"), max_length=5000)


class DecisionForm(forms.Form):
    rule = forms.ModelChoiceField(label=_("rule"), queryset=RewardRule.objects.none())
    person = forms.ModelChoiceField(label=_("person"), queryset=Person.objects.none(),
                                    required=False)  # fmt: skip
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none(), required=False)
    amount = forms.CharField(label=_("amount (yuan)"), max_length=30, required=False)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("evidence"), required=False,
                               help_text=_("PDF, PNG or JPEG."))  # fmt: skip
    source_ref = forms.CharField(label=_("source record"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        rule_field: Any = self.fields["rule"]
        rule_field.queryset = RewardRule.objects.active().filter(active_from__lte=today)
        person_field: Any = self.fields["person"]
        person_field.queryset = Person.objects.order_by("name")
        unit_field: Any = self.fields["unit"]
        unit_field.queryset = Unit.objects.active().order_by("path")


class DecideForm(forms.Form):
    approve = forms.BooleanField(required=False)
    note = forms.CharField(label=_("decision note"), max_length=5000, required=False)
