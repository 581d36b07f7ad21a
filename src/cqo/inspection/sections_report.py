"""The inspection app's parts of the CQO's report to the decision layer (§7.1.6): lots decided
at each gate with their results, incoming results by supplier, and SPC (alarms in the period,
capability of the special characteristics under control limits). Counts come from the records;
a rate without lots is missing."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from cqo.core.report_helpers import month_key, months_of, period_bounds, rate
from cqo.core.report_sections import Chart, Figure, SectionContent, Table

from .models import AlarmStatus, ControlLimits, Gate, InspectionLot, SpcAlarm, UsageDecision


def _lots(first: datetime.date, last: datetime.date):  # type: ignore[no-untyped-def]
    start, end = period_bounds(first, last)
    return InspectionLot.objects.active().filter(
        decided_at__gte=start, decided_at__lt=end, decision__in=UsageDecision.values
    )


def inspection_section(first: datetime.date, last: datetime.date, language: str) -> SectionContent:
    lots = _lots(first, last)
    cells: dict[tuple[str, str], int] = defaultdict(int)
    for row in lots.values("gate", "decision").annotate(n=Count("id")).order_by():
        cells[(row["gate"], row["decision"])] = row["n"]
    total = sum(cells.values())
    if not total:
        return SectionContent.no_data(_("No inspection lot was decided in this period."))
    rows: list[list[Any]] = []
    figures = [Figure(_("Inspection lots decided"), total)]
    for gate in Gate:
        decided = sum(cells[(gate.value, d)] for d in UsageDecision.values)
        accepted = cells[(gate.value, UsageDecision.ACCEPT)]
        rows.append([str(gate.label), decided, accepted,
                     cells[(gate.value, UsageDecision.CONDITIONAL)],
                     cells[(gate.value, UsageDecision.REJECT)], rate(accepted, decided)])  # fmt: skip
        figures.append(Figure(_("Acceptance rate: %(gate)s") % {"gate": gate.label},
                              rate(accepted, decided), "%"))  # fmt: skip
    months = months_of(first, last)
    by_month: dict[tuple[datetime.date, str], int] = defaultdict(int)
    for row in (lots.annotate(m=TruncMonth("decided_at")).values("m", "decision")
                .annotate(n=Count("id")).order_by()):  # fmt: skip
        by_month[(month_key(row["m"]), row["decision"])] += row["n"]
    chart = Chart(
        kind="stacked_bar", title=_("Inspection lots decided by month"),
        labels=[m.strftime("%Y-%m") for m in months],
        series=[(str(d.label), [by_month[(m, d.value)] for m in months]) for d in UsageDecision],
    )  # fmt: skip
    gate_table = Table(
        columns=[_("Gate"), _("Decided"), _("Accepted"), _("Conditional release"), _("Rejected"),
                 _("Acceptance rate %")],
        rows=rows, title=_("Results by gate"),
    )  # fmt: skip
    return SectionContent(figures=figures, tables=[gate_table], charts=[chart])


def supplier_section(first: datetime.date, last: datetime.date, language: str) -> SectionContent:
    lots = _lots(first, last).filter(gate=Gate.IQC, supplier__isnull=False)
    per: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (lots.values("supplier_id", "supplier__name", "decision")
                .annotate(n=Count("id")).order_by()):  # fmt: skip
        per[(row["supplier_id"], row["supplier__name"])][row["decision"]] += row["n"]
    if not per:
        return SectionContent.no_data(_("No incoming lot from a supplier was decided in this "
                                        "period."))  # fmt: skip
    rows: list[list[Any]] = []
    for (_pk, name), counts in per.items():
        decided = sum(counts.values())
        accepted = counts[UsageDecision.ACCEPT]
        rows.append([name, decided, accepted, counts[UsageDecision.CONDITIONAL],
                     counts[UsageDecision.REJECT], rate(accepted, decided)])  # fmt: skip
    rows.sort(key=lambda r: (r[5] if r[5] is not None else Decimal(101), -r[1]))
    shown = rows[:15]
    chart = Chart(
        kind="bar", title=_("Incoming acceptance rate by supplier (lowest first)"),
        labels=[r[0] for r in shown], series=[(_("Acceptance rate %"), [r[5] for r in shown])],
        unit="%",
    )  # fmt: skip
    table = Table(
        columns=[_("Supplier"), _("Decided"), _("Accepted"), _("Conditional release"),
                 _("Rejected"), _("Acceptance rate %")],
        rows=rows, title=_("Incoming results by supplier"),
    )  # fmt: skip
    return SectionContent(
        figures=[Figure(_("Suppliers with incoming lots"), len(rows)),
                 Figure(_("Suppliers with a rejected lot"),
                        sum(1 for r in rows if r[4]))],
        tables=[table], charts=[chart],
    )  # fmt: skip


def _two(value: float | None) -> Decimal | None:
    if value is None or value != value:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def spc_section(first: datetime.date, last: datetime.date, language: str) -> SectionContent:
    from .selectors_spc import capability_of

    start, end = period_bounds(first, last)
    alarms = SpcAlarm.objects.active().filter(raised_at__gte=start, raised_at__lt=end)
    in_force = list(
        ControlLimits.objects.active().filter(superseded_at__isnull=True)
        .select_related("characteristic__item").order_by("characteristic__item__part_number",
                                                         "characteristic__code")[:40]
    )  # fmt: skip
    alarm_count = alarms.count()
    if not alarm_count and not in_force:
        return SectionContent.no_data(_("No characteristic is under SPC control limits and no "
                                        "SPC alarm was raised in this period."))  # fmt: skip
    by_status = dict(alarms.values_list("status").annotate(n=Count("id")).order_by())
    by_char = list(
        alarms.values("characteristic__item__part_number", "characteristic__code")
        .annotate(n=Count("id"))
        .order_by("-n")[:10]
    )
    figures = [
        Figure(_("SPC alarms raised"), alarm_count),
        *(Figure(str(s.label), by_status.get(s.value, 0)) for s in AlarmStatus),
        Figure(_("Characteristics under control limits"), len(in_force)),
    ]
    tables = []
    charts = []
    if by_char:
        tables.append(Table(
            columns=[_("Characteristic"), _("Alarms")],
            rows=[[f"{r['characteristic__item__part_number']} · {r['characteristic__code']}",
                   r["n"]] for r in by_char],
            title=_("Characteristics with the most alarms"),
        ))  # fmt: skip
    cap_rows: list[list[Any]] = []
    for limits in in_force:
        ch = limits.characteristic
        cap = capability_of(ch)
        r = cap.result
        cap_rows.append([f"{ch.item.part_number} · {ch.code}", str(ch.name), cap.subgroups,
                         _two(r.cp) if r else None, _two(r.cpk) if r else None,
                         cap.error or ""])  # fmt: skip
    if cap_rows:
        tables.append(Table(
            columns=[_("Characteristic"), _("Name"), _("Subgroups"), "Cp", "Cpk", _("Note")],
            rows=cap_rows,
            title=_("Capability of the characteristics under control (latest subgroups at "
                    "generation)"),
        ))  # fmt: skip
        valued = [row for row in cap_rows if row[4] is not None]
        if valued:
            charts.append(Chart(kind="bar", title=_("Cpk by characteristic"),
                                labels=[row[0] for row in valued],
                                series=[("Cpk", [row[4] for row in valued])]))  # fmt: skip
    return SectionContent(figures=figures, tables=tables, charts=charts)
