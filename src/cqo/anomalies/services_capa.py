"""Writes of corrective and preventive action (§7.1.4): opening a CAPA (as an 8D when the NCR's
source or severity asks for it), the 8D sections, the team, 5-Why chains and fishbone causes,
the root cause's verification, actions with owners and due dates, the effectiveness check by
someone other than the owners (signed), the closure (signed), and repeats after closure.

Keyword-only, the permission first, each change and its audit event in one transaction.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import (
    SignedMeaning,
    audit_record,
    audited_change,
    record_void,
    signature_sign,
    snapshot,
)
from cqo.core.clauses import clause
from cqo.core.numbering import number_next
from cqo.core.permissions import require
from cqo.core.sod import sod_check

from .models_capa import (
    PROBLEM_FIELDS,
    ActionKind,
    ActionStatus,
    Capa,
    CapaAction,
    CapaKind,
    CapaMember,
    CapaRepeat,
    CapaStatus,
    DocumentKind,
    EffectivenessBasis,
    EffectivenessResult,
    FishboneCategory,
    FishboneCause,
    MemberRole,
    WhyChain,
)

CLAUSE_CAPA = clause("§7.1.4")
CLAUSE_NCR = clause("§6 c)")
MAX_WHYS = 7
# The NCR sources and defect classes for which the CAPA must be written as an 8D.
EIGHT_D_SOURCES = frozenset({"complaint"})
EIGHT_D_CLASSES = frozenset({"CR"})
OPEN_STATUSES = (CapaStatus.OPEN, CapaStatus.ACTIONS)


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: f"{message} ({CLAUSE_CAPA})"})


def _text(value: Any, field: str, *, required: bool = False, limit: int = 0) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise _refuse(field, _("This field is required."))
    if limit and len(text) > limit:
        raise _refuse(field, _("Keep this within %(n)d characters.") % {"n": limit})
    return text


def _choice(value: Any, choices: Any, field: str, *, blank: bool = False) -> str:
    value = str(value or "")
    if blank and not value:
        return ""
    if value not in choices.values:
        raise _refuse(field, _("Choose one of the offered values."))
    return value


def _open(capa: Capa) -> None:
    if capa.is_voided:
        raise _refuse("capa", _("This CAPA is voided."))
    if capa.status == CapaStatus.CLOSED:
        raise _refuse("status", _("This CAPA is closed."))


def eight_d_required(anomaly: Any) -> bool:
    """A complaint or a critical defect asks for the full 8D."""
    if anomaly is None:
        return False
    return (
        getattr(anomaly, "source", "") in EIGHT_D_SOURCES
        or getattr(anomaly, "defect_class", "") in EIGHT_D_CLASSES
    )


def _next_number(year: int) -> str:
    return number_next(Capa, f"CAPA-{year}-", 6)


def anomaly_defect_codes(anomaly: Any) -> list[str]:
    """The codes of the NCR's defects, worst class first (the CAPA follows the first)."""
    if anomaly is None:
        return []
    rank = {"CR": 0, "MA": 1, "MI": 2}
    rows = anomaly.defects.filter(voided_at__isnull=True).select_related("defect")
    ordered = sorted(rows, key=lambda d: (rank.get(d.defect.defect_class, 3), d.pk))
    return [d.defect.code for d in ordered]


