"""The qualification check of a CQO candidate (§5.1), against the enterprise's rule set.

Each result names its clause, says pass, warning or block, and lists the documents on file that
bear on it. The person's record (education, title, years) is what the organisation holds; a
threshold met on the record with no supporting document on file is a warning, so the gap shows.
A block stops the appointment by every path: the appointment services run this check again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

# Findings are stored on the signed appointment: each keeps its msgid and parameters so it shows
# in the reader's language later (``cqo.core.texts``).
from cqo.core.texts import as_json
from cqo.core.texts import gettext_stored as _
from cqo.organisation.models import (
    EDUCATION_RANK,
    TITLE_RANK,
    EducationLevel,
    Person,
    TitleLevel,
)

from .models import (
    Disqualification,
    DisqualificationDeclaration,
    EvidenceDocument,
    EvidenceKind,
    QualificationPolicy,
    QualificationRule,
    QualificationRuleSet,
    TrainingRequirement,
)
from .presets import DEFAULT_CODE

PASS, WARNING, BLOCK = "pass", "warning", "block"
_ORDER = {PASS: 0, WARNING: 1, BLOCK: 2}


@dataclass
class CheckResult:
    code: str
    label: str
    clause: str
    outcome: str
    message: str
    evidence: list[EvidenceDocument] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "clause": self.clause,
            "outcome": self.outcome,
            "message": self.message,
            "label_text": as_json(self.label),
            "message_text": as_json(self.message),
            "evidence": [
                {
                    "id": e.pk,
                    "kind": e.kind,
                    "number": e.number,
                    "issuer": e.issuer,
                    "title": e.title,
                }
                for e in self.evidence
            ],
        }


@dataclass
class QualificationReport:
    person: Person
    rule_set: QualificationRuleSet
    rule: QualificationRule | None
    on: datetime.date
    results: list[CheckResult]

    @property
    def outcome(self) -> str:
        return max((r.outcome for r in self.results), key=_ORDER.__getitem__, default=PASS)

    @property
    def blocked(self) -> bool:
        return self.outcome == BLOCK

    @property
    def blocks(self) -> list[CheckResult]:
        return [r for r in self.results if r.outcome == BLOCK]

    @property
    def warnings(self) -> list[CheckResult]:
        return [r for r in self.results if r.outcome == WARNING]

    @property
    def passes(self) -> list[CheckResult]:
        return [r for r in self.results if r.outcome == PASS]

    def block_message(self) -> str:
        return "; ".join(f"{r.clause} {r.message}" for r in self.blocks)

    def as_dict(self) -> dict[str, Any]:
        return {
            "person": self.person.pk,
            "rule_set": self.rule_set.code,
            "on": self.on.isoformat(),
            "outcome": self.outcome,
            "results": [r.as_dict() for r in self.results],
        }


def rule_set_for(enterprise: Any) -> QualificationRuleSet:
    """The enterprise's chosen rule set, else the default one."""
    if enterprise is not None:
        policy = (
            QualificationPolicy.objects.select_related("rule_set")
            .filter(enterprise=enterprise)
            .first()
        )
        if policy is not None:
            return policy.rule_set
    rule_set = QualificationRuleSet.objects.filter(is_default=True).order_by("id").first()
    if rule_set is None:
        rule_set = QualificationRuleSet.objects.filter(code=DEFAULT_CODE).first()
    if rule_set is None:
        from .presets import rule_sets_ensure

        rule_sets_ensure()
        rule_set = QualificationRuleSet.objects.get(code=DEFAULT_CODE)
    return rule_set


def declarations_latest(person: Person) -> dict[str, DisqualificationDeclaration]:
    latest: dict[str, DisqualificationDeclaration] = {}
    for d in DisqualificationDeclaration.objects.filter(person=person).order_by(
        "-declared_at", "-id"
    ):
        latest.setdefault(d.condition, d)
    return latest


def _label(choices: Any, value: str) -> Any:
    """The choice's lazy label (so a stored finding keeps its msgid), or the raw value."""
    return dict(choices).get(value, value or "—")


