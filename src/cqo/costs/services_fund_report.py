"""The fund's year-end report (§8.1) as a job: asked for on the fund's page or through the API,
built in the queue with its progress (a PDF of thousands of spendings takes longer than a web
request may), kept with its size and SHA-256, then downloaded as many times as wanted. A new
request is a new job: a kept file is never built again behind the user's back."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cqo.audit.services import audit_record, audited_change
from cqo.core.clauses import clause
from cqo.core.permissions import require

from . import reports_fund
from .models_fund import Fund, FundReportJob, ReportFormat, ReportJobStatus

CLAUSE = clause("§8.1")
LANGUAGES = ("zh-hans", "en")
log = logging.getLogger(__name__)


def fund_report_request(
    *, actor: Any, fund: Fund, format: str, language: str = "zh-hans"
) -> FundReportJob:
    """Queue the year-end report of ``fund`` as a PDF or an Excel workbook in ``language``; the
    job builds and keeps the file. Anyone who may see the fund may ask for it."""
    require(actor, "costs.view_fund", fund, clause=CLAUSE)
    if format not in ReportFormat.values:
        raise ValidationError(
            {"format": _("Choose PDF or Excel (%(clause)s).") % {"clause": CLAUSE}}
        )
    language = language if language in LANGUAGES else "zh-hans"
    with transaction.atomic():
        job = FundReportJob.objects.create(
            fund=fund, format=format, language=language, created_by=actor,
            file_name=f"fund-{fund.year}.{format}",
        )  # fmt: skip
        audit_record(actor=actor, action="costs.fund.report.request", obj=job,
                     after={"fund": fund.pk, "year": fund.year, "format": format,
                            "language": language},
                     clause=CLAUSE)  # fmt: skip
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks_fund import fund_report_job_run

    fund_report_job_run(job_id)


def _progress(job_id: int, percent: int) -> None:
    """Move the job's progress forward (never back), committed at once for the page to see."""
    FundReportJob.objects.filter(pk=job_id, progress__lt=percent).update(progress=percent)


def fund_report_build(job_id: int) -> FundReportJob:
    """The job: build the file once, keep it with its size and hash. A failure is kept on the
    job with its message (the page says so in the user's language), never a silent loss."""
    job = FundReportJob.objects.select_related("fund", "created_by").get(pk=job_id)
    if job.status != ReportJobStatus.QUEUED:
        return job
    FundReportJob.objects.filter(pk=job.pk).update(status=ReportJobStatus.RUNNING, progress=1)

    def progress(percent: int) -> None:
        _progress(job.pk, percent)

    try:
        with translation.override(job.language):
            require(job.created_by, "costs.view_fund", job.fund, clause=CLAUSE)
            if job.format == ReportFormat.XLSX:
                data = reports_fund.fund_report_xlsx(
                    job.fund, language=job.language, progress=progress
                )
            else:
                data = reports_fund.fund_report_pdf(
                    job.fund, language=job.language, progress=progress
                )
    except Exception as exc:  # kept on the job, shown on its page: never a 500, never lost
        if not isinstance(exc, PermissionDenied | ValidationError):
            log.exception("fund report job %s failed", job.pk)
        return _failed(job, f"{type(exc).__name__}: {exc}")
    with audited_change(actor=job.created_by, obj=job, action="costs.fund.report.build",
                        clause=CLAUSE, fields=["status", "size", "sha256"]) as locked:  # fmt: skip
        if locked.status != ReportJobStatus.RUNNING:
            raise ValidationError(
                _("The report was built already (%(clause)s).") % {"clause": CLAUSE}
            )
        locked.content = data
        locked.size = len(data)
        locked.sha256 = hashlib.sha256(data).hexdigest()
        locked.progress = 100
        locked.status = ReportJobStatus.DONE
        locked.finished_at = timezone.now()
    return locked


def _failed(job: FundReportJob, error: str) -> FundReportJob:
    with audited_change(actor=job.created_by, obj=job, action="costs.fund.report.fail",
                        clause=CLAUSE, fields=["status", "error"]) as locked:  # fmt: skip
        locked.status = ReportJobStatus.FAILED
        locked.error = error[:2000]
        locked.finished_at = timezone.now()
    return locked