@transaction.atomic
def capa_create(
    *,
    actor: User,
    title: str,
    owner: User,
    kind: str = CapaKind.CORRECTIVE,
    anomaly: Any = None,
    is_8d: bool = False,
    item: Any = None,
    defect_code: str = "",
    due_on: datetime.date | None = None,
    effectiveness_basis: str = EffectivenessBasis.LOTS,
    effectiveness_lots: int = 3,
    effectiveness_days: int = 30,
    raised_at: datetime.datetime | None = None,
) -> Capa:
    """Open a CAPA, from an NCR or on its own. From a complaint or a CR defect it is an 8D."""
    require(actor, "anomalies.add_capa", clause=CLAUSE_CAPA)
    title = _text(title, "title", required=True, limit=200)
    kind = _choice(kind, CapaKind, "kind")
    effectiveness_basis = _choice(effectiveness_basis, EffectivenessBasis, "effectiveness_basis")
    if owner is None or not owner.is_active:
        raise _refuse("owner", _("Choose an active user as the owner."))
    if anomaly is not None:
        if getattr(anomaly, "voided_at", None) is not None:
            raise ValidationError(
                {"anomaly": _("The NCR is voided; open the CAPA on a valid NCR (%(c)s).")
                 % {"c": CLAUSE_NCR}}
            )  # fmt: skip
        if getattr(anomaly, "status", "") == "closed":
            raise ValidationError(
                {"anomaly": _("The NCR is closed; a CAPA cannot be added to it (%(c)s).")
                 % {"c": CLAUSE_NCR}}
            )  # fmt: skip
        item = item or anomaly.item
        if not defect_code:
            codes = anomaly_defect_codes(anomaly)
            defect_code = codes[0] if codes else ""
        is_8d = is_8d or eight_d_required(anomaly)
    for name, value in (("effectiveness_lots", effectiveness_lots),
                        ("effectiveness_days", effectiveness_days)):  # fmt: skip
        if not isinstance(value, int) or value < 1 or value > 1000:
            raise _refuse(name, _("Give a whole number from 1 to 1000."))
    now = raised_at or timezone.now()
    capa = Capa(
        number=_next_number(timezone.localtime(now).year),
        kind=kind,
        is_8d=bool(is_8d),
        anomaly=anomaly,
        title=title,
        item=item,
        defect_code=_text(defect_code, "defect_code", limit=40),
        owner=owner,
        raised_by=actor,
        raised_at=now,
        due_on=due_on,
        effectiveness_basis=effectiveness_basis,
        effectiveness_lots=effectiveness_lots,
        effectiveness_days=effectiveness_days,
    )
    capa.save()
    CapaMember.objects.create(capa=capa, user=owner, role=MemberRole.LEADER)
    audit_record(
        actor=actor, action="anomalies.capa.create", obj=capa, after=snapshot(capa),
        clause=CLAUSE_CAPA,
    )  # fmt: skip
    return capa


EDITABLE = (
    *PROBLEM_FIELDS, "title", "containment", "root_cause", "due_on", "effectiveness_basis",
    "effectiveness_lots", "effectiveness_days", "repeat_window_days", "is_8d",
)  # fmt: skip


@transaction.atomic
def capa_update(*, actor: User, capa: Capa, **changes: Any) -> Capa:
    """Edit the 8D's sections (D2 problem, D3 containment, D4 root cause, D8 plan)."""
    require(actor, "anomalies.change_capa", capa, clause=CLAUSE_CAPA)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise _refuse(sorted(unknown)[0], _("This field cannot be changed here."))
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name in ("effectiveness_lots", "effectiveness_days", "repeat_window_days"):
            if not isinstance(value, int) or value < 1 or value > 3650:
                raise _refuse(name, _("Give a whole number from 1 to 3650."))
            clean[name] = value
        elif name == "effectiveness_basis":
            clean[name] = _choice(value, EffectivenessBasis, name)
        elif name == "due_on":
            clean[name] = value
        elif name == "is_8d":
            clean[name] = bool(value)
        elif name == "title":
            clean[name] = _text(value, name, required=True, limit=200)
        else:
            clean[name] = _text(value, name, limit=4000)
    with audited_change(
        actor=actor, obj=capa, action="anomalies.capa.update", clause=CLAUSE_CAPA
    ) as locked:
        _open(locked)
        if (
            locked.root_cause_verified_at
            and "root_cause" in clean
            and (clean["root_cause"] != locked.root_cause)
        ):
            raise _refuse(
                "root_cause",
                _("The root cause was verified; it cannot be rewritten. Record a new chain."),
            )
        if locked.anomaly_id and eight_d_required(locked.anomaly) and clean.get("is_8d") is False:
            raise _refuse("is_8d", _("The NCR's source or severity requires an 8D."))
        for name, value in clean.items():
            setattr(locked, name, value)
    return locked


# --- D1 team -----------------------------------------------------------------------------------


