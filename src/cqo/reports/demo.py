"""The demo's CQO report (§7.1.6): this year's annual report in Chinese, generated from the
other builders' data, signed by the CQO and acknowledged by the principal."""

from __future__ import annotations

from django.utils import timezone

from cqo.core.demo import DemoContext

from . import services as S
from .models import ReportKind, ReportStatus


def build(ctx: DemoContext) -> None:
    users = ctx.get("organisation.users")
    cqo, principal = users["cqo"], users["principal"]
    report = S.report_request(actor=cqo, kind=ReportKind.ANNUAL, year=timezone.localdate().year,
                              language="zh-hans")  # fmt: skip
    # Generated here rather than waiting for the queue, so the demo is complete when it returns.
    report = S.report_generate(report.pk)
    if report.status != ReportStatus.DRAFT:
        raise RuntimeError(f"the demo's annual report was not generated: {report.error}")
    report = S.report_sign(actor=cqo, report=report, password=ctx.password)
    report = S.report_acknowledge(actor=principal, report=report, password=ctx.password,
                                  note="已阅。请质量管理部按报告建议落实明年质量目标。")  # fmt: skip
    ctx.add("reports.annual", report)
