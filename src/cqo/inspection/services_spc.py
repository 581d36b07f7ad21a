"""SPC writes (§7.2.3.2): freezing phase I control limits, raising alarms on the monitored points,
acknowledging and closing them. Keyword-only, permission first, audited, one transaction."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import audit_record, audited_change, snapshot
from cqo.core.clauses import clause
from cqo.core.permissions import require
from cqo.masterdata import events
from cqo.masterdata.models import Characteristic, CharacteristicKind
from cqo.methods.errors import MethodsInputError

from . import selectors_spc as sel
from .models import AlarmStatus, ChartKind, ControlLimits, SpcAlarm

log = logging.getLogger(__name__)

CLAUSE_SPC = clause("§7.2.3.2")
# Fewer points than this estimate σ too loosely for limits anyone should act on (AIAG: 20–25).
MIN_PHASE1_POINTS = 20


def _whole(value: Any, field: str) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(
            {field: _("Give the point's number as a whole number (§7.2.3.2).")}
        ) from None
    return number


def _limits_line(result: Any, index: int) -> dict[str, float | None]:
    def at(arr: Any) -> float | None:
        value = float(np.asarray(arr)[index])
        return value if np.isfinite(value) else None

    return {"center": at(result.center_line), "lcl": at(result.lcl), "ucl": at(result.ucl)}


@transaction.atomic
def control_limits_freeze(
    *,
    actor: User,
    characteristic: Characteristic,
    chart: str,
    first: Any,
    last: Any,
    reason: str,
) -> ControlLimits:
    """Freeze phase I limits of ``chart`` from points ``first``..``last`` (1-based, as numbered
    on the chart). The limits in force for that chart are superseded, never deleted; the points
    after the phase I period are monitored against the new ones."""
    require(actor, "inspection.freeze_controllimits", characteristic, clause=CLAUSE_SPC)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why these limits are frozen: which period was stable (§7.2.3.2).")}
        )
    if chart not in ChartKind.values:
        raise ValidationError({"chart": _("Choose a chart from the list.")})
    if characteristic.voided_at is not None or characteristic.kind != CharacteristicKind.VARIABLE:
        raise ValidationError(
            {"characteristic": _("Control limits are frozen for a variable characteristic in use.")}
        )
    start, end = _whole(first, "first"), _whole(last, "last")
    rows = sel.measurement_rows(characteristic.pk, samples=True, times=True)
    if rows.n == 0:
        raise ValidationError(
            {"first": _("The characteristic has no results yet: there are no points to freeze.")}
        )
    times = rows.times or []
    numbers = sel.lot_numbers(characteristic.pk)
    data, labels, _lots, _first = sel._points(chart, rows, numbers)
    k = data.k
    if not 1 <= start <= end <= k:
        raise ValidationError(
            {"last": _("Choose points between 1 and %(k)d, the first before the last.") % {"k": k}}
        )
    if end - start + 1 < MIN_PHASE1_POINTS:
        raise ValidationError(
            {
                "first": _(
                    "Phase I needs at least %(n)d points to estimate σ (§7.2.3.2); "
                    "the range has %(have)d."
                )
                % {"n": MIN_PHASE1_POINTS, "have": end - start + 1}
            }
        )
    phase1 = np.zeros(k, dtype=bool)
    phase1[start - 1 : end] = True
    data = dataclasses.replace(data, phase1=phase1)
    try:
        main, dispersion = sel.phase1_limits(chart, data)
    except MethodsInputError as exc:
        raise ValidationError({"chart": _("These points cannot give limits: %(why)s") % {
            "why": str(exc)}}) from None  # fmt: skip
    if chart == ChartKind.IMR:
        in_range = np.zeros(rows.n, dtype=bool)
        in_range[start - 1 : end] = True
    else:
        codes = sel.subgroup_codes(rows.lot_ids)[0]
        in_range = (codes >= start - 1) & (codes <= end - 1)
    chosen = [times[i] for i in np.flatnonzero(in_range).tolist()]
    sizes = np.asarray(data.sizes[start - 1 : end], dtype=np.int64)
    typical = int(np.median(sizes))
    at = start - 1 + int(np.argmin(np.abs(sizes - typical)))
    tokens = sel._tokens(main, dispersion, chart)
    flagged_in_phase1 = sum(1 for t in tokens[start - 1 : end] if t)
    now = timezone.now()
    for old in ControlLimits.objects.select_for_update().filter(
        characteristic=characteristic,
        chart=chart,
        superseded_at__isnull=True,
        voided_at__isnull=True,
    ):
        with audited_change(
            actor=actor,
            obj=old,
            action="inspection.controllimits.supersede",
            clause=CLAUSE_SPC,
            reason=reason,
            update_fields=["superseded_at"],
            lock=False,
        ) as locked:
            locked.superseded_at = now
    main_type, dispersion_type = sel.CHART_PARTS[chart]
    limits = ControlLimits(
        characteristic=characteristic,
        chart=chart,
        subgroups=end - start + 1,
        phase_start=min(chosen),
        phase_end=max(chosen),
        centre=float(main.center if main.center is not None else main.center_line[at]),
        sigma=float(main.sigma or 0.0),
        limits={
            "main": {"type": main_type, **_limits_line(main, at)},
            "dispersion": {"type": dispersion_type, **_limits_line(dispersion, at)},
            "n": typical,
            "sigma_method": main.sigma_method,
            "rules": list(main.rules),
            "first": start,
            "last": end,
            "first_label": labels[start - 1],
            "last_label": labels[end - 1],
            "phase1_flagged": flagged_in_phase1,
        },
        reason=reason,
        frozen_by=actor,
    )
    limits.full_clean()
    limits.save()
    audit_record(
        actor=actor,
        action="inspection.controllimits.freeze",
        obj=limits,
        after=snapshot(limits),
        reason=reason,
        clause=CLAUSE_SPC,
    )
    ids = [characteristic.pk]
    # The points already recorded after the phase I period are monitored at once.
    transaction.on_commit(lambda: spc_evaluate_later(ids), robust=True)
    return limits


# --- monitoring ---------------------------------------------------------------------------------


def spc_evaluate_later(characteristic_ids: Iterable[int]) -> None:
    """Evaluate the monitored charts of these characteristics in the job queue (immediately in
    tests and without a queue)."""
    from .tasks_spc import spc_evaluate_job

    ids = sorted({int(i) for i in characteristic_ids})
    if ids:
        spc_evaluate_job(ids)


def frozen_among(characteristic_ids: Iterable[int]) -> list[int]:
    """Which of these characteristics have limits in force: the only ones worth a job."""
    ids = {int(i) for i in characteristic_ids}
    if not ids:
        return []
    return sorted(
        set(
            ControlLimits.objects.filter(
                characteristic_id__in=ids, superseded_at__isnull=True, voided_at__isnull=True
            ).values_list("characteristic_id", flat=True)
        )
    )


def spc_evaluate(*, characteristic_ids: Iterable[int]) -> list[SpcAlarm]:
    """Chart the points after each frozen phase I period and raise an alarm where a run rule
    starts firing, once per point and rules. Cheap by construction: only the characteristics
    named, only the points after their freeze."""
    raised: list[SpcAlarm] = []
    frozen = ControlLimits.objects.filter(
        characteristic_id__in=list(characteristic_ids),
        superseded_at__isnull=True,
        voided_at__isnull=True,
    ).select_related("characteristic")
    for limits in frozen:
        rows = sel.measurement_rows(limits.characteristic_id, since=limits.phase_end, samples=True)
        if rows.n == 0:
            continue
        numbers = sel.lot_numbers(limits.characteristic_id, since=limits.phase_end)
        try:
            labels, lots, tokens = sel.monitored(limits.chart, rows, numbers, limits)
        except MethodsInputError:
            log.warning("SPC: cannot chart characteristic %s", limits.characteristic_id)
            continue
        onsets = sel.alarm_onsets(tokens)
        if not onsets:
            continue
        known = set(SpcAlarm.objects.filter(limits=limits).values_list("point_label", "rules"))
        for i in onsets:
            rules = ",".join(tokens[i])
            if (labels[i], rules) in known:
                continue
            alarm = _alarm_raise(limits=limits, label=labels[i], lot_id=lots[i], rules=rules)
            if alarm is not None:
                raised.append(alarm)
    return raised


def _alarm_raise(
    *, limits: ControlLimits, label: str, lot_id: int | None, rules: str
) -> SpcAlarm | None:
    """One alarm, its audit event and the event for the anomalies domain, in one transaction.
    Raised by the system (no actor): a run rule fired."""
    try:
        with transaction.atomic():
            alarm = SpcAlarm.objects.create(
                characteristic_id=limits.characteristic_id,
                limits=limits,
                inspection_lot_id=lot_id,
                point_label=label[:100],
                rules=rules[:200],
            )
            audit_record(
                actor=None,
                action="inspection.spcalarm.raise",
                obj=alarm,
                after=snapshot(alarm),
                clause=CLAUSE_SPC,
            )
            events.spc_alarm_raised.send(
                sender=None, alarm=alarm, characteristic=limits.characteristic
            )
    except IntegrityError:
        # Another job raised the same alarm first.
        return None
    return alarm


# --- handling alarms ------------------------------------------------------------------------------


def _note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"note": _("Write a note: what was found and what was done (§7.2.3.2).")}
        )
    return note


def spc_alarm_acknowledge(*, actor: User, alarm: SpcAlarm, note: str) -> SpcAlarm:
    require(actor, "inspection.handle_spcalarm", alarm, clause=CLAUSE_SPC)
    text = _note(note)
    with audited_change(
        actor=actor,
        obj=alarm,
        action="inspection.spcalarm.acknowledge",
        clause=CLAUSE_SPC,
        reason=text,
        update_fields=["status", "handled_by", "handled_at", "note"],
    ) as locked:
        if locked.status != AlarmStatus.OPEN or locked.voided_at is not None:
            raise ValidationError({"status": _("Only an open alarm can be acknowledged.")})
        locked.status = AlarmStatus.ACKNOWLEDGED
        locked.handled_by = actor
        locked.handled_at = timezone.now()
        locked.note = text
    return locked


def spc_alarm_close(*, actor: User, alarm: SpcAlarm, note: str) -> SpcAlarm:
    require(actor, "inspection.handle_spcalarm", alarm, clause=CLAUSE_SPC)
    text = _note(note)
    with audited_change(
        actor=actor,
        obj=alarm,
        action="inspection.spcalarm.close",
        clause=CLAUSE_SPC,
        reason=text,
        update_fields=["status", "handled_by", "handled_at", "note"],
    ) as locked:
        if locked.status == AlarmStatus.CLOSED or locked.voided_at is not None:
            raise ValidationError({"status": _("This alarm is already closed.")})
        locked.status = AlarmStatus.CLOSED
        locked.handled_by = actor
        locked.handled_at = timezone.now()
        locked.note = f"{locked.note}\n{text}".strip() if locked.note else text
    return locked


def results_recorded_receiver(
    sender: Any, *, characteristic_ids: Iterable[int] = (), **kwargs: Any
) -> None:
    """``signals.results_recorded`` (sent on commit): a job only for the characteristics touched
    that have limits in force; the rest cost one query."""
    frozen = frozen_among(characteristic_ids or ())
    if frozen:
        spc_evaluate_later(frozen)
