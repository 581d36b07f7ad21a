"""Demo of the registers (§7.2.1.1–§7.2.1.3) for the demo motorcycle-parts maker: requirement
sources and requirements per product family with one open impact review; a risk register of 40
risks (brake calipers and discs, wheels, frames, engine parts) with daily, weekly and monthly
controls; the risk-control list published as version 1 thirty days ago (so the regime's thirty
days of daily records have a list in force) and version 2 three days ago; key posts with one
holder who has not acknowledged the responsibilities and one vacant post.

The source numbers are well-known national texts, entered as illustration: the enterprise
confirms their versions and clauses before relying on them."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cqo.core.demo import DemoContext

from . import services_registers as S
from .models_registers import ControlList

# code, kind, title, English title, version, issuer, owner
SOURCES: list[tuple[str, str, str, str, str, str, str]] = [
    ("中华人民共和国产品质量法", "law", "中华人民共和国产品质量法", "Product Quality Law of the PRC",
     "2018 修正", "全国人民代表大会常务委员会", "cqo"),
    ("市场监管总局令第75号", "law", "工业产品生产单位落实质量安全主体责任监督管理规定",
     "Provisions on industrial producers' quality-safety responsibility (SAMR Order 75)", "2023",
     "国家市场监督管理总局", "cqo"),
    ("市场监管总局令第19号", "law", "消费品召回管理暂行规定",
     "Interim provisions on consumer product recalls (SAMR Order 19)", "2019",
     "国家市场监督管理总局", "deputy"),
    ("GB 7258", "mandatory_standard", "机动车运行安全技术条件",
     "Technical specifications for safety of power-driven vehicles operating on roads", "2017",
     "国家标准化管理委员会", "qe1"),
    ("GB 20073", "mandatory_standard", "摩托车和轻便摩托车制动性能要求及试验方法",
     "Braking performance of motorcycles and mopeds: requirements and test methods", "2006",
     "国家标准化管理委员会", "qe1"),
    ("CSR-JL-2024", "customer", "嘉陵整车厂顾客特殊要求（安全件）",
     "Vehicle maker's customer-specific requirements (safety parts)", "A/2", "顾客", "qe2"),
    ("EXP-EU-BRK", "market", "出口欧洲市场制动部件安全要求", "Safety requirements for brake parts "
     "exported to Europe", "2023", "销售部整理", "qe2"),
]  # fmt: skip

# family, source code, clause, requirement, applicability
REQUIREMENTS: list[tuple[str, str, str, str, str]] = [
    ("brake_caliper", "GB 20073", "4", "制动钳总成在规定试验条件下的制动性能满足标准限值。", "全部制动钳总成"),
    ("brake_caliper", "CSR-JL-2024", "3.2", "安全件每批附扭矩与泄漏检测记录，保存期不少于 10 年。", "供嘉陵整车厂的制动钳"),
    ("brake_caliper", "EXP-EU-BRK", "2.1", "制动钳标识含批次号和生产日期，可追溯至原材料炉批号。", "出口件"),
    ("brake_caliper", "市场监管总局令第75号", "—", "制动钳列入风险管控清单，实施日管控、周排查、月调度。", "全部"),
    ("brake_disc", "GB 20073", "4", "制动盘厚度、端面跳动满足整车制动性能要求。", "全部制动盘"),
    ("brake_disc", "CSR-JL-2024", "3.4", "制动盘硬度每炉抽检并记录。", "供嘉陵整车厂的制动盘"),
    ("wheel_hub", "GB 7258", "—", "轮毂无裂纹，动平衡满足整车安全要求。", "全部轮毂"),
    ("frame", "GB 7258", "—", "车架焊缝无裂纹、虚焊；车架号打刻清晰。", "全部车架"),
    ("fork_tube", "GB 7258", "—", "前叉管直线度和表面硬化层满足转向安全要求。", "全部前叉管"),
    ("motorcycle", "GB 7258", "—", "整车制动、灯光、转向满足运行安全技术条件。", "全部整车"),
    ("motorcycle", "市场监管总局令第19号", "—", "发现缺陷按规定时限报告并实施召回。", "全部整车及配件"),
    ("engine", "中华人民共和国产品质量法", "26", "产品不存在危及人身、财产安全的不合理危险。", "全部发动机"),
    ("bolt", "CSR-JL-2024", "3.6", "安全紧固件扭矩等级标识清晰，批次可追溯。", "制动、转向系统紧固件"),
]  # fmt: skip

# family, process, hazard, consequence, L, S, residual L, S, owner, [(control, frequency, who)]
RISKS: list[tuple[str, str, str, str, int, int, int, int, str, list[tuple[str, str, str]]]] = [
    ("brake_caliper", "铝合金压铸", "缸体气孔、缩松导致制动液渗漏", "制动失效", 3, 5, 2, 5, "qe1",
     [("每班X光抽检缸体气孔", "daily", "inspector1"), ("每周复核压铸工艺参数", "weekly", "qe1")]),
    ("brake_caliper", "活塞孔精镗", "活塞孔尺寸超差", "活塞卡滞、制动拖滞", 3, 4, 2, 4, "qe1",
     [("首件及每2小时测量活塞孔直径", "daily", "inspector2")]),
    ("brake_caliper", "密封圈装配", "密封圈漏装或扭曲", "制动液泄漏", 3, 5, 1, 5, "qe1",
     [("装配防错传感器点检", "daily", "inspector2"), ("100%气密性测试", "daily", "inspector2")]),
    ("brake_caliper", "总成扭矩紧固", "连接螺栓扭矩不足", "制动钳松脱", 2, 5, 1, 5, "qe1",
     [("扭矩扳手班前校验", "daily", "inspector3"), ("扭矩记录周审", "weekly", "qe1")]),
    ("brake_caliper", "出货检验", "漏检不合格品放行", "缺陷产品流入市场", 2, 5, 1, 5, "deputy",
     [("出货检验记录日审", "daily", "inspector4")]),
    ("brake_caliper", "原材料入厂", "铝合金锭成分不合格", "强度不足断裂", 2, 5, 1, 5, "qe2",
     [("每批光谱复验", "daily", "inspector1"), ("供方材质证明月度核对", "monthly", "qe2")]),
    ("brake_caliper", "标识追溯", "批次标识错误或缺失", "召回范围无法界定", 3, 4, 1, 4, "qe2",
     [("批次标识日检", "daily", "inspector4")]),
    ("brake_caliper", "包装防护", "运输中磕碰损伤活塞", "制动性能下降", 2, 3, 1, 3, "qe2",
     [("包装方式周检", "weekly", "inspector4")]),
    ("brake_disc", "热处理", "硬度不足", "磨损加快、制动距离变长", 3, 4, 2, 4, "qe1",
     [("每炉硬度抽检", "daily", "inspector3")]),
    ("brake_disc", "精车端面", "端面跳动超差", "制动抖动", 3, 3, 2, 3, "qe1",
     [("首件及巡检测量端面跳动", "daily", "inspector2")]),
    ("brake_disc", "外购件入厂", "供方热处理记录缺失", "批次质量不明", 2, 4, 1, 4, "qe2",
     [("供方记录月度审核", "monthly", "qe2")]),
    ("brake_disc", "打孔", "散热孔边缘裂纹", "制动盘断裂", 2, 5, 1, 5, "qe1",
     [("磁粉探伤抽检", "daily", "inspector3")]),
    ("wheel_hub", "低压铸造", "轮辐裂纹", "行驶中断裂", 2, 5, 1, 5, "qe1",
     [("X光抽检轮辐", "daily", "inspector1"), ("冲击试验月度抽检", "monthly", "qe1")]),
    ("wheel_hub", "动平衡", "动平衡超差", "高速抖动", 3, 3, 2, 3, "qe1",
     [("动平衡机班前点检", "daily", "inspector2")]),
    ("wheel_hub", "轴承压装", "轴承压装不到位", "车轮偏摆", 2, 4, 1, 4, "qe2",
     [("压装力曲线监控", "daily", "inspector2")]),
    ("frame", "焊接", "焊缝虚焊、未焊透", "车架断裂", 3, 5, 2, 5, "qe2",
     [("焊缝外观日检", "daily", "inspector3"), ("焊缝破坏性试验周检", "weekly", "qe2")]),
    ("frame", "车架号打刻", "车架号不清晰或重号", "整车无法追溯", 2, 4, 1, 4, "qe2",
     [("车架号打刻日检", "daily", "inspector4")]),
    ("frame", "电泳涂装", "涂层附着力不足", "车架锈蚀减薄", 3, 3, 2, 3, "qe2",
     [("附着力划格试验", "weekly", "inspector3")]),
    ("frame", "焊接夹具", "夹具定位磨损", "车架尺寸偏差影响操控", 2, 4, 1, 4, "head_production",
     [("夹具定位销月度检定", "monthly", "metrology")]),
    ("fork_tube", "高频淬火", "硬化层深度不足", "前叉弯曲", 3, 4, 2, 4, "qe1",
     [("硬化层深度抽检", "daily", "inspector3")]),
    ("fork_tube", "镀铬", "镀层起皮", "油封失效、减振失效", 2, 3, 1, 3, "qe1",
     [("镀层厚度周检", "weekly", "inspector3")]),
    ("fork_tube", "校直", "直线度超差", "转向卡滞", 2, 4, 1, 4, "qe1",
     [("直线度全检", "daily", "inspector2")]),
    ("crankshaft", "中频淬火", "淬火裂纹", "曲轴断裂、发动机损坏", 2, 4, 1, 4, "qe1",
     [("磁粉探伤全检", "daily", "inspector3")]),
    ("crankshaft", "磨削", "轴颈尺寸超差", "早期磨损", 3, 3, 2, 3, "qe1",
     [("SPC监控轴颈尺寸", "daily", "inspector2")]),
    ("conrod", "锻造", "折叠缺陷", "连杆断裂", 2, 5, 1, 5, "qe2",
     [("锻件外观及探伤抽检", "daily", "inspector1")]),
    ("piston", "铸造", "活塞顶部气孔", "烧顶拉缸", 2, 3, 1, 3, "qe2",
     [("活塞铸件X光抽检", "weekly", "inspector1")]),
    ("cylinder", "缸孔珩磨", "缸孔圆柱度超差", "窜油、功率下降", 3, 3, 2, 3, "qe1",
     [("缸孔圆柱度抽检", "daily", "inspector2")]),
    ("cylinder_head", "气门座加工", "气门座密封不良", "发动机熄火", 2, 3, 1, 3, "qe1",
     [("气密性试验抽检", "daily", "inspector2")]),
    ("engine", "发动机装配", "连杆螺栓扭矩不足", "发动机损坏", 2, 5, 1, 5, "head_assembly",
     [("拧紧轴扭矩曲线日审", "daily", "inspector4")]),
    ("engine", "台架试验", "漏油未发现", "火灾隐患", 2, 5, 1, 5, "head_assembly",
     [("台架试验记录日审", "daily", "inspector4")]),
    ("engine", "燃油管路装配", "燃油管卡箍漏装", "燃油泄漏起火", 2, 5, 1, 5, "head_assembly",
     [("燃油管路防错点检", "daily", "inspector4")]),
    ("motorcycle", "整车装配", "前后制动管路接错", "制动失效", 1, 5, 1, 5, "head_assembly",
     [("制动管路颜色防错点检", "daily", "inspector4")]),
    ("motorcycle", "整车检测", "制动性能检测漏项", "缺陷整车出厂", 2, 5, 1, 5, "deputy",
     [("整车检测线日点检", "daily", "inspector4"), ("检测数据周审", "weekly", "deputy")]),
    ("motorcycle", "灯光调整", "前照灯光形偏差", "夜间行驶视线不足", 3, 3, 2, 3, "head_assembly",
     [("灯光检测仪日点检", "daily", "inspector4")]),
    ("motorcycle", "出厂", "召回通知未执行", "缺陷整车继续销售", 1, 5, 1, 5, "deputy",
     [("召回与冻结批次月度调度核对", "monthly", "deputy")]),
    ("bolt", "外购件入厂", "螺栓强度等级不符", "紧固失效", 2, 5, 1, 5, "qe2",
     [("每批硬度和拉力抽检", "daily", "inspector1")]),
    ("bolt", "仓储", "不同等级螺栓混放", "错用低强度螺栓", 2, 4, 1, 4, "head_supply",
     [("库位标识周检", "weekly", "inspector1")]),
    ("spark_plug", "外购件入厂", "绝缘体裂纹", "发动机失火", 2, 3, 1, 3, "qe2",
     [("外观抽检", "daily", "inspector1")]),
    ("oil_seal", "外购件入厂", "油封唇口缺陷", "漏油", 3, 2, 2, 2, "qe2",
     [("唇口外观抽检", "daily", "inspector1")]),
    ("muffler", "焊接", "消声器焊缝漏气", "高温排气灼伤", 2, 3, 1, 3, "qe2",
     [("焊缝气密抽检", "weekly", "inspector3")]),
]  # fmt: skip


def build(ctx: DemoContext) -> None:
    users: dict[str, Any] = ctx.get("organisation.users")
    cqo = users["cqo"]
    today = timezone.localdate()
    sources = {}
    for code, kind, title, title_en, version, issuer, owner in SOURCES:
        sources[code] = S.source_add(
            actor=cqo, kind=kind, code=code, title=title, title_en=title_en, version=version,
            issuer=issuer, owner=users[owner],
            note="示例数据：版本与条款请企业核对后使用。",
        )  # fmt: skip
    for family, code, source_clause, text, applicability in REQUIREMENTS:
        S.requirement_add(
            actor=cqo, source=sources[code], family=family, source_clause=source_clause,
            text=text, applicability=applicability, owner=sources[code].owner,
            review_on=today + datetime.timedelta(days=ctx.rng.randint(20, 300)),
        )  # fmt: skip
    # A new version of the customer's requirements: its impact review is open.
    S.source_version_new(actor=cqo, source=sources["CSR-JL-2024"], version="A/3",
                         note="顾客发布新版安全件要求")  # fmt: skip

    risks = []
    for family, process, hazard, consequence, lik, sev, rlik, rsev, owner, controls in RISKS[:-1]:
        risk = S.risk_add(
            actor=cqo, family=family, process=process, hazard=hazard, consequence=consequence,
            likelihood=lik, severity=sev, residual_likelihood=rlik, residual_severity=rsev,
            owner=users[owner],
        )  # fmt: skip
        for text, frequency, who in controls:
            S.control_add(actor=cqo, risk=risk, text=text, frequency=frequency, owner=users[who])
        risks.append(risk)
    first = S.control_list_publish(actor=cqo, effective_on=today - datetime.timedelta(days=30),
                                   note="首版风险管控清单")  # fmt: skip
    # The last risk was found at a weekly check and added: version 2, three days ago.
    family, process, hazard, consequence, lik, sev, rlik, rsev, owner, controls = RISKS[-1]
    risk = S.risk_add(
        actor=cqo, family=family, process=process, hazard=hazard, consequence=consequence,
        likelihood=lik, severity=sev, residual_likelihood=rlik, residual_severity=rsev,
        owner=users[owner],
    )  # fmt: skip
    for text, frequency, who in controls:
        S.control_add(actor=cqo, risk=risk, text=text, frequency=frequency, owner=users[who])
    second = S.control_list_publish(actor=cqo, effective_on=today - datetime.timedelta(days=3),
                                    note="周排查新增消声器焊缝风险")  # fmt: skip
    # Published a month ago in the story: the rows say when (the versions' own dates).
    ControlList.objects.filter(pk=first.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=31)
    )
    ControlList.objects.filter(pk=second.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=3))  # fmt: skip
    ctx.add("safety.control_list", second)

    _key_posts(ctx, users)


def _key_posts(ctx: DemoContext, users: dict[str, Any]) -> None:
    """Two holders acknowledge; the outgoing-inspection holder has not; a new brake-caliper
    torque post is still vacant."""
    from cqo.organisation.models import Post, PostKind
    from cqo.organisation.services import post_create

    posts: dict[str, Any] = ctx.get("organisation.posts")
    for code, who in (("P-KEY-DC", "head_diecast"), ("P-KEY-MT", "metrology")):
        post = posts.get(code) or Post.objects.filter(code=code).first()
        if post is not None:
            S.post_acknowledge(actor=users[who], post=post)
    units = ctx.get("organisation.units")
    unit = units.get("PD-AS") or units.get("PD")
    if unit is not None and not Post.objects.filter(code="P-KEY-BRK").exists():
        post_create(
            actor=users["admin"], unit=unit, code="P-KEY-BRK", kind=PostKind.KEY_POST,
            name="制动钳扭矩终检", name_en="Brake-caliper final torque check",
            responsibilities="对每件制动钳总成进行最终扭矩和气密检测，不合格立即隔离并报告。",
            responsibilities_en="Checks the final torque and leak-tightness of every brake "
            "caliper; quarantines and reports any failure at once.",
        )  # fmt: skip
