"""The demo's quality incidents over the year (§6 d), §7.2.1.3): the enterprise's rules, five
incidents from a general one reported this week (its onward report overdue) to a serious one
investigated, with a penalty proposed, the operator heard (申辩) and the principal's decision
lighter than proposed; costs on each as the ledger reads them. Dates are set back and recorded
as such (``authorities.demo._backdate``)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cqo.authorities.demo import _backdate
from cqo.core.demo import DemoContext

from . import services_costs as C
from . import services_incidents as S
from . import services_penalties as P
from .models import Incident, Penalty

RULES_TEXT = (
    "重庆渝嘉摩托车零部件有限公司质量安全事故报告调查处理制度（2026 版）\n"
    "一、事故分级：直接损失 5 万元以下且无人员受伤为一般事故；直接损失 5 万元以上或 1 人受伤为"
    "较大事故；直接损失 50 万元以上、3 人以上受伤或有人员死亡为重大事故。\n"
    "二、报告：一般事故 24 小时内报质量管理部；较大事故 4 小时内报首席质量官和主要负责人；"
    "重大事故 1 小时内报主要负责人，并按规定报市场监管部门。\n"
    "三、调查：由首席质量官或其授权人员组织调查组，查明事实、原因和责任。\n"
    "四、处罚：调查组提出处罚建议，书面告知当事人并听取申辩（5 日），由主要负责人决定。"
)


def _at(days_ago: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(
        day, datetime.time(hour, 20), tzinfo=timezone.get_current_timezone()
    )


def _report(ctx: DemoContext, days_ago: int, **kw: Any) -> Incident:
    users = ctx.get("organisation.users")
    occurred = _at(days_ago, kw.pop("hour", 9))
    reporter = kw.pop("reporter")
    incident = S.incident_report(actor=users[reporter], occurred_at=occurred, **kw)
    _backdate(
        incident, days=days_ago,
        fields={"reported_at": occurred + datetime.timedelta(minutes=40)}, actor=users["cqo"],
    )  # fmt: skip
    return incident


def _investigate(ctx: DemoContext, incident: Incident, days_ago: int, *, facts: str,
                 causes: str, timeline: list[tuple[int, int, str]], team: list[str],
                 report_to: str) -> Incident:  # fmt: skip
    users = ctx.get("organisation.users")
    cqo = users["cqo"]
    incident = S.incident_report_onward(
        actor=cqo, incident=incident, reported_to=report_to,
        reported_at=incident.occurred_at + datetime.timedelta(hours=1),
    )  # fmt: skip
    incident = S.investigation_open(actor=cqo, incident=incident, lead=cqo)
    for name in team:
        S.team_member_add(actor=cqo, incident=incident, user=users[name])
    for back, hour, text in timeline:
        S.timeline_add(actor=cqo, incident=incident, at=_at(back, hour), text=text)
    return S.findings_record(actor=cqo, incident=incident, facts=facts, causes=causes)


def build(ctx: DemoContext) -> None:
    users = ctx.get("organisation.users")
    units = ctx.get("organisation.units")
    people = ctx.get("organisation.people")
    items = ctx.get("masterdata.items")
    parts = sorted(items)
    cqo, principal = users["cqo"], users["principal"]
    S.rules_set(
        actor=cqo, text=RULES_TEXT, serious_loss=Decimal("50000"), major_loss=Decimal("500000"),
        serious_injuries=1, major_injuries=3, major_deaths=1, general_hours=24, serious_hours=4,
        major_hours=1, general_report_to="质量管理部", serious_report_to="首席质量官、主要负责人",
        major_report_to="主要负责人、市场监管部门", decider_role="principal", hearing_days=5,
    )  # fmt: skip

    # 1. February: a general incident, investigated and closed.
    first = _report(
        ctx, 300, reporter="qe1", title="装配线扭矩扳手失准致制动器支架批量返工",
        description="3 号装配线定扭矩扳手失准，当班 200 件制动器支架紧固扭矩不足，已全部返工。",
        unit=units["PD-AS"], item=items[parts[0]], loss=Decimal("12000"), place="装配车间 3 号线",
    )  # fmt: skip
    first = _investigate(
        ctx, first, 300, facts="定扭矩扳手超出校准有效期 12 天仍在使用。",
        causes="计量器具台账未覆盖装配线工具；领用时未核对校准标识。",
        timeline=[(300, 11, "停线隔离当班产品"), (299, 9, "200 件全部返工复检合格")],
        team=["qe1", "metrology"], report_to="质量管理部",
    )  # fmt: skip
    S.responsibility_add(actor=cqo, incident=first, kind="main", unit=units["QM-MT"],
                         finding="计量台账遗漏装配线扭矩工具。")  # fmt: skip
    C.incident_cost_add(actor=cqo, incident=first, item_code="i_rework", amount=Decimal("12000"),
                        incurred_on=_at(299, 9).date(), note="200 件返工工时与复检")  # fmt: skip
    first = S.investigation_conclude(actor=cqo, incident=first,
                                     conclusion="计量管理漏项所致，已将全部扭矩工具纳入台账。")  # fmt: skip
    S.incident_close(actor=cqo, incident=first)

    # 2. April: a serious incident (a customer's claim) with a penalty heard and decided.
    second = _report(
        ctx, 240, reporter="qe2", title="制动卡钳壳体气孔致客户批量退货索赔",
        description="整车厂装配时发现 BC-200 卡钳壳体渗漏，追溯为同批压铸件内部气孔，批量退货并索赔。",
        unit=units["PD-DC"], item=items[parts[1 % len(parts)]], loss=Decimal("86000"),
        place="压铸车间 2 号机", hour=15,
    )  # fmt: skip
    second = _investigate(
        ctx, second, 240, facts="压铸 2 号机真空度报警被操作工手动屏蔽 3 个班次，期间产品未加严检验。",
        causes="直接原因：真空系统报警屏蔽；管理原因：报警屏蔽无审批、无交接记录。",
        timeline=[(240, 16, "通知客户隔离在途及库存产品"), (239, 10, "调取设备报警记录"),
                  (238, 14, "X 光抽检同批 60 件，气孔超标 9 件")],
        team=["qe2", "head_diecast"], report_to="首席质量官、主要负责人",
    )  # fmt: skip
    operator = people["employee2"]
    S.responsibility_add(actor=cqo, incident=second, kind="direct", person=operator,
                         finding="擅自屏蔽真空度报警继续生产。")  # fmt: skip
    S.responsibility_add(actor=cqo, incident=second, kind="leadership", unit=units["PD-DC"],
                         finding="报警屏蔽无审批制度，交接班未检查。")  # fmt: skip
    C.incident_cost_add(actor=cqo, incident=second, item_code="e_claims", amount=Decimal("60000"),
                        incurred_on=_at(230, 9).date(), note="整车厂索赔")  # fmt: skip
    C.incident_cost_add(actor=cqo, incident=second, item_code="e_returns",
                        amount=Decimal("26000"), incurred_on=_at(235, 9).date(),
                        note="退货运费与报废")  # fmt: skip
    C.incident_cost_add(actor=cqo, incident=second, item_code="i_incident",
                        amount=Decimal("4800"), incurred_on=_at(236, 9).date(),
                        note="X 光检测与分析")  # fmt: skip
    second = S.investigation_conclude(
        actor=cqo, incident=second,
        conclusion="操作工违规屏蔽报警为直接原因，车间报警管理缺失为管理原因。",
    )  # fmt: skip
    fine = P.penalty_propose(
        actor=cqo, incident=second, person=operator, basis="《质量事故责任追究办法》第十二条",
        measure="fine", amount=Decimal("800"), measure_text="罚款 800 元并停岗培训",
    )  # fmt: skip
    fine = P.penalty_notify(actor=cqo, penalty=fine,
                            notice="拟罚款 800 元并停岗培训，请于 5 日内书面申辩。")  # fmt: skip
    fine = P.penalty_hear(
        actor=users["employee2"], penalty=fine,
        statement="报警频繁误报，班长口头同意屏蔽；本人愿接受培训，请求从轻处理。",
    )  # fmt: skip
    P.penalty_decide(actor=principal, penalty=fine, verdict="impose", measure="fine",
                     amount=Decimal("500"), reasons="当事人申辩属实部分予以采纳，从轻罚款 500 元。")  # fmt: skip
    criticism = P.penalty_propose(actor=cqo, incident=second, unit=units["PD-DC"],
                                  basis="《质量事故责任追究办法》第十五条", measure="criticism")  # fmt: skip
    criticism = P.penalty_notify(actor=cqo, penalty=criticism, notice="拟对压铸车间通报批评。")
    criticism = P.penalty_hear(actor=users["head_diecast"], penalty=criticism,
                               statement="无异议，已建立报警屏蔽审批制度。")  # fmt: skip
    P.penalty_decide(actor=principal, penalty=criticism, verdict="impose", measure="criticism",
                     reasons="维持建议。")  # fmt: skip
    for penalty, back in ((fine, 228), (criticism, 228)):
        _backdate(penalty, days=back, actor=cqo, fields={
            "proposed_at": _at(back + 6, 10), "notified_at": _at(back + 6, 11),
            "hearing_until": _at(back + 1, 11), "heard_at": _at(back + 3, 16),
        })  # fmt: skip
    S.incident_close(actor=cqo, incident=second)

    # 3. July: a general incident in the laboratory, concluded.
    third = _report(
        ctx, 150, reporter="metrology", title="硬度计误用致过程检验结论错误",
        description="过程检验使用未修正的洛氏硬度计，30 件轴类件硬度误判为合格，后经复检发现。",
        unit=units["QM-IN"], loss=Decimal("3000"), hour=10,
    )  # fmt: skip
    third = _investigate(
        ctx, third, 150, facts="硬度计期间核查偏差超限，未挂停用标识。", causes="期间核查结果未及时传递。",
        timeline=[(150, 14, "复检 30 件，隔离 4 件不合格")], team=["metrology"],
        report_to="质量管理部",
    )  # fmt: skip
    C.incident_cost_add(actor=cqo, incident=third, item_code="i_nonconformity",
                        amount=Decimal("3000"), incurred_on=_at(149, 9).date())  # fmt: skip
    S.investigation_conclude(actor=cqo, incident=third,
                             conclusion="期间核查结果未传递；已建立超限即停用流程。")  # fmt: skip

    # 4. September: a serious quality-safety incident (one rider hurt), under investigation.
    fourth = _report(
        ctx, 75, reporter="head_tech", title="道路试验制动拉杆断裂致试车员受伤",
        description="BC-300 样车道路试验中前制动拉杆断裂，试车员摔倒，左臂轻伤送医。",
        unit=units["TC"], item=items[parts[2 % len(parts)]], injuries=1, loss=Decimal("18000"),
        place="试车场", hour=14,
    )  # fmt: skip
    _investigate(
        ctx, fourth, 75, facts="断口呈疲劳特征，拉杆材料与图纸一致。",
        causes="初步判断为弯折处圆角过小；待第三方失效分析报告。",
        timeline=[(75, 15, "停止全部样车道路试验"), (70, 10, "断件送第三方失效分析")],
        team=["head_tech", "qe1"], report_to="首席质量官、主要负责人",
    )  # fmt: skip
    C.incident_cost_add(actor=cqo, incident=fourth, item_code="i_incident",
                        amount=Decimal("9500"), incurred_on=_at(70, 9).date(),
                        note="第三方失效分析")  # fmt: skip

    # 5. This week: a general incident just reported, its onward report overdue.
    _report(
        ctx, 3, reporter="inspector3", title="成品包装混装两种规格刹车片",
        description="出货检验发现一箱 BP-110 刹车片混入 6 片 BP-120，已隔离该批次。",
        unit=units["PD-AS"], loss=Decimal("800"), hour=16,
    )  # fmt: skip
    ctx.add("incidents.penalty_decided", Penalty.objects.get(pk=fine.pk))
