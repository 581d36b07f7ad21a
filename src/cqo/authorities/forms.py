"""Forms for the authorities' pages. They parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cqo.organisation.models import Person, Unit

from .catalogue import AUTHORITY_CHOICES
from .models import ApprovalKind, ApprovalStatus


class DateInput(forms.DateInput):
    input_type = "date"


def errors_apply(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: by field where the form has that field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


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


class InboxFilterForm(forms.Form):
    view = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("inbox", _("Awaiting my decision")), ("all", _("All requests I may see"))],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *ApprovalKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *ApprovalStatus.choices],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
