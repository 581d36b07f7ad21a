"""Every change to incidents, their rules and their investigation (§6 d), §7.2.1.3): keyword-only,
the actor's authority checked first, validated (each refusal names the field and the clause),
the change and its audit event in one transaction."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import audit_record, audited_change, record_void, snapshot
from cqo.authorities import engine
from cqo.core.clauses import clause
from cqo.core.numbering import number_next
from cqo.core.permissions import require
from cqo.masterdata import events
from cqo.notifications.services import notify

from .models import (
    DeciderRole,
    Incident,
    IncidentLevel,
    IncidentRules,
    IncidentStatus,
    Responsibility,
    ResponsibilityKind,
    TeamMember,
    TimelineEntry,
)

CLAUSE_INCIDENT = clause("§6 d)")
CLAUSE_RULES = clause("§7.2.1.3")

# What an enterprise without rules of its own starts from (the rules page offers them).
DEFAULT_RULES: dict[str, Any] = {
    "serious_loss": Decimal("50000.00"),
    "major_loss": Decimal("500000.00"),
    "serious_injuries": 1,
    "major_injuries": 3,
    "major_deaths": 1,
    "general_hours": 24,
    "serious_hours": 4,
    "major_hours": 1,
    "decider_role": DeciderRole.PRINCIPAL,
    "hearing_days": 5,
}


def _blank(value: str | None) -> str:
    return (value or "").strip()


def _with(message: str, field_clause: str) -> str:
    return f"{message} ({field_clause})"


def incident_url(incident: Incident) -> str:
    return reverse("incidents:incident_detail", args=[incident.pk])


def rules_current() -> IncidentRules | None:
    return IncidentRules.objects.filter(voided_at__isnull=True).order_by("-version").first()


# --- the rules -------------------------------------------------------------------------------


@transaction.atomic
def rules_set(
    *,
    actor: User,
    text: str,
    serious_loss: Decimal,
    major_loss: Decimal,
    serious_injuries: int,
    major_injuries: int,
    major_deaths: int,
    general_hours: int,
    serious_hours: int,
    major_hours: int,
    general_report_to: str,
    serious_report_to: str,
    major_report_to: str,
    decider_role: str,
    hearing_days: int,
) -> IncidentRules:
    """A new version of the incident rules; the earlier versions stay, and each incident keeps
    the version it was reported under."""
    require(actor, "incidents.change_incidentrules", clause=CLAUSE_RULES)
    errors: dict[str, str] = {}
    text = _blank(text)
    if not text:
        errors["text"] = _with(_("Write out the incident-reporting rules."), CLAUSE_RULES)
    if serious_loss is None or serious_loss < 0:
        errors["serious_loss"] = _with(_("Give a loss of zero or more."), CLAUSE_RULES)
    if major_loss is None or serious_loss is None or major_loss <= serious_loss:
        errors["major_loss"] = _with(
            _("The loss for a major incident must be above the loss for a serious one."),
            CLAUSE_RULES,
        )
    if major_injuries <= serious_injuries:
        errors["major_injuries"] = _with(
            _("The injured people for a major incident must be more than for a serious one."),
            CLAUSE_RULES,
        )
    if serious_injuries < 1:
        errors["serious_injuries"] = _with(_("Give at least one person."), CLAUSE_RULES)
    if major_deaths < 1:
        errors["major_deaths"] = _with(_("Give at least one death."), CLAUSE_RULES)
    if min(general_hours, serious_hours, major_hours) < 1:
        errors["major_hours"] = _with(_("Every report deadline is at least one hour."),
                                      CLAUSE_RULES)  # fmt: skip
    elif not major_hours <= serious_hours <= general_hours:
        errors["serious_hours"] = _with(
            _("A more serious incident must be reported at least as fast as a less serious one."),
            CLAUSE_RULES,
        )
    for field, value in (
        ("general_report_to", general_report_to), ("serious_report_to", serious_report_to),
        ("major_report_to", major_report_to),
    ):  # fmt: skip
        if not _blank(value):
            errors[field] = _with(_("Say who must be told."), CLAUSE_RULES)
    if decider_role not in DeciderRole.values:
        errors["decider_role"] = _with(_("Choose who decides penalties."), CLAUSE_RULES)
    if hearing_days < 1:
        errors["hearing_days"] = _with(_("Give the person at least one day to answer."),
                                       CLAUSE_RULES)  # fmt: skip
    if errors:
        raise ValidationError(errors)
    previous = IncidentRules.objects.select_for_update().order_by("-version").first()
    rules = IncidentRules.objects.create(
        version=(previous.version + 1) if previous else 1,
        text=text,
        serious_loss=serious_loss,
        major_loss=major_loss,
        serious_injuries=serious_injuries,
        major_injuries=major_injuries,
        major_deaths=major_deaths,
        general_hours=general_hours,
        serious_hours=serious_hours,
        major_hours=major_hours,
        general_report_to=_blank(general_report_to),
        serious_report_to=_blank(serious_report_to),
        major_report_to=_blank(major_report_to),
        decider_role=decider_role,
        hearing_days=hearing_days,
        set_by=actor,
        set_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="incidents.rules.set",
        obj=rules,
        before=snapshot(previous) if previous else None,
        after=snapshot(rules),
        clause=CLAUSE_RULES,
    )
    return rules


# --- the report ------------------------------------------------------------------------------


def _next_number(year: int) -> str:
    return number_next(Incident, f"INC-{year}-", 3)


def _investigators() -> list[Any]:
    return [engine.current_cqo_user()]


@transaction.atomic
def incident_report(
    *,
    actor: User,
    title: str,
    description: str,
    occurred_at: datetime.datetime,
    place: str = "",
    unit: Any = None,
    item: Any = None,
    loss: Decimal = Decimal("0"),
    injuries: int = 0,
    deaths: int = 0,
    harm: str = "",
) -> Incident:
    """Anyone reports an incident; its level follows from the thresholds of the rules in force,
    and the reporting clock of that level starts from when it occurred."""
    require(actor, "incidents.add_incident", clause=CLAUSE_INCIDENT)
    rules = rules_current()
    errors: dict[str, str] = {}
    if rules is None:
        errors["rules"] = _with(
            _("The enterprise has no incident rules yet; the CQO sets them first."), CLAUSE_RULES
        )
    title, description = _blank(title), _blank(description)
    if not title:
        errors["title"] = _with(_("Give the incident a title."), CLAUSE_INCIDENT)
    if not description:
        errors["description"] = _with(_("Say what happened."), CLAUSE_INCIDENT)
    now = timezone.now()
    if occurred_at is None:
        errors["occurred_at"] = _with(_("Give when it happened."), CLAUSE_INCIDENT)
    elif occurred_at > now + datetime.timedelta(minutes=5):
        errors["occurred_at"] = _with(_("An incident cannot have happened in the future."),
                                      CLAUSE_INCIDENT)  # fmt: skip
    elif occurred_at < now - datetime.timedelta(days=366 * 30):
        # Older than any record an enterprise keeps; such dates are typing slips, and before
        # 1901 the time zone's local mean time would give an offset no client can parse.
        errors["occurred_at"] = _with(_("An incident is reported within thirty years of it."),
                                      CLAUSE_INCIDENT)  # fmt: skip
    if loss is None or loss < 0:
        errors["loss"] = _with(_("Give a loss of zero or more."), CLAUSE_INCIDENT)
    if injuries is None or injuries < 0:
        errors["injuries"] = _with(_("Give a number of zero or more."), CLAUSE_INCIDENT)
    if deaths is None or deaths < 0:
        errors["deaths"] = _with(_("Give a number of zero or more."), CLAUSE_INCIDENT)
    if unit is not None and getattr(unit, "voided_at", None) is not None:
        errors["unit"] = _with(_("This unit was voided."), CLAUSE_INCIDENT)
    if errors:
        raise ValidationError(errors)
    assert rules is not None
    level = rules.level_for(loss=loss, injuries=injuries, deaths=deaths)
    incident = Incident(
        number=_next_number(occurred_at.year),
        title=title,
        description=description,
        occurred_at=occurred_at,
        place=_blank(place),
        unit=unit,
        item=item,
        loss=loss,
        injuries=injuries,
        deaths=deaths,
        harm=_blank(harm),
        level=level,
        level_by_rules=level,
        rules=rules,
        reported_by=actor,
        reported_at=now,
        report_due_at=occurred_at + datetime.timedelta(hours=rules.hours_for(level)),
    )
    incident.full_clean(exclude=["number"])
    incident.save()
    audit_record(
        actor=actor,
        action="incidents.incident.report",
        obj=incident,
        after=snapshot(incident),
        clause=CLAUSE_INCIDENT,
    )
    notify(
        _investigators(),
        lambda: (
            _("A quality incident was reported (%(level)s): %(title)s")
            % {"level": incident.get_level_display(), "title": incident.title}
        ),
        url=incident_url(incident),
        clause=CLAUSE_INCIDENT,
    )
    return incident


def _open(incident: Incident, field: str = "status") -> None:
    if incident.voided_at is not None:
        raise ValidationError({field: _with(_("This incident was voided."), CLAUSE_INCIDENT)})
    if incident.status == IncidentStatus.CLOSED:
        raise ValidationError({field: _with(_("This incident is closed."), CLAUSE_INCIDENT)})


def incident_level_set(*, actor: User, incident: Incident, level: str, reason: str) -> Incident:
    """The investigator sets the level by judgement, with a reason; the thresholds' level stays
    recorded beside it. Until it was reported onward the clock follows the new level."""
    require(actor, "incidents.classify_incident", incident, clause=CLAUSE_INCIDENT)
    if level not in IncidentLevel.values:
        raise ValidationError({"level": _with(_("Choose a level."), CLAUSE_INCIDENT)})
    reason = _blank(reason)
    if not reason:
        raise ValidationError({"reason": _with(_("Give the reason for the level."),
                                               CLAUSE_INCIDENT)})  # fmt: skip
    with audited_change(
        actor=actor, obj=incident, action="incidents.incident.level", clause=CLAUSE_INCIDENT,
        reason=reason,
    ) as locked:  # fmt: skip
        _open(locked, "level")
        if locked.level == level:
            raise ValidationError({"level": _with(_("The incident already has this level."),
                                                  CLAUSE_INCIDENT)})  # fmt: skip
        locked.level = level
        locked.level_reason = reason
        if locked.reported_onward_at is None:
            locked.report_due_at = locked.occurred_at + datetime.timedelta(
                hours=locked.rules.hours_for(level)
            )
    return locked


def incident_report_onward(
    *, actor: User, incident: Incident, reported_to: str, reported_at: datetime.datetime | None
) -> Incident:
    """Record that the incident was reported to whom the rules name, stopping its clock."""
    require(actor, "incidents.investigate_incident", incident, clause=CLAUSE_RULES)
    reported_to = _blank(reported_to)
    now = timezone.now()
    reported_at = reported_at or now
    if not reported_to:
        raise ValidationError({"reported_to": _with(_("Say who was told."), CLAUSE_RULES)})
    if reported_at > now + datetime.timedelta(minutes=5):
        raise ValidationError({"reported_at": _with(_("This time is in the future."),
                                                    CLAUSE_RULES)})  # fmt: skip
    if reported_at < incident.occurred_at:
        raise ValidationError({"reported_at": _with(
            _("It cannot have been reported before it happened."), CLAUSE_RULES)})  # fmt: skip
    with audited_change(
        actor=actor, obj=incident, action="incidents.incident.report_onward", clause=CLAUSE_RULES
    ) as locked:
        _open(locked, "reported_to")
        if locked.reported_onward_at is not None:
            raise ValidationError({"reported_to": _with(
                _("The onward report is already recorded."), CLAUSE_RULES)})  # fmt: skip
        locked.reported_onward_at = reported_at
        locked.reported_onward_to = reported_to
    return locked


# --- the investigation -----------------------------------------------------------------------


def investigation_open(*, actor: User, incident: Incident, lead: User) -> Incident:
    """The investigation is led by the CQO in office or a holder of a delegation of §6 d)."""
    require(actor, "incidents.investigate_incident", incident, clause=CLAUSE_INCIDENT)
    if lead is None or not engine.holds(lead, "d", unit=engine.unit_of(incident)):
        raise ValidationError({"lead": _with(
            _("The investigation is led by the CQO or a holder of a delegation of the "
              "investigation authority."), CLAUSE_INCIDENT)})  # fmt: skip
    with audited_change(
        actor=actor, obj=incident, action="incidents.investigation.open", clause=CLAUSE_INCIDENT
    ) as locked:
        _open(locked, "lead")
        if locked.status != IncidentStatus.REPORTED:
            raise ValidationError({"lead": _with(_("The investigation is already open."),
                                                 CLAUSE_INCIDENT)})  # fmt: skip
        locked.status = IncidentStatus.INVESTIGATING
        locked.lead = lead
        locked.investigation_opened_at = timezone.now()
    if lead.pk != actor.pk:
        notify(
            [lead],
            lambda: (
                _("You lead the investigation of incident %(number)s.") % {"number": locked.number}
            ),
            url=incident_url(locked),
            clause=CLAUSE_INCIDENT,
        )
    return locked


def _investigating(incident: Incident, field: str) -> None:
    _open(incident, field)
    if incident.status != IncidentStatus.INVESTIGATING:
        raise ValidationError({field: _with(_("Open the investigation first."), CLAUSE_INCIDENT)})


@transaction.atomic
def team_member_add(*, actor: User, incident: Incident, user: User, task: str = "") -> TeamMember:
    require(actor, "incidents.investigate_incident", incident, clause=CLAUSE_INCIDENT)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _investigating(incident, "user")
    if user is None or not user.is_active:
        raise ValidationError({"user": _with(_("Choose an active user."), CLAUSE_INCIDENT)})
    if incident.team.filter(user=user, voided_at__isnull=True).exists():
        raise ValidationError({"user": _with(_("Already in the team."), CLAUSE_INCIDENT)})
    member = TeamMember.objects.create(
        incident=incident, user=user, task=_blank(task), added_by=actor, added_at=timezone.now()
    )
    audit_record(actor=actor, action="incidents.team.add", obj=member, after=snapshot(member),
                 clause=CLAUSE_INCIDENT)  # fmt: skip
    return member


@transaction.atomic
def timeline_add(
    *, actor: User, incident: Incident, at: datetime.datetime, text: str
) -> TimelineEntry:
    require(actor, "incidents.add_timelineentry", incident, clause=CLAUSE_INCIDENT)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _open(incident, "text")
    text = _blank(text)
    if not text:
        raise ValidationError({"text": _with(_("Say what happened or was found."),
                                             CLAUSE_INCIDENT)})  # fmt: skip
    if at is None:
        raise ValidationError({"at": _with(_("Give when."), CLAUSE_INCIDENT)})
    if at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"at": _with(_("This time is in the future."), CLAUSE_INCIDENT)})
    entry = TimelineEntry.objects.create(
        incident=incident, at=at, text=text, recorded_by=actor, recorded_at=timezone.now()
    )
    audit_record(actor=actor, action="incidents.timeline.add", obj=entry, after=snapshot(entry),
                 clause=CLAUSE_INCIDENT)  # fmt: skip
    return entry


def findings_record(*, actor: User, incident: Incident, facts: str, causes: str) -> Incident:
    """The facts and causes as the investigation has them now (each version kept in history)."""
    require(actor, "incidents.investigate_incident", incident, clause=CLAUSE_INCIDENT)
    facts, causes = _blank(facts), _blank(causes)
    if not facts and not causes:
        raise ValidationError({"facts": _with(_("Write the facts or the causes."),
                                              CLAUSE_INCIDENT)})  # fmt: skip
    with audited_change(
        actor=actor, obj=incident, action="incidents.investigation.findings",
        clause=CLAUSE_INCIDENT, update_fields=["facts", "causes"],
    ) as locked:  # fmt: skip
        _investigating(locked, "facts")
        locked.facts, locked.causes = facts, causes
    return locked


@transaction.atomic
def responsibility_add(
    *,
    actor: User,
    incident: Incident,
    kind: str,
    finding: str,
    person: Any = None,
    unit: Any = None,
) -> Responsibility:
    require(actor, "incidents.investigate_incident", incident, clause=CLAUSE_INCIDENT)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _investigating(incident, "finding")
    errors: dict[str, str] = {}
    if person is None and unit is None:
        errors["person"] = _with(_("Name the person or the unit responsible."), CLAUSE_INCIDENT)
    if kind not in ResponsibilityKind.values:
        errors["kind"] = _with(_("Choose the kind of responsibility."), CLAUSE_INCIDENT)
    finding = _blank(finding)
    if not finding:
        errors["finding"] = _with(_("Say what the investigation found."), CLAUSE_INCIDENT)
    if errors:
        raise ValidationError(errors)
    row = Responsibility.objects.create(
        incident=incident, person=person, unit=unit, kind=kind, finding=finding,
        recorded_by=actor, recorded_at=timezone.now(),
    )  # fmt: skip
    audit_record(actor=actor, action="incidents.responsibility.add", obj=row,
                 after=snapshot(row), clause=CLAUSE_INCIDENT)  # fmt: skip
    return row


def investigation_conclude(*, actor: User, incident: Incident, conclusion: str) -> Incident:
    require(actor, "incidents.investigate_incident", incident, clause=CLAUSE_INCIDENT)
    conclusion = _blank(conclusion)
    if not conclusion:
        raise ValidationError({"conclusion": _with(_("Write the conclusion."), CLAUSE_INCIDENT)})
    with audited_change(
        actor=actor, obj=incident, action="incidents.investigation.conclude",
        clause=CLAUSE_INCIDENT,
    ) as locked:  # fmt: skip
        _investigating(locked, "conclusion")
        if not locked.facts:
            raise ValidationError({"facts": _with(_("Record the facts before concluding."),
                                                  CLAUSE_INCIDENT)})  # fmt: skip
        if not locked.causes:
            raise ValidationError({"causes": _with(_("Record the causes before concluding."),
                                                   CLAUSE_INCIDENT)})  # fmt: skip
        locked.conclusion = conclusion
        locked.status = IncidentStatus.CONCLUDED
        locked.concluded_at = timezone.now()
        locked.concluded_by = actor
    return locked


def incident_close(*, actor: User, incident: Incident) -> Incident:
    """Closed once concluded, reported onward, and every penalty decided or withdrawn."""
    from .models import PenaltyStatus

    require(actor, "incidents.investigate_incident", incident, clause=CLAUSE_INCIDENT)
    with audited_change(
        actor=actor, obj=incident, action="incidents.incident.close", clause=CLAUSE_INCIDENT
    ) as locked:
        _open(locked)
        if locked.status != IncidentStatus.CONCLUDED:
            raise ValidationError({"status": _with(_("Conclude the investigation first."),
                                                   CLAUSE_INCIDENT)})  # fmt: skip
        if locked.reported_onward_at is None:
            raise ValidationError({"reported_to": _with(
                _("Record the onward report the rules ask for first."), CLAUSE_RULES)})  # fmt: skip
        pending = locked.penalties.filter(voided_at__isnull=True).exclude(
            status__in=(PenaltyStatus.DECIDED, PenaltyStatus.WITHDRAWN)
        )
        if pending.exists():
            raise ValidationError({"status": _with(
                _("Every penalty must be decided or withdrawn first."), CLAUSE_INCIDENT)})  # fmt: skip
        locked.status = IncidentStatus.CLOSED
        locked.closed_at = timezone.now()
    return locked


def incident_ncr_request(*, actor: User, incident: Incident, item: Any = None) -> Incident:
    """Ask the anomalies domain for a nonconformance on the product involved (§6 c)), without
    importing it: ``masterdata.events.anomaly_requested``; a receiver may answer with the record
    it opened (with a ``number`` and ``get_absolute_url()``)."""
    require(actor, "incidents.investigate_incident", incident, clause=CLAUSE_INCIDENT)
    with audited_change(
        actor=actor, obj=incident, action="incidents.incident.ncr_request",
        clause=clause("§6 c)"), update_fields=["ncr_requested_at", "ncr_ref", "ncr_url"],
    ) as locked:  # fmt: skip
        _open(locked, "item")
        if locked.ncr_requested_at is not None:
            raise ValidationError({"item": _with(
                _("A nonconformance was already requested for this incident."),
                clause("§6 c)"))})  # fmt: skip
        item = item or locked.item
        if item is None:
            raise ValidationError({"item": _with(_("Name the item the nonconformance is about."),
                                                 clause("§6 c)"))})  # fmt: skip
        responses: list[tuple[Any, Any]] = events.anomaly_requested.send(
            sender=Incident,
            actor=actor,
            source="incident",
            source_ref=locked.number,
            source_url=incident_url(locked),
            title=locked.title,
            description=locked.description,
            item=item,
            unit=locked.unit,
            found_at="other",
            found_on=timezone.localtime(locked.occurred_at).date(),
            lots=[],
        )
        answers = [r for _receiver, r in responses if getattr(r, "number", None)]
        locked.ncr_requested_at = timezone.now()
        if answers:
            locked.ncr_ref = str(answers[0].number)[:80]
            locked.ncr_url = _url_of(answers[0])
    return locked


def _url_of(record: Any) -> str:
    """The page of a record another domain answered with, or "" while it has none."""
    from django.urls import NoReverseMatch

    try:
        return str(record.get_absolute_url())[:200]
    except (AttributeError, NoReverseMatch):
        return ""


def incident_void(*, actor: User, incident: Incident, reason: str) -> Any:
    return record_void(actor=actor, record=incident, reason=reason,
                       perm="incidents.void_incident", clause=CLAUSE_INCIDENT)  # fmt: skip


def incidents_report_overdue_remind() -> int:
    """The daily reminder: incidents not reported onward within the rules' time, to the CQO in
    office and the investigation lead, once a day each."""
    from cqo.notifications.services import reminder_claim

    now = timezone.now()
    today = timezone.localdate()
    sent = 0
    overdue = Incident.objects.filter(
        voided_at__isnull=True, reported_onward_at__isnull=True, report_due_at__lt=now
    ).select_related("lead")
    for incident in overdue:
        with transaction.atomic():
            if not reminder_claim(f"incidents.report_overdue.{incident.pk}", on=today):
                continue
            notify(
                [engine.current_cqo_user(), incident.lead],
                lambda i=incident: _(  # type: ignore[misc]
                    "Incident %(number)s is overdue for its report under the rules (due %(due)s)."
                )
                % {"number": i.number, "due": timezone.localtime(i.report_due_at)
                   .strftime("%Y-%m-%d %H:%M")},
                url=incident_url(incident),
                clause=CLAUSE_RULES,
            )  # fmt: skip
            sent += 1
    return sent
