"""Reads of the CQO's reports, scoped to who may see them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from .models import CqoReport, ReportStatus


def reports_visible(user: Any) -> QuerySet[CqoReport]:
    if not user.has_perm("reports.view_cqoreport"):
        return CqoReport.objects.none()
    return CqoReport.objects.select_related("created_by", "signed_by", "acknowledged_by").defer(
        "pdf"
    )


@dataclass(frozen=True)
class Integrity:
    """Whether the stored PDF is the one generated (and signed): ``ok`` None before there is
    one; ``stored`` the hash of the bytes stored now; ``signatures`` those that pin another
    hash than the stored bytes'."""

    ok: bool | None
    stored: str
    expected: str
    bad_signatures: int = 0


def signed_content(report: Any) -> dict[str, Any]:  # a CqoReport; the registry takes any model
    """What the CQO signs and the principal acknowledges: the report and its PDF's hash."""
    return {
        "number": report.number,
        "kind": report.kind,
        "period_start": report.period_start.isoformat(),
        "period_end": report.period_end.isoformat(),
        "language": report.language,
        "sha256": report.sha256,
    }


def report_integrity(report: CqoReport) -> Integrity:
    from cqo.audit.services import signature_matches, signatures_for

    if report.status in (ReportStatus.QUEUED, ReportStatus.FAILED) or not report.sha256:
        return Integrity(ok=None, stored="", expected=report.sha256)
    pdf = CqoReport.objects.filter(pk=report.pk).values_list("pdf", flat=True).first()
    import hashlib

    stored = hashlib.sha256(bytes(pdf or b"")).hexdigest()
    current = dict(signed_content(report), sha256=stored)
    bad = sum(1 for s in signatures_for(report) if not signature_matches(s, current))
    return Integrity(ok=stored == report.sha256 and not bad, stored=stored,
                     expected=report.sha256, bad_signatures=bad)  # fmt: skip