@transaction.atomic
def member_add(
    *, actor: User, capa: Capa, user: User, role: str = MemberRole.MEMBER, duty: str = ""
) -> CapaMember:
    require(actor, "anomalies.change_capa", capa, clause=CLAUSE_CAPA)
    _open(capa)
    role = _choice(role, MemberRole, "role")
    if user is None or not user.is_active:
        raise _refuse("user", _("Choose an active user."))
    if capa.members.filter(user=user, voided_at__isnull=True).exists():
        raise _refuse("user", _("This person is already on the team."))
    member = CapaMember.objects.create(
        capa=capa, user=user, role=role, duty=_text(duty, "duty", limit=120)
    )
    audit_record(
        actor=actor, action="anomalies.capamember.add", obj=capa,
        after={"member": user.pk, "role": role, "duty": member.duty}, clause=CLAUSE_CAPA,
    )  # fmt: skip
    return member


def member_void(*, actor: User, member: CapaMember, reason: str) -> Any:
    _open(member.capa)
    return record_void(
        actor=actor, record=member, reason=reason, perm="anomalies.change_capa",
        clause=CLAUSE_CAPA,
    )  # fmt: skip


# --- D4 root cause -----------------------------------------------------------------------------


def _steps(steps: Any) -> list[str]:
    if not isinstance(steps, list | tuple):
        raise _refuse("steps", _("Give the whys as a list."))
    clean = [str(s or "").strip() for s in steps]
    while clean and not clean[-1]:
        clean.pop()
    if not clean:
        raise _refuse("steps", _("Give at least the first why."))
    if "" in clean:
        raise _refuse("steps", _("Fill the whys in order, without a gap."))
    if len(clean) > MAX_WHYS:
        raise _refuse("steps", _("Give at most %(n)d whys.") % {"n": MAX_WHYS})
    for step in clean:
        if len(step) > 300:
            raise _refuse("steps", _("Keep this within %(n)d characters.") % {"n": 300})
    return clean


@transaction.atomic
def why_chain_save(
    *,
    actor: User,
    capa: Capa,
    problem: str,
    steps: list[str],
    root_cause: str = "",
    category: str = "",
    chain: WhyChain | None = None,
) -> WhyChain:
    """Record a 5-Why chain, or edit the steps of one (before the root cause is verified)."""
    require(actor, "anomalies.change_capa", capa, clause=CLAUSE_CAPA)
    _open(capa)
    if capa.root_cause_verified_at:
        raise _refuse(
            "steps", _("The root cause was verified; the analysis can no longer be changed.")
        )
    values = {
        "problem": _text(problem, "problem", required=True, limit=300),
        "steps": _steps(steps),
        "root_cause": _text(root_cause, "root_cause", limit=300),
        "category": _choice(category, FishboneCategory, "category", blank=True),
    }
    if chain is None:
        chain = WhyChain.objects.create(capa=capa, created_by=actor, **values)
        audit_record(
            actor=actor, action="anomalies.whychain.create", obj=chain, after=snapshot(chain),
            clause=CLAUSE_CAPA,
        )  # fmt: skip
        return chain
    if chain.capa_id != capa.pk or chain.is_voided:
        raise _refuse("chain", _("This chain is not part of this CAPA."))
    with audited_change(
        actor=actor, obj=chain, action="anomalies.whychain.update", clause=CLAUSE_CAPA
    ) as locked:
        for name, value in values.items():
            setattr(locked, name, value)
    return locked


@transaction.atomic
def fishbone_add(
    *, actor: User, capa: Capa, category: str, cause: str, is_root: bool = False
) -> FishboneCause:
    require(actor, "anomalies.change_capa", capa, clause=CLAUSE_CAPA)
    _open(capa)
    if capa.root_cause_verified_at:
        raise _refuse(
            "cause", _("The root cause was verified; the analysis can no longer be changed.")
        )
    row = FishboneCause.objects.create(
        capa=capa,
        category=_choice(category, FishboneCategory, "category"),
        cause=_text(cause, "cause", required=True, limit=300),
        is_root=bool(is_root),
        created_by=actor,
    )
    audit_record(
        actor=actor, action="anomalies.fishbonecause.create", obj=row, after=snapshot(row),
        clause=CLAUSE_CAPA,
    )  # fmt: skip
    return row


def analysis_void(*, actor: User, record: WhyChain | FishboneCause, reason: str) -> Any:
    _open(record.capa)
    if record.capa.root_cause_verified_at:
        raise _refuse(
            "reason", _("The root cause was verified; the analysis can no longer be changed.")
        )
    return record_void(
        actor=actor, record=record, reason=reason, perm="anomalies.change_capa",
        clause=CLAUSE_CAPA,
    )  # fmt: skip