def qualification_check(
    person: Person,
    *,
    rule_set: QualificationRuleSet | None = None,
    on: datetime.date | None = None,
    declared: dict[str, bool] | None = None,
) -> QualificationReport:
    """Check ``person``; ``declared`` previews declarations not yet recorded (a form's answers)."""
    day = on or timezone.localdate()
    enterprise = person.unit.enterprise if person.unit_id else None
    rule_set = rule_set or rule_set_for(enterprise)
    size = getattr(enterprise, "size_class", "") or ""
    rule = rule_set.rule_for(size)
    docs = [d for d in EvidenceDocument.objects.active().filter(person=person) if d.valid_on(day)]
    results: list[CheckResult] = []

    if not person.is_active:
        results.append(
            CheckResult(
                "status",
                _("Employment"),
                "§3.1",
                BLOCK,
                _("%(person)s has left the enterprise.") % {"person": person},
            )
        )

    if rule is None:
        results.append(
            CheckResult(
                "rules",
                _("Rule set"),
                "§5.1",
                BLOCK,
                _("The rule set “%(set)s” has no row for this firm size; choose another rule set.")
                % {"set": rule_set.name},
            )
        )
    else:
        results += [
            _education(person, rule, docs),
            _title(person, rule, docs),
            _years(person, rule, docs),
        ]
        training = _training(rule, docs)
        if training is not None:
            results.append(training)

    latest = declarations_latest(person)
    for condition, label in Disqualification.choices:
        decl = latest.get(condition)
        if declared and condition in declared:
            decl = DisqualificationDeclaration(
                person=person,
                condition=condition,
                applies=bool(declared[condition]),
                declared_at=timezone.now(),
            )
        if decl is None:
            results.append(
                CheckResult(
                    f"disq_{condition}",
                    str(label),
                    "§5.1.4",
                    BLOCK,
                    _(
                        "The principal has not yet declared on this condition; declare it before "
                        "appointing."
                    ),
                )
            )
        elif decl.applies:
            results.append(
                CheckResult(
                    f"disq_{condition}",
                    str(label),
                    "§5.1.4",
                    BLOCK,
                    _("Declared to apply on %(date)s: such a person cannot be the CQO.")
                    % {"date": timezone.localtime(decl.declared_at).date()},
                )
            )
        else:
            results.append(
                CheckResult(
                    f"disq_{condition}",
                    str(label),
                    "§5.1.4",
                    PASS,
                    _("Declared not to apply on %(date)s.")
                    % {"date": timezone.localtime(decl.declared_at).date()},
                )
            )

    if person.user_id is None:
        results.append(
            CheckResult(
                "account",
                _("Account"),
                "§3.1",
                WARNING,
                _("%(person)s has no account yet; the CQO needs one to use the authorities.")
                % {"person": person},
            )
        )
    return QualificationReport(person=person, rule_set=rule_set, rule=rule, on=day, results=results)


def _claim_against_evidence(
    *,
    code: str,
    label: str,
    need: str,
    have_rank: int,
    need_rank: int,
    have_text: str,
    docs: list[EvidenceDocument],
    shown: list[tuple[int, str]],
    missing: str,
) -> CheckResult:
    """One threshold of §5.1.2, judged on what the documents show rather than on the record.

    ``shown`` holds (rank, text) for each document that states a level. The record below the
    threshold blocks; no document stating a level is a warning (the claim has no evidence); the
    best document below the threshold blocks (the evidence says the person falls short); a record
    claiming more than the best document shows is a warning (the claim is against its
    evidence); otherwise it passes, with the documents that carry it."""
    if have_rank < need_rank:
        return CheckResult(
            code, label, "§5.1.2", BLOCK,
            _("Asks %(need)s or above; the record shows %(have)s.")
            % {"need": need, "have": have_text},
            docs,
        )  # fmt: skip
    if not shown:
        return CheckResult(code, label, "§5.1.2", WARNING, missing, docs)
    best_rank, best_text = max(shown, key=lambda pair: pair[0])
    if best_rank < need_rank:
        return CheckResult(
            code, label, "§5.1.2", BLOCK,
            _("The record shows %(have)s, but the best document on file shows %(shown)s, below "
              "the %(need)s asked.")
            % {"have": have_text, "shown": best_text, "need": need},
            docs,
        )  # fmt: skip
    if best_rank < have_rank:
        return CheckResult(
            code, label, "§5.1.2", WARNING,
            _("The record shows %(have)s, but the best document on file shows only %(shown)s "
              "(%(need)s or above asked): correct the record or put the missing document on "
              "file.")
            % {"have": have_text, "shown": best_text, "need": need},
            docs,
        )  # fmt: skip
    return CheckResult(
        code, label, "§5.1.2", PASS,
        _("%(have)s; %(need)s or above asked.") % {"need": need, "have": have_text},
        docs,
    )  # fmt: skip


