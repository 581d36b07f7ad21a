"""The anomalies app's parts of the CQO's report to the decision layer (§7.1.6): nonconformance
reports and CAPA, and customer complaints, over the period. Counts come from the records."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from cqo.core.report_helpers import counted, flow, rate
from cqo.core.report_sections import Chart, Figure, SectionContent, Table

from .models_capa import Capa, CapaStatus
from .models_complaints import Complaint, ComplaintStatus
from .models_ncr import Anomaly, AnomalyStatus, FoundAt


def _flow_chart(title: str, f: dict) -> Chart:  # type: ignore[type-arg]
    return Chart(kind="bar", title=title, labels=[m.strftime("%Y-%m") for m in f["months"]],
                 series=[(_("Opened"), f["opened_by_month"]),
                         (_("Closed"), f["closed_by_month"])])  # fmt: skip


def ncr_capa_section(first: datetime.date, last: datetime.date, language: str) -> SectionContent:
    ncr = flow(Anomaly.objects.active(), opened="raised_at", closed="closed_at", first=first,
               last=last)  # fmt: skip
    capa = flow(Capa.objects.active(), opened="raised_at", closed="closed_at", first=first,
                last=last)  # fmt: skip
    if not (ncr["opened"] or ncr["closed"] or ncr["open_at_end"] or capa["opened"]
            or capa["closed"] or capa["open_at_end"]):  # fmt: skip
        return SectionContent.no_data(_("No nonconformance report and no CAPA in this period."))
    capas_in = Capa.objects.active().filter(pk__in=capa["opened_qs"].values("pk"))
    today = datetime.date.today()
    overdue_now = (Capa.objects.active().exclude(status=CapaStatus.CLOSED)
                   .filter(due_on__lt=today).count())  # fmt: skip
    checked = (
        Capa.objects.active()
        .filter(pk__in=capa["opened_qs"].values("pk"))
        .exclude(effectiveness_result="")
    )
    effective = checked.filter(effectiveness_result="effective").count()
    figures = [
        Figure(_("Nonconformance reports raised"), ncr["opened"]),
        Figure(_("Nonconformance reports closed"), ncr["closed"]),
        Figure(_("Nonconformance reports open at the end of the period"), ncr["open_at_end"]),
        Figure(_("Mean days to close a nonconformance report"), ncr["mean_days"], _("days")),
        Figure(_("CAPA raised"), capa["opened"]),
        Figure(_("CAPA closed"), capa["closed"]),
        Figure(_("CAPA open at the end of the period"), capa["open_at_end"]),
        Figure(_("CAPA open at generation and past their due date"), overdue_now),
        Figure(_("CAPA raised in the period found effective"), rate(effective, checked.count()),
               "%"),
    ]  # fmt: skip
    tables = [
        Table(columns=[_("Found at"), _("Reports")],
              rows=counted(ncr["opened_qs"], "found_at", FoundAt),
              title=_("Nonconformance reports raised, by where found")),
        Table(columns=[_("Status"), _("Reports")],
              rows=counted(ncr["opened_qs"], "status", AnomalyStatus),
              title=_("Nonconformance reports raised, by status today")),
        Table(columns=[_("Status"), _("CAPA")], rows=counted(capas_in, "status", CapaStatus),
              title=_("CAPA raised, by status today")),
    ]  # fmt: skip
    charts = [_flow_chart(_("Nonconformance reports opened and closed by month"), ncr),
              _flow_chart(_("CAPA opened and closed by month"), capa)]  # fmt: skip
    return SectionContent(figures=figures, tables=tables, charts=charts)


def complaints_section(first: datetime.date, last: datetime.date, language: str) -> SectionContent:
    f = flow(Complaint.objects.active(), opened="received_at", closed="closed_at", first=first,
             last=last)  # fmt: skip
    if not (f["opened"] or f["closed"] or f["open_at_end"]):
        return SectionContent.no_data(_("No customer complaint in this period."))
    from django.db.models import Count

    by_customer = list(f["opened_qs"].values("customer__name").annotate(n=Count("id"))
                       .order_by("-n")[:10])  # fmt: skip
    figures = [
        Figure(_("Complaints received"), f["opened"]),
        Figure(_("Complaints closed"), f["closed"]),
        Figure(_("Complaints open at the end of the period"), f["open_at_end"]),
        Figure(_("Mean days to close a complaint"), f["mean_days"], _("days")),
    ]
    tables = [
        Table(columns=[_("Status"), _("Complaints")],
              rows=counted(f["opened_qs"], "status", ComplaintStatus),
              title=_("Complaints received, by status today")),
        Table(columns=[_("Customer"), _("Complaints")],
              rows=[[r["customer__name"] or "—", r["n"]] for r in by_customer],
              title=_("Complaints received, by customer")),
    ]  # fmt: skip
    return SectionContent(figures=figures, tables=tables,
                          charts=[_flow_chart(_("Complaints received and closed by month"), f)])  # fmt: skip