def _people_of_capa(capa: Capa) -> set[int]:
    """The owner and every owner of an action: they may not judge their own work."""
    people = {capa.owner_id}
    people.update(capa.actions.filter(voided_at__isnull=True).values_list("owner_id", flat=True))
    return people


@transaction.atomic
def root_cause_verify(*, actor: User, capa: Capa, verification: str) -> Capa:
    """Someone other than the owner confirms the root cause (how: a trial, a reproduction…);
    the CAPA moves on to its actions."""
    require(actor, "anomalies.verify_capa", capa, clause=CLAUSE_CAPA)
    sod_check(actor=actor, raised_by=capa.owner, clause=CLAUSE_CAPA)
    verification = _text(verification, "verification", required=True, limit=4000)
    with audited_change(
        actor=actor, obj=capa, action="anomalies.capa.root_cause_verify", clause=CLAUSE_CAPA
    ) as locked:
        _open(locked)
        if locked.root_cause_verified_at:
            raise _refuse("root_cause", _("The root cause is already verified."))
        if not locked.root_cause.strip():
            raise _refuse("root_cause", _("State the root cause before it is verified."))
        analysed = (
            locked.why_chains.filter(voided_at__isnull=True).exists()
            or locked.causes.filter(voided_at__isnull=True, is_root=True).exists()
        )
        if not analysed:
            raise _refuse(
                "why_chains",
                _("Record a 5-Why chain or mark a fishbone cause as root before verifying."),
            )
        locked.root_cause_verification = verification
        locked.root_cause_verified_by = actor
        locked.root_cause_verified_at = timezone.now()
        locked.status = CapaStatus.ACTIONS
    return locked


# --- D3, D5–D7 actions -------------------------------------------------------------------------


@transaction.atomic
def action_add(
    *,
    actor: User,
    capa: Capa,
    kind: str,
    description: str,
    owner: User,
    due_on: datetime.date | None,
    document_kind: str = "",
    document_ref: str = "",
) -> CapaAction:
    require(actor, "anomalies.change_capa", capa, clause=CLAUSE_CAPA)
    _open(capa)
    kind = _choice(kind, ActionKind, "kind")
    if owner is None or not owner.is_active:
        raise _refuse("owner", _("Choose an active user as the owner."))
    if due_on is None:
        raise _refuse("due_on", _("Give the date by which the action is due."))
    document_kind = _choice(document_kind, DocumentKind, "document_kind", blank=True)
    document_ref = _text(document_ref, "document_ref", limit=120)
    if kind == ActionKind.PREVENTIVE and not (document_kind and document_ref):
        raise _refuse(
            "document_ref",
            _("A preventive action names the document, FMEA or control plan that must change."),
        )
    action = CapaAction.objects.create(
        capa=capa,
        kind=kind,
        description=_text(description, "description", required=True, limit=4000),
        owner=owner,
        due_on=due_on,
        document_kind=document_kind,
        document_ref=document_ref,
        created_by=actor,
    )
    audit_record(
        actor=actor, action="anomalies.capaaction.create", obj=action, after=snapshot(action),
        clause=CLAUSE_CAPA,
    )  # fmt: skip
    if capa.status == CapaStatus.VERIFICATION and kind != ActionKind.CONTAINMENT:
        # A new permanent action after the others were done: the watch starts again.
        with audited_change(
            actor=actor, obj=capa, action="anomalies.capa.actions_reopen", clause=CLAUSE_CAPA
        ) as locked:
            locked.status = CapaStatus.ACTIONS
            locked.actions_done_at = None
    return action


def _after_actions(*, actor: User, capa: Capa) -> None:
    """Once every permanent and preventive action is done, the watch for effectiveness starts."""
    if capa.status != CapaStatus.ACTIONS:
        return
    live = capa.actions.filter(voided_at__isnull=True).exclude(kind=ActionKind.CONTAINMENT)
    if not live.exists() or live.filter(status=ActionStatus.OPEN).exists():
        return
    with audited_change(
        actor=actor, obj=capa, action="anomalies.capa.actions_done", clause=CLAUSE_CAPA
    ) as locked:
        locked.status = CapaStatus.VERIFICATION
        locked.actions_done_at = timezone.now()


