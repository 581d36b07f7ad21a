"""Forms for the organisation pages. They only shape input; the services decide and record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import roles as R
from .models import AuthorityChangeKind, Enterprise, Person, Post, Unit
from .validators import normalise_credit_code


class DateInput(forms.DateInput):
    input_type = "date"


def _active_people(enterprise: Enterprise | None) -> Any:
    qs = Person.objects.active().select_related("unit").order_by("employee_no")
    return qs.filter(unit__enterprise=enterprise) if enterprise is not None else qs


def _active_units(enterprise: Enterprise | None) -> Any:
    qs = Unit.objects.active().order_by("path")
    return qs.filter(enterprise=enterprise) if enterprise is not None else qs


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # str() of a person or a unit reads in the page's language (English names on an English page).
        return f"{obj.employee_no} {obj} ({obj.unit})"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * obj.depth}{obj}"


class EnterpriseForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "name", "name_en", "credit_code", "size_class", "industry_code", "industry_name",
            "region_code", "region_name", "address", "address_en", "legal_representative",
            "principal",
        ]  # fmt: skip
        field_classes = {"legal_representative": PersonChoiceField, "principal": PersonChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Codes are often typed or pasted in groups ("9150 0112 ..."): the length is checked
        # after the spaces are gone, by the validator.
        self.fields["credit_code"].max_length = None  # type: ignore[attr-defined]
        if self.instance.pk:
            # Who appoints the CQO changes only by a signed authority change (decision 0006):
            # shown here, never taken from the form.
            for name in ("legal_representative", "principal"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Changed by an authority change that the current principal signs."
                )
        self.fields["credit_code"].validators = [
            v for v in self.fields["credit_code"].validators if not hasattr(v, "limit_value")
        ]
        self.fields["credit_code"].widget.attrs.pop("maxlength", None)
        people = _active_people(self.instance if self.instance.pk else None)
        for name in ("legal_representative", "principal"):
            self.fields[name].queryset = people  # type: ignore[attr-defined]
        if not self.instance.pk:
            # A new enterprise has no people yet; they are chosen once it has some.
            del self.fields["legal_representative"]
            del self.fields["principal"]

    def clean_credit_code(self) -> str:
        return normalise_credit_code(self.cleaned_data.get("credit_code", ""))


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["parent", "kind", "code", "name", "name_en", "head", "sort_order"]
        field_classes = {"parent": UnitChoiceField, "head": PersonChoiceField}

    def __init__(self, *args: Any, enterprise: Enterprise | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = _active_people(enterprise)  # type: ignore[attr-defined]
        if self.instance.pk:
            # Moving has its own page, with the loop check and a reason.
            del self.fields["parent"]
        else:
            self.fields["parent"].queryset = _active_units(enterprise)  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        # The service validates against the database; the form only parses.
        pass


class UnitMoveForm(forms.Form):
    parent = UnitChoiceField(
        label=_("new parent unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Leave empty to make it a top-level unit."),
    )
    reason = forms.CharField(
        label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offer every active unit: refusing a loop with a clear message beats hiding the choice.
        self.fields["parent"].queryset = _active_units(unit.enterprise)  # type: ignore[attr-defined]


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for voiding"), widget=forms.Textarea(attrs={"rows": 3})
    )


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "employee_no", "name", "name_en", "unit", "job_title", "job_title_en", "education",
            "title_level", "quality_years", "email", "phone",
        ]  # fmt: skip
        field_classes = {"unit": UnitChoiceField}

    def __init__(self, *args: Any, enterprise: Enterprise | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _active_units(enterprise)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["employee_no"].disabled = True

    def _post_clean(self) -> None:
        pass


class PersonCreateForm(PersonForm):
    username = forms.CharField(
        label=_("account name"),
        max_length=150,
        required=False,
        help_text=_("Leave empty for a person who does not sign in."),
    )
    password = forms.CharField(
        label=_("initial password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("They must change it when they first sign in."),
    )
    roles = forms.MultipleChoiceField(
        label=_("roles"),
        choices=R.ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PersonLeaveForm(forms.Form):
    left_on = forms.DateField(label=_("left on"), widget=DateInput)
    reason = forms.CharField(
        label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("roles"),
        choices=R.ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(label=_("reason"), required=False)


class AccountForm(forms.Form):
    username = forms.CharField(label=_("account name"), max_length=150)
    password = forms.CharField(
        label=_("initial password"), widget=forms.PasswordInput(render_value=False)
    )
    roles = forms.MultipleChoiceField(
        label=_("roles"),
        choices=R.ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = [
            "unit",
            "code",
            "name",
            "name_en",
            "kind",
            "single_holder",
            "responsibilities",
            "responsibilities_en",
        ]
        field_classes = {"unit": UnitChoiceField}

    def __init__(self, *args: Any, enterprise: Enterprise | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = _active_units(enterprise)  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        pass


class AssignForm(forms.Form):
    person = PersonChoiceField(label=_("person"), queryset=Person.objects.none())
    start_date = forms.DateField(label=_("start date"), widget=DateInput)
    end_date = forms.DateField(label=_("end date"), widget=DateInput, required=False)
    note = forms.CharField(label=_("note"), required=False)

    def __init__(self, *args: Any, post: Post, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _active_people(post.enterprise)  # type: ignore[attr-defined]


class AssignmentEndForm(forms.Form):
    end_date = forms.DateField(label=_("end date"), widget=DateInput)
    reason = forms.CharField(label=_("reason"), required=False)


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("search"), required=False)
    unit = UnitChoiceField(label=_("unit"), queryset=Unit.objects.none(), required=False)
    include_left = forms.BooleanField(label=_("include people who left"), required=False)

    def __init__(self, *args: Any, enterprise: Enterprise | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _active_units(enterprise)  # type: ignore[attr-defined]


class AuthorityChangeForm(forms.Form):
    """Propose a change of authority (decision 0006); the principal's password signs it at once."""

    kind = forms.ChoiceField(label=_("kind"), choices=AuthorityChangeKind.choices)
    person = PersonChoiceField(
        label=_("person"), queryset=Person.objects.active().select_related("unit")
    )
    roles = forms.MultipleChoiceField(
        label=_("roles after the change"),
        choices=R.ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a change of roles: every role the account will hold afterwards."),
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))
    password = forms.CharField(
        label=_("your password (principal: signs at once)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
    )


class SignForm(forms.Form):
    password = forms.CharField(
        label=_("your password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason for withdrawing"))
