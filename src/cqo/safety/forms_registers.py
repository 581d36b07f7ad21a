"""Forms of the registers part's pages: they parse; the services decide (§7.2.1.1–§7.2.1.3)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cqo.accounts.models import User

from .models_registers import (
    ControlFrequency,
    ImpactOutcome,
    RequirementSource,
    SourceKind,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _users() -> Any:
    return User.objects.filter(is_active=True).order_by("username")


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class SourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind of source"), choices=SourceKind.choices)
    code = forms.CharField(label=_("source number"), max_length=80)
    title = forms.CharField(label=_("title"), max_length=300)
    title_en = forms.CharField(label=_("title (English)"), max_length=300, required=False)
    version = forms.CharField(label=_("version in force"), max_length=40, required=False)
    effective_on = forms.DateField(label=_("in force since"), required=False, widget=DATE)
    issuer = forms.CharField(label=_("issuing body"), max_length=200, required=False)
    owner = UserChoice(label=_("owner"), queryset=User.objects.none())
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _users()  # type: ignore[attr-defined]


class SourceEditForm(SourceForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["version"]


class VersionForm(forms.Form):
    version = forms.CharField(label=_("new version"), max_length=40)
    effective_on = forms.DateField(label=_("in force since"), required=False, widget=DATE)
    owner = UserChoice(label=_("impact review owner"), queryset=User.objects.none(),
                       required=False)  # fmt: skip
    due_on = forms.DateField(label=_("due date"), required=False, widget=DATE)
    note = forms.CharField(label=_("what changed"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _users()  # type: ignore[attr-defined]


class ReviewCloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("review outcome"), choices=ImpactOutcome.choices)
    outcome_text = forms.CharField(label=_("findings"), widget=forms.Textarea(attrs={"rows": 2}))


class RequirementForm(forms.Form):
    source = forms.ModelChoiceField(label=_("source"), queryset=RequirementSource.objects.none())
    family = forms.CharField(label=_("product family"), max_length=60,
                             widget=forms.TextInput(attrs={"list": "families"}))  # fmt: skip
    source_clause = forms.CharField(label=_("clause of the source"), max_length=60, required=False)
    text = forms.CharField(label=_("requirement"), widget=forms.Textarea(attrs={"rows": 3}))
    applicability = forms.CharField(label=_("applicability"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    owner = UserChoice(label=_("owner"), queryset=User.objects.none())
    review_on = forms.DateField(label=_("next review"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _users()  # type: ignore[attr-defined]
        self.fields["source"].queryset = RequirementSource.objects.filter(  # type: ignore[attr-defined]
            voided_at__isnull=True
        ).order_by("code")


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("reason for voiding"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class RiskForm(forms.Form):
    family = forms.CharField(label=_("product family"), max_length=60,
                             widget=forms.TextInput(attrs={"list": "families"}))  # fmt: skip
    process = forms.CharField(label=_("process step"), max_length=200)
    hazard = forms.CharField(label=_("hazard"), widget=forms.Textarea(attrs={"rows": 2}))
    cause = forms.CharField(label=_("cause"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    consequence = forms.CharField(label=_("consequence"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    likelihood = forms.TypedChoiceField(label=_("likelihood"), coerce=int, choices=())
    severity = forms.TypedChoiceField(label=_("consequence severity"), coerce=int, choices=())
    residual_likelihood = forms.TypedChoiceField(label=_("residual likelihood"), coerce=int,
                                                 choices=())  # fmt: skip
    residual_severity = forms.TypedChoiceField(label=_("residual severity"), coerce=int,
                                               choices=())  # fmt: skip
    owner = UserChoice(label=_("owner"), queryset=User.objects.none())

    def __init__(self, *args: Any, matrix: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .models_registers import RiskMatrix

        lik = [(n, f"{n} {RiskMatrix.label(e)}") for n, e in enumerate(matrix.likelihood, 1)]
        sev = [(n, f"{n} {RiskMatrix.label(e)}") for n, e in enumerate(matrix.severity, 1)]
        for name in ("likelihood", "residual_likelihood"):
            self.fields[name].choices = lik  # type: ignore[attr-defined]
        for name in ("severity", "residual_severity"):
            self.fields[name].choices = sev  # type: ignore[attr-defined]
        self.fields["owner"].queryset = _users()  # type: ignore[attr-defined]


class ControlForm(forms.Form):
    text = forms.CharField(label=_("control measure"), widget=forms.Textarea(attrs={"rows": 2}))
    frequency = forms.ChoiceField(label=_("checked"), choices=ControlFrequency.choices)
    owner = UserChoice(label=_("recorded by"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _users()  # type: ignore[attr-defined]


class PublishForm(forms.Form):
    effective_on = forms.DateField(label=_("in force from"), required=False, widget=DATE)
    note = forms.CharField(label=_("what changed"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


def _scale_text(entries: list[dict[str, Any]]) -> str:
    return "\n".join(f"{e.get('label', '')} | {e.get('label_en', '')}" for e in entries)


def _levels_text(levels: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{lv['code']} | {lv.get('label', '')} | {lv.get('label_en', '')} | {lv['colour']} | "
        f"{lv['min']}"
        for lv in levels
    )


class MatrixForm(forms.Form):
    likelihood = forms.CharField(
        label=_("likelihood scale"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One step a line, from 1 up: Chinese label | English label."),
    )  # fmt: skip
    severity = forms.CharField(
        label=_("severity scale"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One step a line, from 1 up: Chinese label | English label."),
    )  # fmt: skip
    levels = forms.CharField(
        label=_("risk levels"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One level a line: code | Chinese label | English label | colour #rrggbb | "
                    "lowest score (likelihood × severity)."),
    )  # fmt: skip

    @staticmethod
    def initial_from(matrix: Any) -> dict[str, str]:
        return {
            "likelihood": _scale_text(matrix.likelihood),
            "severity": _scale_text(matrix.severity),
            "levels": _levels_text(matrix.levels),
        }

    @staticmethod
    def _lines(text: str) -> list[list[str]]:
        return [[p.strip() for p in line.split("|")] for line in text.splitlines() if line.strip()]

    def parsed(self) -> dict[str, Any]:
        data = self.cleaned_data
        scale = lambda text: [  # noqa: E731
            {"label": parts[0], "label_en": parts[1] if len(parts) > 1 else ""}
            for parts in self._lines(text)
        ]
        levels = []
        for parts in self._lines(data["levels"]):
            parts = parts + [""] * (5 - len(parts))
            levels.append({"code": parts[0], "label": parts[1], "label_en": parts[2],
                           "colour": parts[3], "min": parts[4]})  # fmt: skip
        return {"likelihood": scale(data["likelihood"]), "severity": scale(data["severity"]),
                "levels": levels}  # fmt: skip
