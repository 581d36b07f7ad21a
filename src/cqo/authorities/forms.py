"""Forms for the authorities' pages. They parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cqo.core.views import errors_apply  # noqa: F401 (the views import it from here)
from cqo.organisation.models import Person, Unit

from .catalogue import AUTHORITY_CHOICES
from .kinds import approval_kind_choices
from .models import ApprovalStatus


class DateInput(forms.DateInput):
    input_type = "date"


def _people() -> Any:
    return Person.objects.active().filter(user__isnull=False).select_related("unit")


def _units() -> Any:
    return Unit.objects.active().order_by("path")


class DelegationForm(forms.Form):
    authority = forms.ChoiceField(label=_("Authority"), choices=AUTHORITY_CHOICES)
    delegate = forms.ModelChoiceField(label=_("Delegate"), queryset=Person.objects.none())
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.none(),
        help_text=_("The delegation covers these units and everything below them."),
    )
    start_date = forms.DateField(label=_("From"), widget=DateInput)
    end_date = forms.DateField(label=_("Until"), widget=DateInput)
    scope_note = forms.CharField(
        label=_("Scope and conditions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = _people()  # type: ignore[attr-defined]
        self.fields["units"].queryset = _units()  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


def _kind_choices() -> list[tuple[str, str]]:
    # A callable: the kinds are registered by the apps in ready(), after this module is read.
    return [("", str(_("Any kind"))), *approval_kind_choices()]


class InboxFilterForm(forms.Form):
    view = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("inbox", _("Awaiting my decision")), ("all", _("All requests I may see"))],
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_kind_choices)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *ApprovalStatus.choices],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
