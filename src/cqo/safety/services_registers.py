"""Writes of the registers part (§7.2.1.1–§7.2.1.3): each checks the permission first, refuses
bad input naming the field and the clause, and changes one record with one audit event in one
transaction. The risk-control list is never edited: publishing freezes the register's live
risks and controls into a new version; older versions are kept."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import audit_record, audited_change, record_void, snapshot
from cqo.core.clauses import clause
from cqo.core.permissions import require
from cqo.organisation.rules import user_person

from .models_registers import (
    ControlFrequency,
    ControlList,
    ImpactOutcome,
    ImpactReview,
    PostAcknowledgement,
    Requirement,
    RequirementSource,
    Risk,
    RiskControl,
    RiskMatrix,
    SourceKind,
    responsibilities_digest,
)

CLAUSE_REQUIREMENTS = clause("§7.2.1.1")
CLAUSE_RISKS = clause("§7.2.1.2")
CLAUSE_KEY_POSTS = clause("§7.2.1.3")

REVIEW_DAYS = 30  # an impact review is due this many days after the new version is recorded
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _blank(value: Any) -> str:
    return str(value or "").strip()


def _with(message: str, field_clause: str) -> str:
    return f"{message} ({field_clause})"


def _active_user(value: Any, field: str, errors: dict[str, str], field_clause: str) -> None:
    if value is None or not isinstance(value, User) or not value.is_active:
        errors[field] = _with(_("Choose an active user."), field_clause)


# --- requirements register ------------------------------------------------------------------

SOURCE_FIELDS = ("kind", "code", "title", "title_en", "version", "effective_on", "issuer",
                 "owner", "note")  # fmt: skip


def _source_check(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if values.get("kind") not in SourceKind.values:
        errors["kind"] = _with(_("Choose the kind of source."), CLAUSE_REQUIREMENTS)
    if not values.get("code"):
        errors["code"] = _with(_("Give the source's number."), CLAUSE_REQUIREMENTS)
    if not values.get("title"):
        errors["title"] = _with(_("Give the source's title."), CLAUSE_REQUIREMENTS)
    _active_user(values.get("owner"), "owner", errors, CLAUSE_REQUIREMENTS)
    if errors:
        raise ValidationError(errors)


def _clean(values: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """Only the known fields; text stripped."""
    return {
        name: _blank(value) if isinstance(value, str) else value
        for name, value in values.items()
        if name in fields
    }


@transaction.atomic
def source_add(*, actor: User, **values: Any) -> RequirementSource:
    """A law, mandatory standard, customer or market requirement entered in the register."""
    require(actor, "safety.add_requirementsource", clause=CLAUSE_REQUIREMENTS)
    values = _clean(values, SOURCE_FIELDS)
    _source_check(values)
    source = RequirementSource.objects.create(**values)
    audit_record(actor=actor, action="safety.source.add", obj=source, after=snapshot(source),
                 clause=CLAUSE_REQUIREMENTS)  # fmt: skip
    return source


def source_update(*, actor: User, source: RequirementSource, **values: Any) -> RequirementSource:
    """The source's description corrected. Its version changes only by ``source_version_new``
    (which opens the impact review)."""
    require(actor, "safety.change_requirementsource", source, clause=CLAUSE_REQUIREMENTS)
    values = _clean(values, tuple(f for f in SOURCE_FIELDS if f != "version"))
    with audited_change(actor=actor, obj=source, action="safety.source.update",
                        clause=CLAUSE_REQUIREMENTS) as locked:  # fmt: skip
        if locked.voided_at is not None:
            raise ValidationError(_with(_("This record is voided."), CLAUSE_REQUIREMENTS))
        for name, value in values.items():
            setattr(locked, name, value)
        _source_check({f: getattr(locked, f) for f in SOURCE_FIELDS})
    return locked


def source_version_new(
    *,
    actor: User,
    source: RequirementSource,
    version: str,
    effective_on: datetime.date | None = None,
    owner: User | None = None,
    due_on: datetime.date | None = None,
    note: str = "",
) -> ImpactReview:
    """A new version of the source recorded: the register now cites it, and an impact review
    task opens for its owner (by default the source's owner, due in thirty days) to decide
    what it changes in the requirements and risks (§7.2.1.1)."""
    require(actor, "safety.change_requirementsource", source, clause=CLAUSE_REQUIREMENTS)
    version = _blank(version)
    today = timezone.localdate()
    with audited_change(actor=actor, obj=source, action="safety.source.version",
                        clause=CLAUSE_REQUIREMENTS, reason=_blank(note)) as locked:  # fmt: skip
        errors: dict[str, str] = {}
        if locked.voided_at is not None:
            errors["version"] = _with(_("This record is voided."), CLAUSE_REQUIREMENTS)
        elif not version:
            errors["version"] = _with(_("Give the new version."), CLAUSE_REQUIREMENTS)
        elif version == locked.version:
            errors["version"] = _with(_("This version is already the one in force."),
                                      CLAUSE_REQUIREMENTS)  # fmt: skip
        owner = owner or locked.owner
        _active_user(owner, "owner", errors, CLAUSE_REQUIREMENTS)
        due = due_on or today + datetime.timedelta(days=REVIEW_DAYS)
        if due < today:
            errors["due_on"] = _with(_("The due date cannot be in the past."), CLAUSE_REQUIREMENTS)
        if errors:
            raise ValidationError(errors)
        previous = locked.version
        locked.version = version
        locked.effective_on = effective_on or locked.effective_on
    assert owner is not None
    review = ImpactReview.objects.create(
        source=locked, version_from=previous, version_to=version, owner=owner, due_on=due,
        opened_by=actor, opened_at=timezone.now(),
    )  # fmt: skip
    audit_record(actor=actor, action="safety.review.open", obj=review, after=snapshot(review),
                 clause=CLAUSE_REQUIREMENTS)  # fmt: skip
    return review


def review_close(
    *, actor: User, review: ImpactReview, outcome: str, outcome_text: str
) -> ImpactReview:
    """The impact review concluded: no impact, requirements updated, or action needed."""
    require(actor, "safety.close_impactreview", review, clause=CLAUSE_REQUIREMENTS)
    outcome_text = _blank(outcome_text)
    with audited_change(actor=actor, obj=review, action="safety.review.close",
                        clause=CLAUSE_REQUIREMENTS) as locked:  # fmt: skip
        errors: dict[str, str] = {}
        if not locked.is_open:
            errors["outcome"] = _with(_("This review is already closed."), CLAUSE_REQUIREMENTS)
        elif outcome not in ImpactOutcome.values:
            errors["outcome"] = _with(_("Choose the outcome of the review."), CLAUSE_REQUIREMENTS)
        if not outcome_text:
            errors["outcome_text"] = _with(_("Write what the review found."), CLAUSE_REQUIREMENTS)
        if errors:
            raise ValidationError(errors)
        locked.outcome = outcome
        locked.outcome_text = outcome_text
        locked.closed_by = actor
        locked.closed_at = timezone.now()
    return locked


REQUIREMENT_FIELDS = ("source", "family", "source_clause", "text", "applicability", "owner",
                      "review_on")  # fmt: skip


def _requirement_check(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    source = values.get("source")
    if not isinstance(source, RequirementSource) or source.voided_at is not None:
        errors["source"] = _with(_("Choose a source in the register."), CLAUSE_REQUIREMENTS)
    if not values.get("family"):
        errors["family"] = _with(_("Give the product family."), CLAUSE_REQUIREMENTS)
    if not values.get("text"):
        errors["text"] = _with(_("Write the requirement."), CLAUSE_REQUIREMENTS)
    if not isinstance(values.get("review_on"), datetime.date):
        errors["review_on"] = _with(_("Give the date of the next review."), CLAUSE_REQUIREMENTS)
    _active_user(values.get("owner"), "owner", errors, CLAUSE_REQUIREMENTS)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def requirement_add(*, actor: User, **values: Any) -> Requirement:
    require(actor, "safety.add_requirement", clause=CLAUSE_REQUIREMENTS)
    values = _clean(values, REQUIREMENT_FIELDS)
    _requirement_check(values)
    requirement = Requirement.objects.create(**values)
    audit_record(actor=actor, action="safety.requirement.add", obj=requirement,
                 after=snapshot(requirement), clause=CLAUSE_REQUIREMENTS)  # fmt: skip
    return requirement


def requirement_update(*, actor: User, requirement: Requirement, **values: Any) -> Requirement:
    require(actor, "safety.change_requirement", requirement, clause=CLAUSE_REQUIREMENTS)
    values = _clean(values, REQUIREMENT_FIELDS)
    with audited_change(actor=actor, obj=requirement, action="safety.requirement.update",
                        clause=CLAUSE_REQUIREMENTS) as locked:  # fmt: skip
        if locked.voided_at is not None:
            raise ValidationError(_with(_("This record is voided."), CLAUSE_REQUIREMENTS))
        for name, value in values.items():
            setattr(locked, name, value)
        _requirement_check({f: getattr(locked, f) for f in REQUIREMENT_FIELDS})
    return locked


def requirement_void(*, actor: User, requirement: Requirement, reason: str) -> Any:
    return record_void(actor=actor, record=requirement, reason=reason,
                       perm="safety.void_requirement", clause=CLAUSE_REQUIREMENTS)  # fmt: skip


def source_void(*, actor: User, source: RequirementSource, reason: str) -> Any:
    if source.requirements.filter(voided_at__isnull=True).exists():
        raise ValidationError({"reason": _with(
            _("Void this source's requirements first."), CLAUSE_REQUIREMENTS)})  # fmt: skip
    return record_void(actor=actor, record=source, reason=reason,
                       perm="safety.void_requirementsource", clause=CLAUSE_REQUIREMENTS)  # fmt: skip


# --- the matrix -----------------------------------------------------------------------------


def matrix_current() -> RiskMatrix:
    """The enterprise's matrix (made with the 5 × 5 defaults the first time it is asked for)."""
    matrix = RiskMatrix.objects.order_by("id").first()
    if matrix is None:
        matrix, _created = RiskMatrix.objects.get_or_create(id=1)
    return matrix


def _scale_check(value: Any, field: str, errors: dict[str, str]) -> list[dict[str, str]]:
    if not isinstance(value, list) or not 2 <= len(value) <= 10:
        errors[field] = _with(_("A scale has between 2 and 10 steps."), CLAUSE_RISKS)
        return []
    out = []
    for entry in value:
        label = _blank(entry.get("label")) if isinstance(entry, dict) else ""
        if not label:
            errors[field] = _with(_("Every step of the scale needs a label."), CLAUSE_RISKS)
            return []
        out.append({"label": label[:40], "label_en": _blank(entry.get("label_en"))[:40]})
    return out


def matrix_set(*, actor: User, likelihood: Any, severity: Any, levels: Any) -> RiskMatrix:
    """The matrix configured: the likelihood and severity scales (labels from 1 up) and the
    risk levels (each from a minimum score, with a colour). Risks already rated above a
    shortened scale must be re-rated first."""
    require(actor, "safety.change_riskmatrix", clause=CLAUSE_RISKS)
    errors: dict[str, str] = {}
    lik = _scale_check(likelihood, "likelihood", errors)
    sev = _scale_check(severity, "severity", errors)
    out_levels: list[dict[str, Any]] = []
    if not isinstance(levels, list) or not 1 <= len(levels) <= 8:
        errors["levels"] = _with(_("Give between 1 and 8 risk levels."), CLAUSE_RISKS)
    else:
        for entry in levels:
            try:
                minimum = int(entry.get("min"))
            except (AttributeError, TypeError, ValueError):
                minimum = 0
            code = _blank(entry.get("code")) if isinstance(entry, dict) else ""
            label = _blank(entry.get("label")) if isinstance(entry, dict) else ""
            colour = _blank(entry.get("colour")) if isinstance(entry, dict) else ""
            if not code or not re.fullmatch(r"[a-z0-9_]{1,20}", code) or not label:
                errors["levels"] = _with(_("Every level needs a code (a-z, 0-9) and a label."),
                                         CLAUSE_RISKS)  # fmt: skip
                break
            if not COLOUR.match(colour):
                errors["levels"] = _with(_("Give each level's colour as #rrggbb."), CLAUSE_RISKS)
                break
            if minimum < 1:
                errors["levels"] = _with(_("Each level starts at a score of 1 or more."),
                                         CLAUSE_RISKS)  # fmt: skip
                break
            out_levels.append({"code": code, "label": label[:40],
                               "label_en": _blank(entry.get("label_en"))[:40],
                               "colour": colour.lower(), "min": minimum})  # fmt: skip
        if "levels" not in errors:
            mins = [lv["min"] for lv in out_levels]
            codes = [lv["code"] for lv in out_levels]
            if len(set(mins)) != len(mins) or len(set(codes)) != len(codes):
                errors["levels"] = _with(_("Levels need different codes and starting scores."),
                                         CLAUSE_RISKS)  # fmt: skip
            elif min(mins) != 1:
                errors["levels"] = _with(_("The lowest level must start at a score of 1."),
                                         CLAUSE_RISKS)  # fmt: skip
    if lik and sev:
        live = Risk.objects.filter(voided_at__isnull=True)
        if live.filter(Q(likelihood__gt=len(lik)) | Q(residual_likelihood__gt=len(lik))).exists():
            errors["likelihood"] = _with(
                _("Some risks are rated above this scale; re-rate them first."), CLAUSE_RISKS
            )
        if live.filter(Q(severity__gt=len(sev)) | Q(residual_severity__gt=len(sev))).exists():
            errors["severity"] = _with(
                _("Some risks are rated above this scale; re-rate them first."), CLAUSE_RISKS
            )
    if errors:
        raise ValidationError(errors)
    matrix = matrix_current()
    with audited_change(actor=actor, obj=matrix, action="safety.matrix.set",
                        clause=CLAUSE_RISKS) as locked:  # fmt: skip
        locked.likelihood = lik
        locked.severity = sev
        locked.levels = sorted(out_levels, key=lambda lv: lv["min"])
    return locked


# --- risks and controls ---------------------------------------------------------------------

RISK_FIELDS = ("family", "item", "process", "hazard", "cause", "consequence", "likelihood",
               "severity", "residual_likelihood", "residual_severity", "owner", "unit")  # fmt: skip


def _risk_check(values: dict[str, Any], matrix: RiskMatrix) -> None:
    errors: dict[str, str] = {}
    if not values.get("family"):
        errors["family"] = _with(_("Give the product family."), CLAUSE_RISKS)
    if not values.get("process"):
        errors["process"] = _with(_("Give the process step."), CLAUSE_RISKS)
    if not values.get("hazard"):
        errors["hazard"] = _with(_("Describe the hazard."), CLAUSE_RISKS)
    for field, size in (("likelihood", len(matrix.likelihood)), ("severity", len(matrix.severity)),
                        ("residual_likelihood", len(matrix.likelihood)),
                        ("residual_severity", len(matrix.severity))):  # fmt: skip
        value = values.get(field)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= size:
            errors[field] = _with(
                _("Rate it from 1 to %(size)s on the matrix.") % {"size": size}, CLAUSE_RISKS
            )
    if not errors:
        if values["residual_likelihood"] * values["residual_severity"] > (
            values["likelihood"] * values["severity"]
        ):
            errors["residual_likelihood"] = _with(
                _("The residual risk cannot be higher than the risk before its controls."),
                CLAUSE_RISKS)  # fmt: skip
    _active_user(values.get("owner"), "owner", errors, CLAUSE_RISKS)
    item = values.get("item")
    if item is not None and getattr(item, "voided_at", None) is not None:
        errors["item"] = _with(_("This item is voided."), CLAUSE_RISKS)
    if errors:
        raise ValidationError(errors)


def _risk_code_next() -> str:
    codes = Risk.objects.filter(code__startswith="R-").values_list("code", flat=True)
    numbers = [int(c[2:]) for c in codes if c[2:].isdigit()]
    return f"R-{(max(numbers) if numbers else 0) + 1:03d}"


@transaction.atomic
def risk_add(*, actor: User, **values: Any) -> Risk:
    """A hazard entered in the risk register, rated before and after its controls."""
    require(actor, "safety.add_risk", clause=CLAUSE_RISKS)
    values = _clean(values, RISK_FIELDS)
    _risk_check(values, matrix_current())
    risk = Risk.objects.create(code=_risk_code_next(), **values)
    audit_record(actor=actor, action="safety.risk.add", obj=risk, after=snapshot(risk),
                 clause=CLAUSE_RISKS)  # fmt: skip
    return risk


def risk_update(*, actor: User, risk: Risk, **values: Any) -> Risk:
    """The risk re-described or re-rated; the list in force is unchanged until the next
    version is published."""
    require(actor, "safety.change_risk", risk, clause=CLAUSE_RISKS)
    values = _clean(values, RISK_FIELDS)
    matrix = matrix_current()
    with audited_change(actor=actor, obj=risk, action="safety.risk.update",
                        clause=CLAUSE_RISKS) as locked:  # fmt: skip
        if locked.voided_at is not None:
            raise ValidationError(_with(_("This record is voided."), CLAUSE_RISKS))
        for name, value in values.items():
            setattr(locked, name, value)
        _risk_check({f: getattr(locked, f) for f in RISK_FIELDS}, matrix)
    return locked


def risk_void(*, actor: User, risk: Risk, reason: str) -> Any:
    return record_void(actor=actor, record=risk, reason=reason, perm="safety.void_risk",
                       clause=CLAUSE_RISKS)  # fmt: skip


@transaction.atomic
def control_add(
    *, actor: User, risk: Risk, text: str, frequency: str = ControlFrequency.DAILY,
    owner: User | None = None,
) -> RiskControl:  # fmt: skip
    """A control of the risk, checked daily, weekly or monthly in the regime's records."""
    require(actor, "safety.add_riskcontrol", risk, clause=CLAUSE_RISKS)
    text = _blank(text)
    errors: dict[str, str] = {}
    if risk.voided_at is not None:
        errors["risk"] = _with(_("This record is voided."), CLAUSE_RISKS)
    if not text:
        errors["text"] = _with(_("Describe the control measure."), CLAUSE_RISKS)
    if frequency not in ControlFrequency.values:
        errors["frequency"] = _with(_("Choose how often it is checked."), CLAUSE_RISKS)
    if owner is not None:
        _active_user(owner, "owner", errors, CLAUSE_RISKS)
    if errors:
        raise ValidationError(errors)
    control = RiskControl.objects.create(risk=risk, text=text, frequency=frequency, owner=owner)
    audit_record(actor=actor, action="safety.control.add", obj=control, after=snapshot(control),
                 clause=CLAUSE_RISKS)  # fmt: skip
    return control


def control_void(*, actor: User, control: RiskControl, reason: str) -> Any:
    return record_void(actor=actor, record=control, reason=reason,
                       perm="safety.void_riskcontrol", clause=CLAUSE_RISKS)  # fmt: skip


# --- the risk-control list ------------------------------------------------------------------


def _user_name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def control_list_rows() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The matrix and the rows the list would have if published now: every live risk with its
    live controls, by risk number."""
    matrix = matrix_current()
    risks = (
        Risk.objects.filter(voided_at__isnull=True)
        .select_related("owner", "item", "unit")
        .prefetch_related("controls__owner")
        .order_by("code")
    )
    rows: list[dict[str, Any]] = []
    for risk in risks:
        level = matrix.level_of(risk.likelihood, risk.severity) or {}
        residual = matrix.level_of(risk.residual_likelihood, risk.residual_severity) or {}
        controls = [c for c in risk.controls.all() if c.voided_at is None]
        rows.append({
            "risk_id": risk.pk, "risk_code": risk.code, "family": risk.family,
            "item": risk.item.part_number if risk.item else "", "process": risk.process,
            "hazard": risk.hazard, "cause": risk.cause, "consequence": risk.consequence,
            "likelihood": risk.likelihood, "severity": risk.severity, "score": risk.score,
            "level": level.get("code", ""),
            "residual_likelihood": risk.residual_likelihood,
            "residual_severity": risk.residual_severity, "residual_score": risk.residual_score,
            "residual_level": residual.get("code", ""),
            "owner_id": risk.owner_id, "owner": _user_name(risk.owner),
            "unit_id": risk.unit_id, "unit": risk.unit.name if risk.unit else "",
            "controls": [
                {"key": c.key, "code": f"{risk.code}.{n}", "text": c.text,
                 "frequency": c.frequency, "owner_user_id": c.owner_id,
                 "owner": _user_name(c.owner)}
                for n, c in enumerate(controls, start=1)
            ],
        })  # fmt: skip
    frozen = {"likelihood": matrix.likelihood, "severity": matrix.severity,
              "levels": matrix.levels}  # fmt: skip
    return frozen, rows


def _digest(matrix: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    canonical = json.dumps({"matrix": matrix, "rows": rows}, sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"))  # fmt: skip
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def control_list_publish(
    *, actor: User, effective_on: datetime.date | None = None, note: str = ""
) -> ControlList:
    """A new version of the risk-control list, generated from the register as it stands and
    in force from ``effective_on`` (today by default). Older versions stay as they were."""
    require(actor, "safety.publish_controllist", clause=CLAUSE_RISKS)
    today = timezone.localdate()
    effective_on = effective_on or today
    errors: dict[str, str] = {}
    # One publisher at a time: the latest version's row is the lock (none: the matrix's row).
    RiskMatrix.objects.select_for_update().filter(pk=matrix_current().pk).first()
    last = ControlList.objects.order_by("-version").first()
    matrix, rows = control_list_rows()
    if not rows:
        errors["note"] = _with(_("The risk register has no live risk to list."), CLAUSE_RISKS)
    if last is not None and effective_on < last.effective_on:
        errors["effective_on"] = _with(
            _("A new version cannot take effect before the version in force (%(day)s).")
            % {"day": last.effective_on.isoformat()}, CLAUSE_RISKS)  # fmt: skip
    if effective_on < today - datetime.timedelta(days=31):
        errors["effective_on"] = _with(_("A list cannot take effect more than a month back."),
                                       CLAUSE_RISKS)  # fmt: skip
    digest = _digest(matrix, rows)
    if last is not None and last.digest == digest and "effective_on" not in errors:
        errors["note"] = _with(_("Nothing changed since the version in force."), CLAUSE_RISKS)
    if errors:
        raise ValidationError(errors)
    version = (ControlList.objects.aggregate(m=Max("version"))["m"] or 0) + 1
    published = ControlList.objects.create(
        version=version, effective_on=effective_on, published_by=actor,
        published_at=timezone.now(), note=_blank(note), matrix=matrix, rows=rows, digest=digest,
    )  # fmt: skip
    audit_record(
        actor=actor, action="safety.controllist.publish", obj=published,
        after={"version": version, "effective_on": effective_on.isoformat(), "digest": digest,
               "risks": len(rows)},
        clause=CLAUSE_RISKS, reason=_blank(note),
    )  # fmt: skip
    return published


# --- key posts ------------------------------------------------------------------------------


@transaction.atomic
def post_acknowledge(*, actor: User, post: Any) -> PostAcknowledgement:
    """The holder acknowledges the key post's written responsibilities as they stand now."""
    require(actor, "safety.acknowledge_post", post, clause=CLAUSE_KEY_POSTS)
    person = user_person(actor)
    text = _blank(post.responsibilities)
    if not text:
        raise ValidationError({"post": _with(
            _("This post's responsibilities are not written yet."), CLAUSE_KEY_POSTS)})  # fmt: skip
    digest = responsibilities_digest(text)
    if PostAcknowledgement.objects.filter(post=post, person=person, digest=digest,
                                          voided_at__isnull=True).exists():  # fmt: skip
        raise ValidationError({"post": _with(
            _("You have already acknowledged these responsibilities."), CLAUSE_KEY_POSTS)})  # fmt: skip
    ack = PostAcknowledgement.objects.create(
        post=post, person=person, acknowledged_by=actor, acknowledged_at=timezone.now(),
        text=text, digest=digest,
    )  # fmt: skip
    audit_record(actor=actor, action="safety.post.acknowledge", obj=ack,
                 after={"post": post.pk, "person": person.pk, "digest": digest},
                 clause=CLAUSE_KEY_POSTS)  # fmt: skip
    return ack
