"""Forms of the post's pages. They parse; the services decide, and say why in the user's
language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cqo.core.views import errors_apply  # noqa: F401 — re-exported for the views
from cqo.organisation.models import EducationLevel, Person, TitleLevel

from .models import (
    AppointmentKind,
    CompetenceArea,
    Disqualification,
    EvidenceKind,
    LedFunction,
    PostForm,
    QualificationRuleSet,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        # A date input only takes ISO dates, whatever the page's language formats dates as.
        super().__init__(attrs, format or "%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        title = f" · {obj.job_title}" if obj.job_title else ""
        return f"{obj.employee_no} {obj}{title}"


def _people(enterprise: Any) -> Any:
    qs = Person.objects.active().select_related("unit").order_by("employee_no")
    return qs.filter(unit__enterprise=enterprise) if enterprise is not None else qs


DECLARATION_CHOICES = [("no", _("Does not apply")), ("yes", _("Applies"))]


def declaration_fields() -> dict[str, forms.Field]:
    return {
        f"decl_{code}": forms.ChoiceField(
            label=label,
            choices=DECLARATION_CHOICES,
            widget=forms.RadioSelect,
            help_text=_(
                "§5.1.4: declared by the principal; any condition that applies blocks the "
                "appointment."
            ),
            error_messages={"required": _("Declare whether this condition applies (§5.1.4).")},
        )
        for code, label in Disqualification.choices
    }


class DeclarationsMixin(forms.Form):
    def declarations(self) -> dict[str, bool]:
        return {
            code: self.cleaned_data.get(f"decl_{code}") == "yes"
            for code in Disqualification.values
            if self.cleaned_data.get(f"decl_{code}")
        }


class AppointmentForm(DeclarationsMixin):
    person = PersonChoiceField(label=_("Candidate"), queryset=Person.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=AppointmentKind.choices, initial=AppointmentKind.APPOINTMENT
    )
    effective_from = forms.DateField(
        label=_("Effective from"),
        widget=DateInput,
        help_text=_(
            "An appointment is in force only once you have signed it, and never before the signing "
            "day."
        ),
    )
    effective_to = forms.DateField(
        label=_("Effective until"),
        widget=DateInput,
        required=False,
        help_text=_("Leave empty for an open term."),
    )
    post_form = forms.ChoiceField(
        label=_("Form of the post"),
        choices=PostForm.choices,
        initial=PostForm.DEDICATED,
        widget=forms.RadioSelect,
        help_text=_("§4.1: a dedicated post at decision level, or held by a deputy head or above."),
    )
    holder_position = forms.CharField(
        label=_("Position held"),
        required=False,
        max_length=100,
        help_text=_("For a concurrent post: the senior position the CQO also holds."),
    )
    functions = forms.MultipleChoiceField(
        label=_("Functions led directly"),
        choices=LedFunction.choices,
        initial=LedFunction.values,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("§4.1: the work the CQO leads directly."),
        error_messages={"required": _("§4.1: choose the functions the CQO leads directly.")},
    )
    also_quality_safety_director = forms.BooleanField(
        label=_("The CQO also holds the Quality Safety Director post (SAMR Order 75)"),
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, enterprise: Any = None, exclude_person: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        qs = _people(enterprise)
        if exclude_person is not None:
            qs = qs.exclude(pk=exclude_person.pk)
        self.fields["person"].queryset = qs  # type: ignore[attr-defined]
        self.fields.update(declaration_fields())

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "person": data["person"],
            "kind": data["kind"],
            "effective_from": data["effective_from"],
            "effective_to": data.get("effective_to"),
            "post_form": data["post_form"],
            "holder_position": data.get("holder_position", ""),
            "functions": data["functions"],
            "also_quality_safety_director": data.get("also_quality_safety_director", False),
            "note": data.get("note", ""),
            "declarations": self.declarations(),
        }


class RenewForm(forms.Form):
    effective_from = forms.DateField(
        label=_("New term from"),
        widget=DateInput,
        required=False,
        help_text=_("Empty: the day after the current term ends."),
    )
    effective_to = forms.DateField(label=_("New term until"), widget=DateInput, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RemoveForm(forms.Form):
    last_day = forms.DateField(label=_("Last day in office"), widget=DateInput)
    reason = forms.CharField(
        label=_("Reason for the removal"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class DeclarationForm(DeclarationsMixin):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = declaration_fields()
        fields["note"] = self.fields.pop("note")
        self.fields = fields  # type: ignore[assignment]


class PolicyForm(forms.Form):
    rule_set = forms.ModelChoiceField(
        label=_("Qualification rule set"),
        queryset=QualificationRuleSet.objects.all(),
        empty_label=None,
        help_text=_("DB50/T 1696 is the default; a region may ask more by firm size."),
    )


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    education = forms.ChoiceField(
        label=_("Education shown"), choices=[("", "—"), *EducationLevel.choices], required=False
    )
    title_level = forms.ChoiceField(
        label=_("Title level shown"), choices=[("", "—"), *TitleLevel.choices], required=False
    )
    quality_years = forms.IntegerField(
        label=_("Years of quality work shown"), min_value=0, max_value=80, required=False
    )
    issuer = forms.CharField(label=_("Issuer"), max_length=200, required=False)
    number = forms.CharField(label=_("Certificate number"), max_length=100, required=False)
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput, required=False)
    expires_on = forms.DateField(label=_("Valid until"), widget=DateInput, required=False)
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("PDF, JPEG or PNG, at most 10 MB.")
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssessmentForm(forms.Form):
    person = PersonChoiceField(label=_("Person assessed"), queryset=Person.objects.none())
    assessed_on = forms.DateField(label=_("Assessment date"), widget=DateInput)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()  # type: ignore[attr-defined]


SCORE_CHOICES = [("", "—"), *[(str(i), str(i)) for i in range(1, 6)]]


class ScoreForm(forms.Form):
    def __init__(
        self, *args: Any, initial_scores: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for code, label in CompetenceArea.choices:
            self.fields[f"score_{code}"] = forms.ChoiceField(
                label=label,
                choices=SCORE_CHOICES,
                required=False,
                initial=str((initial_scores or {}).get(code) or ""),
            )

    def scores(self) -> dict[str, str]:
        return {
            code: self.cleaned_data.get(f"score_{code}") or ""
            for code in CompetenceArea.values
            if self.cleaned_data.get(f"score_{code}")
        }


class ActionForm(forms.Form):
    area = forms.ChoiceField(
        label=_("Area"), choices=[("", "—"), *CompetenceArea.choices], required=False
    )
    action = forms.CharField(label=pgettext_lazy("development action", "Action"), max_length=300)
    due_on = forms.DateField(label=_("Due"), widget=DateInput)
