"""Every write on the CQO's reports (§7.1.6): request (the generation runs as a queued job
with its progress), sign (the CQO in office, e-signature over the PDF's hash), acknowledge (the
principal, e-signature; the report is then archived and never changes), void (a draft or a
failed generation, with a reason). Keyword-only, authority first, one audited transaction."""

from __future__ import annotations

import datetime
import hashlib
import time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cqo.audit.services import SignedMeaning, audit_record, audited_change, signature_sign
from cqo.core.clauses import clause
from cqo.core.numbering import number_next
from cqo.core.permissions import require
from cqo.core.sod import sod_check

from . import documents
from .models import CqoReport, ReportKind, ReportLanguage, ReportStatus
from .periods import period_label, period_of
from .selectors import signed_content

CLAUSE = clause("§7.1.6")


def report_sign_meaning(report: CqoReport) -> SignedMeaning:
    return SignedMeaning(
        _("Signed as CQO: report %(number)s to the decision layer under §7.1.6")
        % {"number": report.number},
        CLAUSE,
    )


def report_acknowledge_meaning(report: CqoReport) -> SignedMeaning:
    return SignedMeaning(
        _("Received and acknowledged as principal: CQO report %(number)s under §7.1.6")
        % {"number": report.number},
        CLAUSE,
    )


def report_request(
    *, actor: Any, kind: str, year: int, part: int | None = None, language: str
) -> CqoReport:
    """Queue the generation of the report of ``kind`` for ``year`` (and month or quarter
    ``part``) in ``language``; the job fills the PDF and its hash."""
    require(actor, "reports.add_cqoreport", clause=CLAUSE)
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("Choose a monthly, quarterly or annual report (§7.1.6).")})
    if language not in ReportLanguage.values:
        raise ValidationError({"language": _("Choose Chinese or English (§7.1.6).")})
    today = timezone.localdate()
    if not isinstance(year, int) or not 2000 <= year <= today.year:
        raise ValidationError({"year": _("The year must be from 2000 to this year (§7.1.6).")})
    try:
        first, last = period_of(kind, year, None if kind == ReportKind.ANNUAL else part)
    except ValueError:
        field = "quarter" if kind == ReportKind.QUARTERLY else "month"
        raise ValidationError(
            {"part": _("The %(field)s of the report does not exist (§7.1.6).")
             % {"field": _("quarter") if field == "quarter" else _("month")}}
        ) from None  # fmt: skip
    if first > today:
        raise ValidationError(
            {"part": _("The period has not begun yet: nothing to report (§7.1.6).")}
        )
    prefix = f"CQOR-{period_label(kind, first)}-{'ZH' if language == 'zh-hans' else 'EN'}-"
    with transaction.atomic():
        report = CqoReport.objects.create(
            number=number_next(CqoReport, prefix, 2), kind=kind, period_start=first,
            period_end=last, language=language, created_by=actor,
        )  # fmt: skip
        audit_record(actor=actor, action="reports.report.request", obj=report,
                     after={"number": report.number, "kind": kind, "language": language,
                            "period": [first.isoformat(), last.isoformat()]},
                     clause=CLAUSE)  # fmt: skip
        transaction.on_commit(lambda: _enqueue(report.pk))
    return report


def _enqueue(report_id: int) -> None:
    from .tasks import report_generate_run

    report_generate_run(report_id)


def _progress(report_id: int, percent: int) -> None:
    CqoReport.objects.filter(pk=report_id).update(progress=percent)


def report_generate(report_id: int) -> CqoReport:
    """The job: build every section, draw the charts, print the PDF, store it with its hash.
    Runs once per report; a failure is kept on the report with its message."""
    report = CqoReport.objects.select_related("created_by").get(pk=report_id)
    if report.status != ReportStatus.QUEUED or report.is_voided:
        return report
    started = time.monotonic()
    try:
        data, pages = report_render(report, progress=lambda done, total: _progress(
            report_id, int(done * 80 / max(total, 1))))  # fmt: skip
    except Exception as exc:  # the job keeps the failure on the record, never a silent loss
        CqoReport.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        report.refresh_from_db()
        return report
    digest = hashlib.sha256(data).hexdigest()
    with audited_change(actor=report.created_by, obj=report, action="reports.report.generate",
                        clause=CLAUSE, fields=["status", "sha256", "pages", "size"]) as locked:  # fmt: skip
        if locked.status != ReportStatus.QUEUED:
            raise ValidationError(_("The report was generated already (§7.1.6)."))
        locked.pdf = data
        locked.sha256 = digest
        locked.size = len(data)
        locked.pages = pages
        locked.seconds = Decimal(str(round(time.monotonic() - started, 2)))
        locked.generated_at = timezone.now()
        locked.progress = 100
        locked.status = ReportStatus.DRAFT
    return locked