@transaction.atomic
def action_complete(*, actor: User, action: CapaAction, note: str) -> CapaAction:
    """The action's owner (or whoever runs the CAPA) records what was done."""
    require(actor, "anomalies.complete_capaaction", action, clause=CLAUSE_CAPA)
    note = _text(note, "note", required=True, limit=4000)
    with audited_change(
        actor=actor, obj=action, action="anomalies.capaaction.complete", clause=CLAUSE_CAPA
    ) as locked:
        if locked.is_voided:
            raise _refuse("action", _("This action is voided."))
        _open(locked.capa)
        if locked.status == ActionStatus.DONE:
            raise _refuse("status", _("This action is already done."))
        if locked.kind != ActionKind.CONTAINMENT and not locked.capa.root_cause_verified_at:
            raise _refuse(
                "root_cause",
                _("Verify the root cause before the permanent actions are done."),
            )
        locked.status = ActionStatus.DONE
        locked.done_at = timezone.now()
        locked.done_note = note
    _after_actions(actor=actor, capa=Capa.objects.get(pk=locked.capa_id))
    return locked


def action_void(*, actor: User, action: CapaAction, reason: str) -> Any:
    with transaction.atomic():
        _open(action.capa)
        voided = record_void(
            actor=actor, record=action, reason=reason, perm="anomalies.change_capa",
            clause=CLAUSE_CAPA,
        )  # fmt: skip
        _after_actions(actor=actor, capa=Capa.objects.get(pk=action.capa_id))
    return voided


# --- D8 effectiveness and closure --------------------------------------------------------------


def effectiveness_meaning(capa: Capa, result: str) -> SignedMeaning:
    label = EffectivenessResult(result).label if result in EffectivenessResult.values else ""
    return SignedMeaning(
        _("Effectiveness of %(number)s checked: %(result)s") % {"number": capa.number,
                                                               "result": label},
        CLAUSE_CAPA,
    )  # fmt: skip


def closure_meaning(capa: Capa) -> SignedMeaning:
    return SignedMeaning(_("%(number)s closed") % {"number": capa.number}, CLAUSE_CAPA)


def capa_content(capa: Capa) -> dict[str, Any]:
    """What the effectiveness and closure signatures cover: the CAPA's findings."""
    actions = capa.actions.filter(voided_at__isnull=True).order_by("pk")
    return {
        "number": capa.number,
        "root_cause": capa.root_cause,
        "actions": [[a.pk, a.kind, a.status, a.description] for a in actions],
        "effectiveness_result": capa.effectiveness_result,
        "effectiveness_note": capa.effectiveness_note,
    }


def capa_content_of(obj: Any) -> dict[str, Any]:
    """``capa_content`` for the audit pages' signature check (any model is passed there)."""
    return capa_content(obj)


@transaction.atomic
def effectiveness_check(
    *, actor: User, capa: Capa, result: str, evidence: str, password: str
) -> Capa:
    """Someone other than the owner and the actions' owners judges, with a signature, whether
    the actions worked. Not effective sends the CAPA back to its actions."""
    require(actor, "anomalies.verify_capa", capa, clause=CLAUSE_CAPA)
    sod_check(actor=actor, raised_by=capa.owner, subject_people=_people_of_capa(capa),
              clause=CLAUSE_CAPA)  # fmt: skip
    result = _choice(result, EffectivenessResult, "result")
    evidence = _text(evidence, "evidence", required=True, limit=4000)
    locked = Capa.objects.select_for_update().get(pk=capa.pk)
    _open(locked)
    if locked.status != CapaStatus.VERIFICATION:
        raise _refuse(
            "status",
            _("The effectiveness is checked once every permanent action is done."),
        )
    before = snapshot(locked)
    locked.effectiveness_result = result
    locked.effectiveness_note = evidence
    locked.effectiveness_checked_by = actor
    locked.effectiveness_checked_at = timezone.now()
    signature = signature_sign(
        user=actor, password=password, obj=locked, content=capa_content(locked),
        meaning=effectiveness_meaning(locked, result).text, clause=CLAUSE_CAPA,
    )  # fmt: skip
    locked.effectiveness_signature = signature
    if result == EffectivenessResult.EFFECTIVE:
        locked.status = CapaStatus.EFFECTIVE
    else:
        locked.status = CapaStatus.ACTIONS
        locked.actions_done_at = None
    locked.save()
    audit_record(
        actor=actor, action="anomalies.capa.effectiveness", obj=locked, before=before,
        after=snapshot(locked), clause=CLAUSE_CAPA,
    )  # fmt: skip
    return locked


