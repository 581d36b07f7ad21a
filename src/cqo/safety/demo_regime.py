"""The demo's daily control, weekly check and monthly dispatch (§7.2.1, §7.2.1.2): a record
schedule set by the CQO, 30 days of daily control records by the quality-safety officer (the
deputy, in the demo enterprise) with one day missing, a weekly check report by the
quality-safety director (the CQO holds both posts) for each full week with its rectification
tasks (some closed with evidence), and last month's dispatch meeting held by the principal on the
CQO's report. Runs after the registers part's demo, whose published risk-control list supplies
the daily controls; dates set back are recorded as such (``authorities.demo._backdate``)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cqo.authorities.demo import _backdate
from cqo.core.demo import DemoContext

from . import selectors_regime as sel
from . import selectors_registers
from . import services_regime as S
from .models_regime import DailyRecord

AFTER: tuple[str, ...] = ("organisation", "post", "authorities", "safety.registers")
DAYS = 30
MISSING_DAYS_AGO = 12

FINDINGS = [
    "压铸 2 号机保压时间记录缺 1 班次，已补记并提醒班组长。",
    "活塞孔精镗刀具寿命计数器未清零，已停机更换刀具并复检 5 件。",
    "制动钳总成扭矩抽检 1 件接近下限，已复紧并通知工艺。",
    "防错工装传感器报警未确认即复位，已对操作工再培训。",
]


def present() -> bool:
    return DailyRecord.objects.exists()


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def build(ctx: DemoContext) -> None:
    users = ctx.get("organisation.users")
    cqo, principal, officer = users["cqo"], users["principal"], users["deputy"]
    today = timezone.localdate()
    window = [today - datetime.timedelta(days=n) for n in range(DAYS, 0, -1)]
    # Only the days a risk-control list was in force have daily controls to check.
    controls = {d: selectors_registers.controls_for_records(on=d, frequency="daily")
                for d in window}  # fmt: skip
    days = [d for d in window if controls[d]]
    if not days:
        return
    first = days[0]
    S.policy_set(actor=cqo, starts_on=first, daily_due_hour=18, weekends=True,
                 weekly_due_days=1, monthly_due_day=10)  # fmt: skip
    missing = today - datetime.timedelta(days=MISSING_DAYS_AGO)
    made = 0
    for n, day in enumerate(days):
        if day == missing:
            continue
        finding_at = n % 6 == 3
        checks = []
        for k, control in enumerate(controls[day]):
            problem = finding_at and k == 0
            checks.append({
                "key": control.key, "done": not problem,
                "finding": FINDINGS[(n // 6) % len(FINDINGS)] if problem else "",
            })  # fmt: skip
        record = S.daily_record_add(actor=officer, day=day, checks=checks)
        _backdate(record, days=(today - day).days,
                  fields={"recorded_at": _at(day, 17, 20 + n % 30)}, actor=officer)  # fmt: skip
        made += 1
    ctx.add("safety.regime.daily_records", made)

    owners = [users["head_diecast"], users["head_machining"], users["head_assembly"]]
    monday = sel.week_start(first)
    if monday < first:
        monday += datetime.timedelta(days=7)
    weeks = 0
    while monday + datetime.timedelta(days=6) < today:
        figures = sel.week_figures(monday)
        report = S.weekly_report_add(
            actor=cqo, week_start=monday,
            summary=(f"本周记录日管控 {figures['days_recorded']} 天，未落实管控项 "
                     f"{figures['not_done']} 项，发现问题 {figures['findings']} 条。"),
            problems="；".join(FINDINGS[weeks % len(FINDINGS)].split("，")[:1]) + "。",
            conclusion="下周重点：压铸保压参数记录完整性和精镗刀具寿命管理。",
        )  # fmt: skip
        written = monday + datetime.timedelta(days=7)
        _backdate(report, days=(today - written).days,
                  fields={"written_at": _at(written, 10)}, actor=cqo)  # fmt: skip
        task = S.task_raise(
            actor=cqo, source=report, problem=FINDINGS[weeks % len(FINDINGS)],
            action="制定纠正措施并对同类设备排查，附整改前后照片。",
            owner=owners[weeks % len(owners)], deadline=today + datetime.timedelta(days=7),
        )  # fmt: skip
        if weeks % 2 == 0:
            S.task_close(actor=task.owner, task=task,
                         evidence="已完成整改：同类设备排查 6 台，更新点检表并培训 12 人。")  # fmt: skip
        monday += datetime.timedelta(days=7)
        weeks += 1
    ctx.add("safety.regime.weekly_reports", weeks)

    last_month = sel.month_start(sel.month_start(today) - datetime.timedelta(days=1))
    if last_month >= sel.month_start(first):
        dispatch = S.monthly_report_submit(
            actor=cqo, month=last_month,
            report=("上月质量安全总体受控：日管控按清单执行，周排查发现的问题均已下达整改任务；"
                    "精镗刀具寿命管理和压铸保压参数记录仍需加强。建议增配刀具寿命监控。"),
        )  # fmt: skip
        dispatch = S.monthly_dispatch_record(
            actor=principal, dispatch=dispatch, held_on=today,
            attendees="陈志远（主要负责人）、刘晓梅（首席质量官、质量安全总监）、王建国（质量安全员）、"
                      "黄伟、谭刚、向东、秦川",
            decisions=("一、同意增配精镗刀具寿命监控装置，由生产部负责，本月底前完成。\n"
                       "二、压铸保压参数改为设备自动记录，技术中心配合。"),
        )  # fmt: skip
        reported = min(today, sel.next_month(last_month) + datetime.timedelta(days=2))
        held = min(today, reported + datetime.timedelta(days=2))
        _backdate(dispatch, days=(today - held).days, fields={
            "reported_at": _at(reported, 16), "held_on": held, "recorded_at": _at(held, 11),
        }, actor=principal)  # fmt: skip
        S.task_raise(
            actor=principal, source=dispatch, problem="精镗刀具寿命缺乏自动监控。",
            action="增配刀具寿命监控装置并纳入点检。", owner=users["head_production"],
            deadline=today + datetime.timedelta(days=14),
        )  # fmt: skip
        ctx.add("safety.regime.monthly", dispatch)
