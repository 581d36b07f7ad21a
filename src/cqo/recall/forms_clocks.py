"""The clocks part's forms: they parse; the services decide."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqo.core.models import CalendarDayKind

from .models_clocks import ClockProfile, ClockRegime, ClockUnit
from .services_clocks import CLOCK_EVENTS, event_label


def _event_choices(blank: str = "") -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [(e, event_label(e)) for e in CLOCK_EVENTS]
    return [("", blank), *choices] if blank else choices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class EventForm(forms.Form):
    event = forms.ChoiceField(label=gettext_lazy("Case event"), choices=())
    on = forms.DateField(label=gettext_lazy("On"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = _event_choices()  # type: ignore[attr-defined]


class StopForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("On"), widget=DateInput())
    note = forms.CharField(label=gettext_lazy("What was done and where it is recorded"),
                           max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class WaiveForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why the deadline does not apply"),
                             max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class CaseProfileForm(forms.Form):
    profile = forms.ModelChoiceField(
        label=gettext_lazy("Clock profile"),
        queryset=ClockProfile.objects.filter(voided_at__isnull=True),
    )


class DeadlineForm(forms.Form):
    key = forms.SlugField(label=gettext_lazy("Deadline key"), max_length=40, required=False)
    label = forms.CharField(label=gettext_lazy("Deadline"), max_length=200, required=False)
    label_en = forms.CharField(label=gettext_lazy("Deadline in English"), max_length=200,
                               required=False)  # fmt: skip
    start_event = forms.ChoiceField(label=gettext_lazy("Started by"), choices=(), required=False)
    stop_event = forms.ChoiceField(label=gettext_lazy("Stopped by"), choices=(), required=False)
    count = forms.IntegerField(label=gettext_lazy("Time allowed"), min_value=1, max_value=365,
                               required=False)  # fmt: skip
    unit = forms.ChoiceField(label=gettext_lazy("Unit of time"), choices=ClockUnit.choices,
                             initial=ClockUnit.WORKDAYS, required=False)  # fmt: skip
    warn_days = forms.IntegerField(label=gettext_lazy("Warn days before"), min_value=0,
                                   max_value=365, initial=1, required=False)  # fmt: skip
    verified = forms.BooleanField(label=gettext_lazy("Deadline verified"), required=False)
    source = forms.CharField(
        label=gettext_lazy("Source of the deadline"), max_length=300, required=False
    )
    condition = forms.CharField(label=gettext_lazy("Applies when"), max_length=300,
                                required=False)  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_event"].choices = _event_choices("—")  # type: ignore[attr-defined]
        self.fields["stop_event"].choices = _event_choices(  # type: ignore[attr-defined]
            _("by hand")
        )


DeadlineFormSet = forms.formset_factory(DeadlineForm, extra=2, max_num=30, validate_max=True)


def deadline_rows(formset: Any) -> list[dict[str, Any]]:
    """The filled rows of the formset (a row without a key is left out)."""
    return [
        {**f.cleaned_data, "warn_days": f.cleaned_data.get("warn_days") or 0}
        for f in formset.forms
        if f.cleaned_data.get("key")
    ]


class ProfileForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=40)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    name_en = forms.CharField(label=gettext_lazy("Name in English"), max_length=200,
                              required=False)  # fmt: skip
    regime = forms.ChoiceField(label=gettext_lazy("Product regime"), choices=ClockRegime.choices)
    note = forms.CharField(label=gettext_lazy("What changed and why"), max_length=2000,
                           required=False, widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class ReviseForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("What changed and why"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class CalendarDayForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Day"), widget=DateInput())
    kind = forms.ChoiceField(label=gettext_lazy("Kind of day"), choices=CalendarDayKind.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100, required=False)
    reason = forms.CharField(label=gettext_lazy("Reason and the notice it rests on"),
                             max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class CalendarClearForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Day"), widget=DateInput())
    reason = forms.CharField(label=gettext_lazy("Reason and the notice it rests on"),
                             max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


def _days(text: str) -> list[tuple[datetime.date, str]]:
    """Lines of ``YYYY-MM-DD name`` or ``YYYY-MM-DD..YYYY-MM-DD name``."""
    found: list[tuple[datetime.date, str]] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        when, _sep, name = line.partition(" ")
        first_text, _dots, last_text = when.partition("..")
        try:
            first = datetime.date.fromisoformat(first_text)
            last = datetime.date.fromisoformat(last_text) if last_text else first
        except ValueError:
            raise forms.ValidationError(
                _(
                    "Line %(line)s: write a day as 2027-01-01, or a range as "
                    "2027-02-10..2027-02-16, then the name."
                )
                % {"line": number}
            ) from None
        if last < first or (last - first).days > 31:
            raise forms.ValidationError(
                _("Line %(line)s: a range runs forward and spans at most a month.")
                % {"line": number}
            )
        day = first
        while day <= last:
            found.append((day, name.strip()))
            day += datetime.timedelta(days=1)
    return found


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    source = forms.CharField(label=gettext_lazy("Source of the arrangement"), max_length=300)
    holidays = forms.CharField(
        label=gettext_lazy("Holidays"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("One line each: a day (2027-01-01) or a range "
                               "(2027-02-10..2027-02-16), then its name."),
    )  # fmt: skip
    workdays = forms.CharField(
        label=gettext_lazy("Make-up working days"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("Weekend days worked instead, one line each."),
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=2000, required=False)

    def clean_holidays(self) -> list[tuple[datetime.date, str]]:
        return _days(self.cleaned_data.get("holidays", ""))

    def clean_workdays(self) -> list[tuple[datetime.date, str]]:
        return _days(self.cleaned_data.get("workdays", ""))
