"""Forms of the daily control, weekly check and monthly dispatch pages. They parse; the services
decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cqo.accounts.models import User

MONTH_FORMATS = ["%Y-%m"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: Any = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs: Any = None) -> None:
        super().__init__(attrs, format="%Y-%m")


def _accounts() -> Any:
    return (
        User.objects.filter(is_active=True, person__isnull=False, person__status="active")
        .select_related("person")
        .order_by("person__name", "username")
    )


class AccountChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        person = getattr(obj, "person", None)
        return f"{person.name} ({obj.username})" if person else obj.username


class DailyForm(forms.Form):
    """The day, then per daily control of the list: done, the finding, a photo."""

    day = forms.DateField(label=_("Day"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=20000)  # fmt: skip

    def __init__(self, *args: Any, controls: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.controls = list(controls)
        for n, _control in enumerate(self.controls):
            self.fields[f"done_{n}"] = forms.BooleanField(
                label=_("Done"), required=False, initial=True
            )
            self.fields[f"finding_{n}"] = forms.CharField(
                label=_("What was found"), required=False, max_length=20000,
                widget=forms.Textarea(attrs={"rows": 1}),
            )  # fmt: skip
            self.fields[f"photo_{n}"] = forms.FileField(label=_("Photo"), required=False)

    def rows(self) -> list[tuple[Any, Any, Any, Any]]:
        return [
            (c, self[f"done_{n}"], self[f"finding_{n}"], self[f"photo_{n}"])
            for n, c in enumerate(self.controls)
        ]

    def checks(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {"key": c.key, "done": data.get(f"done_{n}", False),
             "finding": data.get(f"finding_{n}", ""), "photo": data.get(f"photo_{n}")}
            for n, c in enumerate(self.controls)
        ]  # fmt: skip


class PolicyForm(forms.Form):
    starts_on = forms.DateField(label=_("Records expected from"), widget=DateInput())
    daily_due_hour = forms.IntegerField(label=_("Daily record due by (hour)"), min_value=0,
                                        max_value=23, initial=18)  # fmt: skip
    weekends = forms.BooleanField(label=_("Daily records on Saturdays and Sundays too"),
                                  required=False)  # fmt: skip
    weekly_due_days = forms.IntegerField(
        label=_("Weekly report due (days after the week ends)"), min_value=0, max_value=14,
        initial=1,
    )  # fmt: skip
    monthly_due_day = forms.IntegerField(
        label=_("Monthly dispatch due by (day of the next month)"), min_value=1, max_value=28,
        initial=10,
    )  # fmt: skip


class WeeklyForm(forms.Form):
    week_start = forms.DateField(label=_("Week from (Monday)"), widget=DateInput())
    summary = forms.CharField(label=_("How the week's controls went"), max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    problems = forms.CharField(label=_("Problems found"), required=False, max_length=20000,
                               widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    conclusion = forms.CharField(label=_("Conclusion and next week's focus"), required=False,
                                 max_length=20000,
                                 widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class MonthlyReportForm(forms.Form):
    month = forms.DateField(label=_("Month"), input_formats=MONTH_FORMATS, widget=MonthInput())
    report = forms.CharField(label=_("The CQO's report on the month"), max_length=20000,
                             widget=forms.Textarea(attrs={"rows": 6}))  # fmt: skip


class MonthlyHoldForm(forms.Form):
    held_on = forms.DateField(label=_("Meeting held on"), widget=DateInput())
    attendees = forms.CharField(label=_("Attendees"), max_length=20000,
                                widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    decisions = forms.CharField(label=_("Decisions"), max_length=20000,
                                widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip


class TaskForm(forms.Form):
    problem = forms.CharField(label=_("Problem"), max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    action = forms.CharField(label=_("Rectification required"), max_length=20000,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    owner = AccountChoice(label=_("Owner"), queryset=User.objects.none())
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _accounts()  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    evidence = forms.CharField(label=_("Evidence of rectification"), max_length=20000,
                               widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    evidence_file = forms.FileField(label=_("Evidence file"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