def _education(
    person: Person, rule: QualificationRule, docs: list[EvidenceDocument]
) -> CheckResult:
    need = _label(EducationLevel.choices, rule.min_education)
    have = person.education
    have_text = _label(EducationLevel.choices, have)
    diplomas = [d for d in docs if d.kind == EvidenceKind.DIPLOMA]
    return _claim_against_evidence(
        code="education",
        label=_("Education"),
        need=need,
        have_rank=EDUCATION_RANK.get(have, -1) if have else -1,
        need_rank=EDUCATION_RANK[rule.min_education],
        have_text=have_text,
        docs=diplomas,
        shown=[
            (EDUCATION_RANK.get(d.education, -1), _label(EducationLevel.choices, d.education))
            for d in diplomas
            if d.education
        ],
        missing=_(
            "The record shows %(have)s (%(need)s or above asked), but no diploma on file states "
            "the level it certifies."
        )
        % {"need": need, "have": have_text},
    )


def _title(person: Person, rule: QualificationRule, docs: list[EvidenceDocument]) -> CheckResult:
    need = _label(TitleLevel.choices, rule.min_title)
    have = person.title_level
    have_text = _label(TitleLevel.choices, have)
    certs = [d for d in docs if d.kind == EvidenceKind.TITLE_CERTIFICATE]
    return _claim_against_evidence(
        code="title",
        label=_("Professional title"),
        need=need,
        have_rank=TITLE_RANK.get(have, -1),
        need_rank=TITLE_RANK[rule.min_title],
        have_text=have_text,
        docs=certs,
        shown=[
            (TITLE_RANK.get(d.title_level, -1), _label(TitleLevel.choices, d.title_level))
            for d in certs
            if d.title_level
        ],
        missing=_(
            "The record shows %(have)s (%(need)s or above asked), but no title certificate on "
            "file states the level it certifies."
        )
        % {"need": need, "have": have_text},
    )


def _years(person: Person, rule: QualificationRule, docs: list[EvidenceDocument]) -> CheckResult:
    have = person.quality_years
    records = [d for d in docs if d.kind == EvidenceKind.WORK_RECORD]

    def years(n: int) -> Any:
        return (_("%(n)d year") if n == 1 else _("%(n)d years")) % {"n": n}

    need = years(rule.min_years)
    return _claim_against_evidence(
        code="years",
        label=_("Years in enterprise quality management"),
        need=need,
        have_rank=have,
        need_rank=rule.min_years,
        have_text=years(have),
        docs=records,
        shown=[
            (d.quality_years, years(d.quality_years))
            for d in records
            if d.quality_years is not None
        ],
        missing=_(
            "The record shows %(have)s (%(need)s or more asked), but no record of quality work on "
            "file states the years it certifies."
        )
        % {"need": need, "have": years(have)},
    )


def _training(rule: QualificationRule, docs: list[EvidenceDocument]) -> CheckResult | None:
    if rule.training == TrainingRequirement.NONE:
        return None
    label = _("Training certificate or authorisation letter")
    found = [
        d
        for d in docs
        if d.kind in (EvidenceKind.TRAINING_CERTIFICATE, EvidenceKind.AUTHORISATION_LETTER)
    ]
    if found:
        return CheckResult("training", label, "§5.1.3", PASS, _("On file."), found)
    if rule.training == TrainingRequirement.REQUIRED:
        return CheckResult(
            "training",
            label,
            "§5.1.3",
            BLOCK,
            _(
                "This rule set requires a valid training certificate or authorisation letter; none "
                "is on file."
            ),
        )
    return CheckResult(
        "training",
        label,
        "§5.1.3",
        WARNING,
        _("Recommended: no valid training certificate or authorisation letter is on file."),
    )
