"""Forms of the CAPA pages: they parse, the services decide (§7.1.4)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cqo.accounts.models import User

from .models_capa import (
    ActionKind,
    CapaKind,
    DocumentKind,
    EffectivenessBasis,
    EffectivenessResult,
    FishboneCategory,
    MemberRole,
)
from .services_capa import MAX_WHYS

DATE = forms.DateInput(attrs={"type": "date"})


def _users() -> Any:
    return User.objects.filter(is_active=True).order_by("username")


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class CapaNewForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=CapaKind.choices)
    owner = UserChoice(label=_("owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("due date"), required=False, widget=DATE)
    is_8d = forms.BooleanField(
        label=_("8D report"), required=False,
        help_text=_("A complaint or a critical (CR) defect on the NCR always asks for an 8D."),
    )  # fmt: skip
    effectiveness_basis = forms.ChoiceField(
        label=_("effectiveness checked"), choices=EffectivenessBasis.choices
    )
    effectiveness_lots = forms.IntegerField(
        label=_("lots to watch"), min_value=1, max_value=1000, initial=3
    )
    effectiveness_days = forms.IntegerField(
        label=_("days to watch"), min_value=1, max_value=1000, initial=30
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _users()  # type: ignore[attr-defined]


class ProblemForm(forms.Form):
    """D2 (5W2H), D3 containment, D4 root cause, the plan for D8."""

    title = forms.CharField(label=_("title"), max_length=200)
    problem_what = forms.CharField(
        label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    problem_why = forms.CharField(
        label=_("Why it is a problem"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    problem_where = forms.CharField(
        label=_("Where it was found"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    problem_when = forms.CharField(
        label=_("When it was found"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    problem_who = forms.CharField(
        label=_("Who found it or is affected"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    problem_how = forms.CharField(
        label=_("How it was found"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    problem_how_many = forms.CharField(
        label=_("How many are affected"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    containment = forms.CharField(
        label=_("containment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    root_cause = forms.CharField(
        label=_("root cause"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = forms.DateField(label=_("due date"), required=False, widget=DATE)
    effectiveness_basis = forms.ChoiceField(
        label=_("effectiveness checked"), choices=EffectivenessBasis.choices
    )
    effectiveness_lots = forms.IntegerField(label=_("lots to watch"), min_value=1, max_value=1000)
    effectiveness_days = forms.IntegerField(label=_("days to watch"), min_value=1, max_value=1000)
    repeat_window_days = forms.IntegerField(
        label=_("repeat window (days)"), min_value=1, max_value=3650
    )


class MemberForm(forms.Form):
    user = UserChoice(label=_("member"), queryset=User.objects.none())
    role = forms.ChoiceField(
        label=_("role in the team"), choices=MemberRole.choices, initial=MemberRole.MEMBER
    )
    duty = forms.CharField(label=_("duty"), max_length=120, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _users()  # type: ignore[attr-defined]


class WhyChainForm(forms.Form):
    chain = forms.IntegerField(required=False, widget=forms.HiddenInput)
    problem = forms.CharField(label=_("effect"), max_length=300)
    category = forms.ChoiceField(
        label=_("5M1E category"), required=False,
        choices=[("", "—"), *FishboneCategory.choices],
    )  # fmt: skip
    root_cause = forms.CharField(label=_("cause reached"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_WHYS + 1):
            self.fields[f"why{n}"] = forms.CharField(
                label=_("Why %(n)d") % {"n": n}, max_length=300, required=n == 1
            )

    def steps(self) -> list[str]:
        return [self.cleaned_data.get(f"why{n}") or "" for n in range(1, MAX_WHYS + 1)]


class CauseForm(forms.Form):
    category = forms.ChoiceField(label=_("5M1E category"), choices=FishboneCategory.choices)
    cause = forms.CharField(label=_("cause"), max_length=300)
    is_root = forms.BooleanField(label=_("confirmed as a root cause"), required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(forms.Form):
    verification = forms.CharField(
        label=_("how the root cause was verified"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ActionKind.choices)
    description = forms.CharField(
        label=_("what is to be done"), widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = UserChoice(label=_("owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("due date"), widget=DATE)
    document_kind = forms.ChoiceField(
        label=_("what must change"), required=False, choices=[("", "—"), *DocumentKind.choices]
    )
    document_ref = forms.CharField(label=_("document reference"), max_length=120, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _users()  # type: ignore[attr-defined]


class EffectivenessForm(forms.Form):
    result = forms.ChoiceField(label=_("effectiveness"), choices=EffectivenessResult.choices)
    evidence = forms.CharField(
        label=_("effectiveness evidence"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("closure note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
