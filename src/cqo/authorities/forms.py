"""Forms for the authorities' pages. They parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cqo.core.views import errors_apply  # noqa: F401 (the views import it from here)
from cqo.organisation.models import Person, Unit

from .catalogue import AUTHORITY_CHOICES
from .kinds import APPROVAL_KINDS, approval_kind_choices
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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by the service (``cqo.core.uploads``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


# Raised from its own page, not here: a quality plan goes through "send for approval".
def _raisable_kinds() -> list[tuple[str, str]]:
    return [
        (v, label)
        for v, label in approval_kind_choices()
        if not APPROVAL_KINDS[v].raised_from_subject
    ]


class ApprovalRaiseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=_raisable_kinds)
    summary = forms.CharField(
        label=_("What is to be approved"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say in a sentence or two what you ask for and why."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Routes the request to a delegate for this unit; empty means enterprise-wide."),
    )
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    due = forms.DateField(label=_("Decision wanted by"), widget=DateInput, required=False)
    attachments = MultipleFileField(
        label=_("Evidence"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB each: reports, photos, quotations."),
    )
    subject_type = forms.CharField(widget=forms.HiddenInput, required=False)
    object_id = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()  # type: ignore[attr-defined]
