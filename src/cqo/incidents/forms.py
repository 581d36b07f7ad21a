"""Forms of the incident and penalty pages. They parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cqo.accounts.models import User
from cqo.masterdata.models import Item
from cqo.organisation.models import Person, Unit

from .models import (
    INCIDENT_COST_ITEMS,
    DeciderRole,
    IncidentLevel,
    Measure,
    ResponsibilityKind,
    Verdict,
)


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: Any = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _units() -> Any:
    return Unit.objects.active().order_by("path")


def _people() -> Any:
    return Person.objects.active().select_related("unit").order_by("unit__path", "name")


def _users() -> Any:
    return User.objects.filter(is_active=True).order_by("username")


def _text(label: Any, rows: int = 3, required: bool = True, **kw: Any) -> forms.CharField:
    return forms.CharField(label=label, required=required,
                           widget=forms.Textarea(attrs={"rows": rows}), **kw)  # fmt: skip


class RulesForm(forms.Form):
    text = _text(_("Rules text"), rows=8)
    serious_loss = forms.DecimalField(label=_("Serious from a loss of (yuan)"), min_value=0,
                                      max_digits=14, decimal_places=2)  # fmt: skip
    major_loss = forms.DecimalField(label=_("Major from a loss of (yuan)"), min_value=0,
                                    max_digits=14, decimal_places=2)  # fmt: skip
    serious_injuries = forms.IntegerField(label=_("Serious from injured people"), min_value=0,
                                          max_value=100000)  # fmt: skip
    major_injuries = forms.IntegerField(label=_("Major from injured people"), min_value=0,
                                        max_value=100000)  # fmt: skip
    major_deaths = forms.IntegerField(label=_("Major from deaths"), min_value=0, max_value=1000)
    general_hours = forms.IntegerField(label=_("Report a general incident within (hours)"),
                                       min_value=0, max_value=10000)  # fmt: skip
    serious_hours = forms.IntegerField(label=_("Report a serious incident within (hours)"),
                                       min_value=0, max_value=10000)  # fmt: skip
    major_hours = forms.IntegerField(label=_("Report a major incident within (hours)"),
                                     min_value=0, max_value=10000)  # fmt: skip
    general_report_to = forms.CharField(label=_("A general incident is reported to"),
                                        max_length=200)  # fmt: skip
    serious_report_to = forms.CharField(label=_("A serious incident is reported to"),
                                        max_length=200)  # fmt: skip
    major_report_to = forms.CharField(label=_("A major incident is reported to"), max_length=200)
    decider_role = forms.ChoiceField(label=_("Penalties are decided by"),
                                     choices=DeciderRole.choices)  # fmt: skip
    hearing_days = forms.IntegerField(label=_("Days the person has to answer"), min_value=0,
                                      max_value=365)  # fmt: skip


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = _text(_("Account of the incident"), rows=4)
    occurred_at = forms.DateTimeField(label=_("Occurred at"), widget=DateTimeInput)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    unit = forms.ModelChoiceField(label=_("Unit where it happened"), queryset=Unit.objects.none(),
                                  required=False)  # fmt: skip
    item = forms.ModelChoiceField(
        label=_("Product item"), queryset=Item.objects.none(), required=False
    )
    loss = forms.DecimalField(label=_("Direct loss (yuan)"), min_value=0, max_digits=14,
                              decimal_places=2, initial=0)  # fmt: skip
    injuries = forms.IntegerField(label=_("Injured people"), min_value=0, max_value=100000,
                                  initial=0)  # fmt: skip
    deaths = forms.IntegerField(label=_("Deaths"), min_value=0, max_value=100000, initial=0)
    harm = _text(_("Other harm"), rows=2, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()  # type: ignore[attr-defined]
        self.fields["item"].queryset = Item.objects.active().order_by("part_number")  # type: ignore[attr-defined]


class LevelForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=IncidentLevel.choices)
    reason = _text(_("Reason"), rows=2)


class OnwardForm(forms.Form):
    reported_to = forms.CharField(label=_("Reported to"), max_length=200)
    reported_at = forms.DateTimeField(label=_("Reported at"), widget=DateTimeInput,
                                      required=False, help_text=_("Now, if left empty."))  # fmt: skip


class LeadForm(forms.Form):
    lead = forms.ModelChoiceField(label=_("Investigation led by"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = _users()  # type: ignore[attr-defined]


class TeamForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Member"), queryset=User.objects.none())
    task = forms.CharField(label=_("Task in the team"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _users()  # type: ignore[attr-defined]


class TimelineForm(forms.Form):
    at = forms.DateTimeField(label=_("When"), widget=DateTimeInput)
    text = _text(_("What happened or was found"), rows=2)


class FindingsForm(forms.Form):
    facts = _text(_("Facts established"), rows=4, required=False)
    causes = _text(_("Causes"), rows=4, required=False)


class ResponsibilityForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none(),
                                    required=False)  # fmt: skip
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("Responsibility"), choices=ResponsibilityKind.choices)
    finding = _text(_("Finding"), rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people()  # type: ignore[attr-defined]
        self.fields["unit"].queryset = _units()  # type: ignore[attr-defined]


class ConcludeForm(forms.Form):
    conclusion = _text(_("Conclusion"), rows=4)


class CostForm(forms.Form):
    item_code = forms.ChoiceField(label=_("Cost item"), choices=INCIDENT_COST_ITEMS)
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, max_digits=14,
                                decimal_places=2)  # fmt: skip
    incurred_on = forms.DateField(label=_("Date"), widget=DateInput)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ReasonForm(forms.Form):
    reason = _text(_("Reason"), rows=2)


class PenaltyForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none(),
                                    required=False)  # fmt: skip
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    basis = _text(_("Basis (rule and article)"), rows=2)
    measure = forms.ChoiceField(label=_("Penalty measure"), choices=Measure.choices)
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, max_digits=12,
                                decimal_places=2, required=False)  # fmt: skip
    measure_text = forms.CharField(label=_("Measure in words"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people()  # type: ignore[attr-defined]
        self.fields["unit"].queryset = _units()  # type: ignore[attr-defined]


class NoticeForm(forms.Form):
    notice = _text(_("Notice to the person"), rows=3)


class HearForm(forms.Form):
    statement = _text(
        _("The person's statement"), rows=4, required=False,
        help_text=_("Leave empty to record that the hearing window passed without a statement."),
    )  # fmt: skip


class DecisionForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Decision"), choices=Verdict.choices,
                                widget=forms.RadioSelect)  # fmt: skip
    measure = forms.ChoiceField(label=_("Penalty measure"), choices=[("", "—"), *Measure.choices],
                                required=False)  # fmt: skip
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, max_digits=12,
                                decimal_places=2, required=False)  # fmt: skip
    reasons = _text(_("Reasons"), rows=3)