def report_render(report: CqoReport, *, progress: Any = None) -> tuple[bytes, int]:
    """The report's PDF bytes (and its pages) from the data as it is now."""
    sections = documents.sections_built(
        kind=report.kind, first=report.period_start, last=report.period_end,
        language=report.language, progress=progress,
    )  # fmt: skip
    with translation.override(report.language):
        kind_label = str(ReportKind(report.kind).label)
    context = documents.report_context(
        number=report.number, kind_label=kind_label, first=report.period_start,
        last=report.period_end, language=report.language, sections=sections,
    )  # fmt: skip
    return documents.report_pdf(context, language=report.language)


def report_sign(*, actor: Any, report: CqoReport, password: str) -> CqoReport:
    """The CQO in office signs a draft: her e-signature pins the PDF's hash."""
    require(actor, "reports.sign_cqoreport", report, clause=CLAUSE)
    with audited_change(actor=actor, obj=report, action="reports.report.sign", clause=CLAUSE,
                        fields=["status", "signed_by", "signed_at"]) as locked:  # fmt: skip
        if locked.is_voided or locked.status != ReportStatus.DRAFT:
            raise ValidationError(_("Only a generated draft can be signed (§7.1.6)."))
        meaning = report_sign_meaning(locked)
        signature = signature_sign(user=actor, password=password, obj=locked,
                                   content=signed_content(locked), meaning=meaning.text,
                                   clause=meaning.clause)  # fmt: skip
        locked.status = ReportStatus.SIGNED
        locked.signed_by = actor
        locked.signed_at = signature.signed_at
    return locked


def report_acknowledge(
    *, actor: Any, report: CqoReport, password: str, note: str = ""
) -> CqoReport:
    """The principal acknowledges a signed report with her e-signature; it is then archived:
    its PDF and hash never change again."""
    require(actor, "reports.acknowledge_cqoreport", report, clause=CLAUSE)
    with audited_change(actor=actor, obj=report, action="reports.report.acknowledge",
                        clause=CLAUSE, fields=["status", "acknowledged_by", "acknowledged_at",
                                               "acknowledgement_note"]) as locked:  # fmt: skip
        if locked.is_voided or locked.status != ReportStatus.SIGNED:
            raise ValidationError(_("Only a report the CQO signed can be acknowledged (§7.1.6)."))
        sod_check(actor=actor, raised_by=locked.signed_by, clause=CLAUSE)
        meaning = report_acknowledge_meaning(locked)
        signature = signature_sign(user=actor, password=password, obj=locked,
                                   content=signed_content(locked), meaning=meaning.text,
                                   clause=meaning.clause)  # fmt: skip
        locked.status = ReportStatus.ARCHIVED
        locked.acknowledged_by = actor
        locked.acknowledged_at = signature.signed_at
        locked.acknowledgement_note = note.strip()[:2000]
    return locked


def report_void(*, actor: Any, report: CqoReport, reason: str) -> CqoReport:
    """A draft or a failed generation made in error is voided with a reason; a signed or
    archived report never is."""
    require(actor, "reports.void_cqoreport", report, clause=CLAUSE)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for voiding (§7.1.6).")})
    with audited_change(actor=actor, obj=report, action="reports.report.void", clause=CLAUSE,
                        reason=reason.strip(), fields=["status", "voided_at"]) as locked:  # fmt: skip
        if locked.is_voided:
            raise ValidationError(_("The report is voided already (§7.1.6)."))
        if locked.status in (ReportStatus.SIGNED, ReportStatus.ARCHIVED):
            raise ValidationError(
                _("A signed or archived report is kept unchanged; it cannot be voided (§7.1.6).")
            )
        locked.voided_at = timezone.now()
        locked.voided_by = actor
        locked.void_reason = reason.strip()
    return locked


def reports_monthly_prepare(*, on: datetime.date | None = None) -> CqoReport | None:
    """Early on the first of a month, last month's report is prepared for the CQO in office:
    requested in their name in the enterprise's language (Chinese, the site's default), so the
    draft waits on the reports page; the CQO reviews and signs it as any other (§7.1.6).
    Nothing is requested when a report of that month exists (but voided ones), or when no CQO is
    in office: a report is always someone's."""
    from cqo.post.selectors import cqo_current

    day = on or timezone.localdate()
    appointment = cqo_current(on=day)
    user = appointment.person.user if appointment is not None else None
    if user is None or not user.is_active:
        return None
    year, month = report_period_default(ReportKind.MONTHLY, day)
    assert month is not None
    first, _last = period_of(ReportKind.MONTHLY, year, month)
    if CqoReport.objects.filter(
        kind=ReportKind.MONTHLY, period_start=first, voided_at__isnull=True
    ).exists():
        return None
    language = (
        settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in ReportLanguage.values else "zh-hans"
    )
    return report_request(actor=user, kind=ReportKind.MONTHLY, year=year, part=month,
                          language=language)  # fmt: skip


def report_period_default(kind: str, today: datetime.date) -> tuple[int, int | None]:
    """The last complete period before ``today`` (the form's default)."""
    if kind == ReportKind.ANNUAL:
        return today.year - 1, None
    if kind == ReportKind.QUARTERLY:
        q = (today.month - 1) // 3
        return (today.year, q) if q else (today.year - 1, 4)
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