@transaction.atomic
def capa_close(*, actor: User, capa: Capa, note: str, password: str) -> Capa:
    """Close with a signature, once the effectiveness was found by another person and no action
    is open."""
    require(actor, "anomalies.close_capa", capa, clause=CLAUSE_CAPA)
    locked = Capa.objects.select_for_update().get(pk=capa.pk)
    _open(locked)
    if locked.actions.filter(voided_at__isnull=True, status=ActionStatus.OPEN).exists():
        raise _refuse("actions", _("Every action must be done before the CAPA closes."))
    if locked.status != CapaStatus.EFFECTIVE or not locked.effectiveness_checked_by_id:
        raise _refuse(
            "effectiveness",
            _("The CAPA closes only after another person has found its actions effective."),
        )
    before = snapshot(locked)
    signature = signature_sign(
        user=actor, password=password, obj=locked, content=capa_content(locked),
        meaning=closure_meaning(locked).text, clause=CLAUSE_CAPA,
    )  # fmt: skip
    locked.closure_signature = signature
    locked.closure_note = _text(note, "note", limit=4000)
    locked.closed_at = signature.signed_at
    locked.closed_by = actor
    locked.status = CapaStatus.CLOSED
    locked.save()
    audit_record(
        actor=actor, action="anomalies.capa.close", obj=locked, before=before,
        after=snapshot(locked), clause=CLAUSE_CAPA,
    )  # fmt: skip
    return locked


def capa_void(*, actor: User, capa: Capa, reason: str) -> Any:
    if capa.status == CapaStatus.CLOSED:
        raise _refuse("status", _("This CAPA is closed."))
    return record_void(
        actor=actor, record=capa, reason=reason, perm="anomalies.void_capa", clause=CLAUSE_CAPA
    )


# --- repeats after closure ---------------------------------------------------------------------


def repeat_detect(*, anomaly: Any, defect_code: str, actor: Any = None) -> list[CapaRepeat]:
    """A new NCR with the defect code of a closed CAPA on the same item, within the CAPA's
    window after closure: counted, and the CAPA goes back to its effectiveness check."""
    if not defect_code or anomaly is None or not anomaly.item_id:
        return []
    found: list[CapaRepeat] = []
    at = anomaly.raised_at or timezone.now()
    closed = Capa.objects.filter(
        voided_at__isnull=True,
        item_id=anomaly.item_id,
        defect_code=defect_code,
        closed_at__isnull=False,
        closed_at__lte=at,
    ).exclude(anomaly_id=anomaly.pk)
    for capa in closed:
        if capa.closed_at is None:
            continue
        if at - capa.closed_at > datetime.timedelta(days=capa.repeat_window_days):
            continue
        if capa.repeats.filter(anomaly=anomaly).exists():
            continue
        with transaction.atomic():
            repeat = CapaRepeat.objects.create(
                capa=capa, anomaly=anomaly, defect_code=defect_code, detected_at=at
            )
            with audited_change(
                actor=actor, obj=capa, action="anomalies.capa.repeat", clause=CLAUSE_CAPA,
                reason=str(anomaly.number),
            ) as locked:  # fmt: skip
                if locked.status in (CapaStatus.CLOSED, CapaStatus.EFFECTIVE):
                    locked.status = CapaStatus.VERIFICATION
                    locked.reopened_count += 1
                    locked.effectiveness_result = ""
        found.append(repeat)
    return found


def anomaly_raised_receiver(sender: Any, *, anomaly: Any, actor: Any = None, **kwargs: Any) -> None:
    """An NCR was raised with its defects: look for a repeat of each of its defect codes."""
    for code in dict.fromkeys(anomaly_defect_codes(anomaly)):
        repeat_detect(anomaly=anomaly, defect_code=code, actor=actor)


def anomaly_defect_added(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """post_save of an NCR's defect: look for a repeat of a closed CAPA's defect."""
    if not created or instance.voided_at is not None:
        return
    anomaly = instance.anomaly
    repeat_detect(
        anomaly=anomaly,
        defect_code=instance.defect.code,
        actor=getattr(anomaly, "raised_by", None),
    )
