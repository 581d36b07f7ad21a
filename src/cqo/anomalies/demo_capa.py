"""Demo corrective actions (§7.1.4): a year of CAPAs on the demo's NCRs, some as 8D.

Volume: ``COUNTS[scale]`` (small: 300 CAPAs of which 60 as 8D), or what the analysis part puts
in ``ctx.objects["anomalies.capa.counts"]`` as ``(total, eight_d)`` before this builder runs.

How it is written. The historical CAPAs (raised over the past year, most of them closed) are
bulk inserts following the services' rules (the 8D where the NCR came from a complaint or
carries a CR defect, the root cause verified by someone other than the owner, the
effectiveness found by someone other than the owner and the actions' owners), with ONE audit
event (``anomalies.demo.capa``) holding the counts and the digest of the rows: through the
services each closure would hash the signer's password twice. The scenario CAPAs go through the
services, signatures included:

====================================  ===========================================================
key                                   what it is
====================================  ===========================================================
``anomalies.capa.awaiting_check``     an 8D with a 5-Why chain, its root cause verified, its
                                      actions done: its effectiveness awaits a second person
``anomalies.capa.closed``             a CAPA closed with both signatures (effectiveness by the
                                      deputy, closure by its owner)
====================================  ===========================================================
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cqo.audit.services import audit_record
from cqo.core.bulk import rows_digest
from cqo.core.demo import DemoContext

from . import services_capa as S
from .models_capa import (
    ActionKind,
    ActionStatus,
    Capa,
    CapaAction,
    CapaKind,
    CapaMember,
    CapaStatus,
    DocumentKind,
    EffectivenessResult,
    FishboneCategory,
    MemberRole,
    WhyChain,
)

COUNTS = {"small": (300, 60), "large": (3000, 600)}

# Realistic chains for a motorcycle-parts maker: the effect, the whys, the cause reached, 5M1E.
CHAINS: list[tuple[str, list[str], str, str]] = [
    ("缸体孔径超差", ["镗刀磨损", "换刀周期按班次而非加工件数", "作业指导书未规定刀具寿命"],
     "刀具寿命未受控", FishboneCategory.METHOD),
    ("压铸件气孔", ["模具排气不畅", "排气槽被铝屑堵塞", "模具保养未包含排气槽清理"],
     "模具保养点检表缺项", FishboneCategory.MACHINE),
    ("制动盘平面度超差", ["热处理后变形", "装炉方式不一致", "新员工未培训装炉规范"],
     "培训未覆盖装炉规范", FishboneCategory.MAN),
    ("来料螺栓强度不足", ["供应商热处理温度偏低", "供应商炉温记录仪失效", "进货检验未抽检硬度"],
     "进货检验计划缺少硬度项", FishboneCategory.MATERIAL),
    ("轴径测量结果波动", ["千分尺零位漂移", "量具未按期校准", "校准计划漏列该量具"],
     "量具台账不完整", FishboneCategory.MEASUREMENT),
    ("涂装橡皮纹", ["喷房湿度过高", "除湿机停机", "雨季未启用湿度监控"],
     "环境监控规程未覆盖雨季", FishboneCategory.ENVIRONMENT),
]  # fmt: skip
PREVENTIONS = [
    (DocumentKind.CONTROL_PLAN, "CP-YJ-150-03"),
    (DocumentKind.FMEA, "PFMEA-YJ-DC-07"),
    (DocumentKind.DOCUMENT, "WI-QM-021"),
    (DocumentKind.TRAINING, "TR-2026-14"),
]


def present() -> bool:
    return Capa.objects.exists()


def _anomalies(rng: Any, eight_d: int, total: int) -> tuple[list[Any], list[Any]]:
    """The NCRs to put CAPAs on: those that ask for an 8D first, then others drawn at random
    (by id, so the large demo's 200,000 NCRs are not all loaded)."""
    from django.db.models import Q

    from .models import Anomaly

    live = Anomaly.objects.filter(voided_at__isnull=True).select_related("item")
    asks = Q(source__in=S.EIGHT_D_SOURCES) | Q(defect_class__in=S.EIGHT_D_CLASSES)
    needs = list(live.filter(asks).order_by("raised_at", "pk")[:eight_d])
    rest = live.exclude(asks).order_by("pk")
    wanted = max(total - len(needs), 0)
    # A fifth on NCRs still open, so the list's ageing has open CAPAs to show.
    still_open = list(rest.filter(closed_at__isnull=True).values_list("pk", flat=True))
    closed = list(rest.filter(closed_at__isnull=False).values_list("pk", flat=True))
    on_open = rng.sample(still_open, min(len(still_open), wanted // 5))
    on_closed = rng.sample(closed, min(len(closed), wanted - len(on_open)))
    drawn = sorted(on_open + on_closed)
    others = list(live.filter(pk__in=drawn).order_by("raised_at", "pk")) if drawn else []
    return needs, others


def build(ctx: DemoContext) -> None:
    total, eight_d = ctx.objects.get("anomalies.capa.counts") or COUNTS[ctx.scale]
    users = ctx.get("organisation.users")
    qe = [users["qe1"], users["qe2"]]
    checkers = [users["deputy"], users["cqo"]]
    heads = [u for k, u in users.items() if k.startswith("head_")] or qe
    rng = ctx.rng
    now = timezone.now()
    # The NCRs whose CAPA must be an 8D first, so the 8D count is met where the data allows.
    needs, others = _anomalies(rng, eight_d, total)
    chosen = (needs[: max(eight_d - 1, 0)] + others)[: max(total - 2, 0)]
    chosen.sort(key=lambda a: (a.raised_at, a.pk))
    bulk = max(total - 2, 0)  # the two scenarios below make up the total
    # The 8Ds the NCRs do not ask for, spread over the year among the other CAPAs.
    optional = [i for i in range(bulk) if i >= len(chosen) or not S.eight_d_required(chosen[i])]
    wanted = max(eight_d - 1 - (bulk - len(optional)), 0)  # one scenario is an 8D
    extra_8d = set(rng.sample(optional, min(wanted, len(optional))))
    year = timezone.localtime(now).year
    counter = 0

    def number(at: datetime.datetime) -> str:
        nonlocal counter
        counter += 1
        return f"CAPA-{timezone.localtime(at).year}-{counter:06d}"

    capas: list[Capa] = []
    specs: list[dict[str, Any]] = []
    for index in range(bulk):
        anomaly = chosen[index] if index < len(chosen) else None
        if anomaly is not None:
            raised = anomaly.raised_at + datetime.timedelta(days=rng.randint(0, 5))
        else:
            raised = now - datetime.timedelta(days=rng.randint(10, 360))
        raised = min(raised, now - datetime.timedelta(days=1))
        is_8d = S.eight_d_required(anomaly) or index in extra_8d
        age = (now - raised).days
        # Older CAPAs are mostly closed; the last months' are still under way.
        if age > 120:
            status = CapaStatus.CLOSED if rng.random() < 0.9 else CapaStatus.VERIFICATION
        elif age > 45:
            status = rng.choice([CapaStatus.CLOSED, CapaStatus.VERIFICATION, CapaStatus.ACTIONS])
        else:
            status = rng.choice([CapaStatus.OPEN, CapaStatus.OPEN, CapaStatus.ACTIONS])
        owner = rng.choice(qe)
        chain = CHAINS[index % len(CHAINS)]
        codes = S.anomaly_defect_codes(anomaly) if anomaly is not None else []
        verified = status != CapaStatus.OPEN
        done_at = raised + datetime.timedelta(days=rng.randint(10, 30))
        closed_at = done_at + datetime.timedelta(days=rng.randint(20, 60))
        if closed_at >= now:
            status, closed_at = (
                (CapaStatus.VERIFICATION if done_at < now else CapaStatus.ACTIONS),
                None,
            )
        if status != CapaStatus.CLOSED:
            closed_at = None
        ncr_closed = getattr(anomaly, "closed_at", None)
        if ncr_closed is not None:
            # A closed NCR had every CAPA closed first (the closure rule).
            raised = min(raised, ncr_closed - datetime.timedelta(days=3))
            closed_at, status, verified = ncr_closed, CapaStatus.CLOSED, True
            done_at = raised + (ncr_closed - raised) / 2
        checker = rng.choice(checkers)
        capa = Capa(
            number=number(raised),
            kind=CapaKind.CORRECTIVE if anomaly is not None or rng.random() < 0.7
            else CapaKind.PREVENTIVE,
            is_8d=is_8d,
            anomaly=anomaly,
            title=(anomaly.title if anomaly is not None else chain[0])[:200],
            item=anomaly.item if anomaly is not None else None,
            defect_code=codes[0] if codes else "",
            status=status,
            owner=owner,
            raised_by=owner,
            raised_at=raised,
            due_on=(raised + datetime.timedelta(days=45)).date(),
            problem_what=chain[0],
            problem_where=anomaly.get_found_at_display() if anomaly is not None else "",
            problem_how_many=str(anomaly.quantity) if anomaly is not None else "",
            containment="隔离在库品并100%挑选" if is_8d else "",
            root_cause=chain[2] if verified else "",
            root_cause_verification="复现试验确认" if verified else "",
            root_cause_verified_by=checker if verified else None,
            root_cause_verified_at=raised + datetime.timedelta(days=7) if verified else None,
            actions_done_at=done_at if status in (CapaStatus.VERIFICATION, CapaStatus.CLOSED)
            else None,
            effectiveness_result=EffectivenessResult.EFFECTIVE if closed_at else "",
            effectiveness_note="后续3批验收合格，未再发生" if closed_at else "",
            effectiveness_checked_by=checker if closed_at else None,
            effectiveness_checked_at=closed_at - datetime.timedelta(days=1) if closed_at else None,
            closed_at=closed_at,
            closed_by=owner if closed_at else None,
        )  # fmt: skip
        capas.append(capa)
        specs.append({"chain": chain, "is_8d": is_8d, "status": status, "done_at": done_at,
                      "raised": raised, "owner": owner})  # fmt: skip
    Capa.objects.bulk_create(capas, batch_size=500)
    members: list[CapaMember] = []
    chains: list[WhyChain] = []
    actions: list[CapaAction] = []
    for capa, spec in zip(capas, specs, strict=True):
        members.append(CapaMember(capa=capa, user=spec["owner"], role=MemberRole.LEADER))
        if spec["is_8d"]:
            members.append(CapaMember(capa=capa, user=rng.choice(heads), role=MemberRole.MEMBER))
        effect, whys, cause, category = spec["chain"]
        if spec["is_8d"] or capa.root_cause:
            chains.append(WhyChain(capa=capa, problem=effect, steps=whys, root_cause=cause,
                                   category=category, created_by=spec["owner"]))  # fmt: skip
        if spec["status"] == CapaStatus.OPEN:
            continue
        finished = spec["status"] in (CapaStatus.VERIFICATION, CapaStatus.CLOSED)
        action_owner = rng.choice(heads)
        actions.append(CapaAction(
            capa=capa, kind=ActionKind.PERMANENT, description=f"针对“{cause}”整改",
            owner=action_owner, due_on=(spec["raised"] + datetime.timedelta(days=30)).date(),
            status=ActionStatus.DONE if finished else ActionStatus.OPEN,
            done_at=spec["done_at"] if finished else None,
            done_note="已完成并验证" if finished else "", created_by=spec["owner"],
        ))  # fmt: skip
        if spec["is_8d"]:
            kind, ref = PREVENTIONS[len(actions) % len(PREVENTIONS)]
            actions.append(CapaAction(
                capa=capa, kind=ActionKind.PREVENTIVE, description="横向展开到同类产品",
                owner=action_owner, due_on=(spec["raised"] + datetime.timedelta(days=40)).date(),
                document_kind=kind, document_ref=ref,
                status=ActionStatus.DONE if finished else ActionStatus.OPEN,
                done_at=spec["done_at"] if finished else None,
                done_note="文件已换版" if finished else "", created_by=spec["owner"],
            ))  # fmt: skip
    CapaMember.objects.bulk_create(members, batch_size=500)
    WhyChain.objects.bulk_create(chains, batch_size=500)
    CapaAction.objects.bulk_create(actions, batch_size=500)
    admin = users.get("cqo")
    audit_record(
        actor=admin,
        action="anomalies.demo.capa",
        obj=("anomalies.capa", "demo", f"{len(capas)} CAPAs {year}"),
        after={
            "capas": len(capas),
            "eight_d": sum(1 for c in capas if c.is_8d),
            "members": len(members),
            "why_chains": len(chains),
            "actions": len(actions),
            "digest": rows_digest(capas),
        },
        clause=S.CLAUSE_CAPA,
    )
    _scenarios(ctx, users, needs[-1] if needs else None)


def _scenarios(ctx: DemoContext, users: dict[str, Any], source: Any) -> None:
    """Two CAPAs through the services: one waiting for its effectiveness check (on ``source``,
    an NCR that asks for an 8D, when the demo has one), one closed."""
    qe1, qe2, deputy = users["qe1"], users["qe2"], users["deputy"]
    today = timezone.localdate()
    if source is not None and (source.status == "closed" or source.capas.exists()):
        source = None
    waiting = S.capa_create(
        actor=qe1, title=source.title if source else "压铸件气孔（客户投诉）", owner=qe1,
        anomaly=source, is_8d=True, due_on=today + datetime.timedelta(days=20),
    )  # fmt: skip
    effect, whys, cause, _category = CHAINS[1]
    S.capa_update(actor=qe1, capa=waiting, problem_what=effect, problem_where="压铸车间",
                  containment="在库品隔离，100%X光检查", root_cause=cause)  # fmt: skip
    S.member_add(actor=qe1, capa=waiting, user=users["head_diecast"], duty="模具保养")
    S.why_chain_save(actor=qe1, capa=waiting, problem=effect, steps=whys, root_cause=cause,
                     category=FishboneCategory.MACHINE)  # fmt: skip
    S.fishbone_add(actor=qe1, capa=waiting, category=FishboneCategory.MACHINE, cause=cause,
                   is_root=True)  # fmt: skip
    S.root_cause_verify(actor=qe2, capa=waiting, verification="清理排气槽后连续试生产200件无气孔")
    action = S.action_add(
        actor=qe1, capa=waiting, kind=ActionKind.PERMANENT, description="模具保养点检表增加排气槽清理",
        owner=users["head_diecast"], due_on=today,
    )  # fmt: skip
    prevent = S.action_add(
        actor=qe1, capa=waiting, kind=ActionKind.PREVENTIVE, description="同类模具横向展开",
        owner=users["head_diecast"], due_on=today, document_kind=DocumentKind.CONTROL_PLAN,
        document_ref="CP-YJ-DC-02",
    )  # fmt: skip
    S.action_complete(actor=users["head_diecast"], action=action, note="点检表已换版")
    S.action_complete(actor=users["head_diecast"], action=prevent, note="控制计划已更新")
    ctx.add("anomalies.capa.awaiting_check", Capa.objects.get(pk=waiting.pk))

    closed = S.capa_create(actor=qe2, title="轴径测量结果波动", owner=qe2,
                           due_on=today - datetime.timedelta(days=5))  # fmt: skip
    effect, whys, cause, _category = CHAINS[4]
    S.capa_update(actor=qe2, capa=closed, problem_what=effect, root_cause=cause)
    S.why_chain_save(actor=qe2, capa=closed, problem=effect, steps=whys, root_cause=cause,
                     category=FishboneCategory.MEASUREMENT)  # fmt: skip
    S.root_cause_verify(actor=qe1, capa=closed, verification="核对台账与现场量具清单")
    step = S.action_add(actor=qe2, capa=closed, kind=ActionKind.PERMANENT,
                        description="量具台账补录并纳入校准计划", owner=users["metrology"],
                        due_on=today)  # fmt: skip
    S.action_complete(actor=users["metrology"], action=step, note="已补录12件量具")
    S.effectiveness_check(actor=deputy, capa=closed, result=EffectivenessResult.EFFECTIVE,
                          evidence="三个月内无同类问题", password=ctx.password)  # fmt: skip
    S.capa_close(actor=qe2, capa=Capa.objects.get(pk=closed.pk), note="", password=ctx.password)
    ctx.add("anomalies.capa.closed", Capa.objects.get(pk=closed.pk))
