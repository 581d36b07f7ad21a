"""Demo data: a Chongqing motorcycle and auto-parts maker, its units, people, posts and personas.

Everything goes through the services with a real actor, so the audit chain tells how the demo
enterprise was set up. The one exception is the first administrator account, which has to exist
before anyone can act; it is recorded with the system as actor. At the large scale the many
extra accounts are written in bulk with one password hash, each with its own audit event.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from cqo.audit.services import audit_record, snapshot
from cqo.core.demo import DemoContext

from . import roles as R
from . import services as S
from .models import (
    EducationLevel,
    Enterprise,
    Person,
    PostKind,
    SizeClass,
    TitleLevel,
    Unit,
    UnitKind,
)
from .rules import user_cache_clear
from .validators import credit_code_complete

DEMO_DOMAIN = "yujia-moto.example"
DAY_ONE = datetime.date(2024, 11, 8)

SURNAMES = [
    ("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
    ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"),
    ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("林", "Lin"),
    ("罗", "Luo"), ("高", "Gao"), ("郑", "Zheng"), ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"),
    ("唐", "Tang"), ("韩", "Han"), ("冯", "Feng"), ("邓", "Deng"), ("曹", "Cao"), ("彭", "Peng"),
    ("曾", "Zeng"), ("肖", "Xiao"), ("田", "Tian"), ("董", "Dong"), ("袁", "Yuan"), ("潘", "Pan"),
    ("蒋", "Jiang"), ("蔡", "Cai"), ("余", "Yu"), ("杜", "Du"), ("叶", "Ye"), ("程", "Cheng"),
    ("魏", "Wei"), ("苏", "Su"), ("丁", "Ding"), ("任", "Ren"), ("冉", "Ran"), ("谭", "Tan"),
    ("向", "Xiang"), ("秦", "Qin"), ("廖", "Liao"), ("邹", "Zou"), ("熊", "Xiong"), ("陶", "Tao"),
]  # fmt: skip
GIVEN = [
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"),
    ("杰", "jie"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀", "xiu"),
    ("霞", "xia"), ("平", "ping"), ("刚", "gang"), ("英", "ying"), ("华", "hua"), ("建", "jian"),
    ("国", "guo"), ("志", "zhi"), ("文", "wen"), ("玉", "yu"), ("兰", "lan"), ("红", "hong"),
    ("海", "hai"), ("宇", "yu"), ("浩", "hao"), ("鑫", "xin"), ("婷", "ting"), ("雪", "xue"),
    ("琳", "lin"), ("鹏", "peng"), ("晨", "chen"), ("欣", "xin"), ("佳", "jia"), ("俊", "jun"),
    ("凯", "kai"), ("思", "si"), ("雨", "yu"), ("梅", "mei"), ("亮", "liang"), ("成", "cheng"),
    ("春", "chun"), ("东", "dong"), ("飞", "fei"), ("辉", "hui"), ("健", "jian"), ("蕾", "lei"),
    ("倩", "qian"), ("庆", "qing"), ("荣", "rong"), ("松", "song"), ("翔", "xiang"), ("毅", "yi"),
    ("渝", "yu"), ("嘉", "jia"), ("川", "chuan"), ("帆", "fan"), ("琴", "qin"), ("波", "bo"),
]  # fmt: skip

# (code, parent code, kind, name, English name)
UNITS: list[tuple[str, str | None, str, str, str]] = [
    ("YJ", None, UnitKind.COMPANY, "重庆渝嘉摩托车零部件有限公司", "Chongqing Yujia Motorcycle Parts Co., Ltd."),
    ("GM", "YJ", UnitKind.DEPARTMENT, "总经理办公室", "General Manager's Office"),
    ("QM", "YJ", UnitKind.DEPARTMENT, "质量管理部", "Quality Management Department"),
    ("QM-IN", "QM", UnitKind.TEAM, "检验科", "Inspection Section"),
    ("QM-MT", "QM", UnitKind.TEAM, "计量室", "Metrology Room"),
    ("QM-QE", "QM", UnitKind.TEAM, "质量工程科", "Quality Engineering Section"),
    ("PD", "YJ", UnitKind.DIVISION, "生产部", "Production Department"),
    ("PD-DC", "PD", UnitKind.WORKSHOP, "压铸车间", "Die-casting Workshop"),
    ("PD-DC-L1", "PD-DC", UnitKind.LINE, "压铸一线", "Die-casting Line 1"),
    ("PD-DC-L2", "PD-DC", UnitKind.LINE, "压铸二线", "Die-casting Line 2"),
    ("PD-MC", "PD", UnitKind.WORKSHOP, "机加工车间", "Machining Workshop"),
    ("PD-MC-L1", "PD-MC", UnitKind.LINE, "缸体加工线", "Cylinder Machining Line"),
    ("PD-MC-L2", "PD-MC", UnitKind.LINE, "曲轴箱加工线", "Crankcase Machining Line"),
    ("PD-AS", "PD", UnitKind.WORKSHOP, "装配车间", "Assembly Workshop"),
    ("PD-AS-L1", "PD-AS", UnitKind.LINE, "发动机总成装配线", "Engine Assembly Line"),
    ("PD-AS-L2", "PD-AS", UnitKind.LINE, "离合器装配线", "Clutch Assembly Line"),
    ("TC", "YJ", UnitKind.DEPARTMENT, "技术中心", "Technology Centre"),
    ("PU", "YJ", UnitKind.DEPARTMENT, "采购部", "Purchasing Department"),
    ("SA", "YJ", UnitKind.DEPARTMENT, "销售部", "Sales Department"),
    ("SC", "YJ", UnitKind.DEPARTMENT, "供应链管理部", "Supply Chain Department"),
    ("HR", "YJ", UnitKind.DEPARTMENT, "人力资源部", "Human Resources Department"),
    ("FI", "YJ", UnitKind.DEPARTMENT, "财务部", "Finance Department"),
]  # fmt: skip

E, T = EducationLevel, TitleLevel
# username, roles, unit, name, English name, job title, English job title, education, title, years
PERSONAS: list[tuple[str, list[str], str, str, str, str, str, str, str, int]] = [
    ("admin", [R.ADMIN], "GM", "冯磊", "Feng Lei", "信息系统管理员", "Information systems administrator", E.BACHELOR, T.INTERMEDIATE, 0),
    ("principal", [R.PRINCIPAL], "GM", "陈志远", "Chen Zhiyuan", "董事长兼总经理", "Chairman and General Manager", E.MASTER, T.SENIOR, 6),
    ("cqo", [R.CQO], "GM", "刘晓梅", "Liu Xiaomei", "副总经理、首席质量官", "Deputy General Manager, Chief Quality Officer", E.MASTER, T.ASSOCIATE_SENIOR, 14),
    ("deputy", [R.DEPUTY, R.DEPARTMENT_HEAD], "QM", "王建国", "Wang Jianguo", "质量管理部部长", "Head of Quality Management", E.BACHELOR, T.ASSOCIATE_SENIOR, 11),
    ("qe1", [R.QUALITY_ENGINEER], "QM-QE", "张磊", "Zhang Lei", "质量工程师", "Quality engineer", E.BACHELOR, T.INTERMEDIATE, 6),
    ("qe2", [R.QUALITY_ENGINEER], "QM-QE", "李娜", "Li Na", "质量工程师", "Quality engineer", E.MASTER, T.INTERMEDIATE, 4),
    ("inspector1", [R.INSPECTOR], "QM-IN", "赵强", "Zhao Qiang", "来料检验员", "Incoming inspector", E.JUNIOR_COLLEGE, T.JUNIOR, 5),
    ("inspector2", [R.INSPECTOR], "QM-IN", "孙丽", "Sun Li", "过程检验员", "In-process inspector", E.JUNIOR_COLLEGE, T.JUNIOR, 3),
    ("inspector3", [R.INSPECTOR], "QM-IN", "周杰", "Zhou Jie", "成品检验员", "Final inspector", E.SECONDARY, T.NONE, 7),
    ("inspector4", [R.INSPECTOR], "QM-IN", "冉小渝", "Ran Xiaoyu", "出货检验员", "Outgoing inspector", E.JUNIOR_COLLEGE, T.NONE, 2),
    ("metrology", [R.METROLOGY_OFFICER], "QM-MT", "郑浩", "Zheng Hao", "计量管理员", "Metrology officer", E.BACHELOR, T.INTERMEDIATE, 8),
    ("auditor", [R.AUDITOR], "GM", "钱文静", "Qian Wenjing", "管理体系审核员", "Management system auditor", E.BACHELOR, T.INTERMEDIATE, 9),
    ("head_production", [R.DEPARTMENT_HEAD], "PD", "黄伟", "Huang Wei", "生产部部长", "Head of Production", E.BACHELOR, T.INTERMEDIATE, 4),
    ("head_diecast", [R.DEPARTMENT_HEAD], "PD-DC", "谭刚", "Tan Gang", "压铸车间主任", "Die-casting Workshop Manager", E.JUNIOR_COLLEGE, T.INTERMEDIATE, 3),
    ("head_machining", [R.DEPARTMENT_HEAD], "PD-MC", "向东", "Xiang Dong", "机加工车间主任", "Machining Workshop Manager", E.JUNIOR_COLLEGE, T.INTERMEDIATE, 2),
    ("head_assembly", [R.DEPARTMENT_HEAD], "PD-AS", "秦川", "Qin Chuan", "装配车间主任", "Assembly Workshop Manager", E.BACHELOR, T.INTERMEDIATE, 3),
    ("head_tech", [R.DEPARTMENT_HEAD], "TC", "何静", "He Jing", "技术中心主任", "Director of the Technology Centre", E.DOCTORATE, T.SENIOR, 5),
    ("head_purchasing", [R.DEPARTMENT_HEAD], "PU", "马超", "Ma Chao", "采购部部长", "Head of Purchasing", E.BACHELOR, T.INTERMEDIATE, 1),
    ("head_sales", [R.DEPARTMENT_HEAD], "SA", "林峰", "Lin Feng", "销售部部长", "Head of Sales", E.BACHELOR, T.NONE, 0),
    ("head_supply", [R.DEPARTMENT_HEAD], "SC", "罗红", "Luo Hong", "供应链管理部部长", "Head of Supply Chain", E.BACHELOR, T.INTERMEDIATE, 2),
    ("head_hr", [R.DEPARTMENT_HEAD], "HR", "高燕", "Gao Yan", "人力资源部部长", "Head of Human Resources", E.MASTER, T.INTERMEDIATE, 0),
    ("head_finance", [R.DEPARTMENT_HEAD], "FI", "徐涛", "Xu Tao", "财务部部长", "Head of Finance", E.BACHELOR, T.ASSOCIATE_SENIOR, 0),
    ("employee1", [R.EMPLOYEE], "PD-AS-L1", "杨帆", "Yang Fan", "装配工", "Assembly operator", E.SECONDARY, T.NONE, 0),
    ("employee2", [R.EMPLOYEE], "PD-DC-L1", "吴敏", "Wu Min", "压铸操作工", "Die-casting operator", E.SECONDARY, T.NONE, 0),
]  # fmt: skip

# The heads of units who are personas; the other units get a generated head below.
HEADS = {
    "YJ": "principal", "GM": "principal", "QM": "deputy", "PD": "head_production",
    "PD-DC": "head_diecast", "PD-MC": "head_machining", "PD-AS": "head_assembly", "TC": "head_tech",
    "PU": "head_purchasing", "SA": "head_sales", "SC": "head_supply", "HR": "head_hr",
    "FI": "head_finance",
}  # fmt: skip

# Generated staff per unit at the small scale, with job titles (Chinese, English).
STAFF: dict[str, tuple[int, list[tuple[str, str]]]] = {
    "GM": (2, [("行政专员", "Administration officer")]),
    "QM-IN": (2, [("检验员", "Inspector")]),
    "QM-QE": (1, [("质量技术员", "Quality technician")]),
    "PD-DC-L1": (3, [("压铸操作工", "Die-casting operator"), ("班组长", "Team leader")]),
    "PD-DC-L2": (2, [("压铸操作工", "Die-casting operator")]),
    "PD-MC-L1": (3, [("数控操作工", "CNC operator"), ("班组长", "Team leader")]),
    "PD-MC-L2": (2, [("数控操作工", "CNC operator")]),
    "PD-AS-L1": (2, [("装配工", "Assembly operator"), ("班组长", "Team leader")]),
    "PD-AS-L2": (2, [("装配工", "Assembly operator")]),
    "TC": (3, [("工艺工程师", "Process engineer"), ("产品设计工程师", "Product design engineer")]),
    "PU": (2, [("采购员", "Buyer"), ("供应商质量工程师", "Supplier quality engineer")]),
    "SA": (2, [("销售代表", "Sales representative"), ("客户服务专员", "Customer service officer")]),
    "SC": (1, [("计划员", "Planner")]),
    "HR": (1, [("培训专员", "Training officer")]),
    "FI": (1, [("成本会计", "Cost accountant")]),
}

# code, unit, kind, name, English name, responsibilities, English responsibilities, holder
POSTS: list[tuple[str, str, str, str, str, str, str, str]] = [
    (
        "P-CQO", "GM", PostKind.CQO, "首席质量官", "Chief Quality Officer",
        "在决策层全面负责企业质量工作，直接领导质量管理、检验、质量安全和质量提升；行使第6章所列权限。",
        "Answers at decision level for the enterprise's quality; directly leads quality "
        "management, inspection, quality safety and improvement; holds the chapter 6 authorities.",
        "cqo",
    ),
    (
        "P-QSD", "GM", PostKind.QUALITY_SAFETY_DIRECTOR, "质量安全总监", "Quality Safety Director",
        "协助主要负责人落实产品质量安全责任，组织风险管控清单和日管控、周排查、月调度。",
        "Helps the principal carry product quality-safety responsibility; runs the risk-control "
        "list and the daily control, weekly check and monthly dispatch.",
        "cqo",
    ),
    (
        "P-QSO-1", "QM", PostKind.QUALITY_SAFETY_OFFICER, "质量安全员", "Quality Safety Officer",
        "按风险管控清单开展日常检查，记录发现的问题并跟踪整改。",
        "Runs the daily checks on the risk-control list, records findings and follows up fixes.",
        "deputy",
    ),
    (
        "P-KEY-DC", "PD-DC", PostKind.KEY_POST, "压铸工艺控制", "Die-casting process control",
        "控制压铸温度、压力和保压时间，首件确认后方可批量生产。",
        "Keeps die-casting temperature, pressure and dwell time in control; no batch runs before "
        "the first article is confirmed.",
        "head_diecast",
    ),
    (
        "P-KEY-OQC", "QM-IN", PostKind.KEY_POST, "出货检验放行", "Outgoing inspection release",
        "按抽样方案实施出货检验，合格后方可放行。",
        "Carries out outgoing inspection to the sampling plan; releases only conforming lots.",
        "inspector4",
    ),
    (
        "P-KEY-MT", "QM-MT", PostKind.KEY_POST, "计量器具管理", "Measuring instrument control",
        "保证在用计量器具在检定或校准有效期内，发现失准时追溯受影响的测量结果。",
        "Keeps instruments in use within their verification or calibration; when one is out of "
        "tolerance, traces the results it measured.",
        "metrology",
    ),
    (
        "P-IQC", "QM-IN", PostKind.OTHER, "来料检验员", "Incoming inspector",
        "对进厂原材料和外购件实施检验并记录结果。",
        "Inspects incoming material and bought-in parts and records the results.",
        "inspector1",
    ),
]  # fmt: skip


def _name(ctx: DemoContext, used: set[str]) -> tuple[str, str]:
    """A Chinese name and its pinyin, new within ``used``, drawn from the seeded generator."""
    while True:
        surname, surname_py = ctx.rng.choice(SURNAMES)
        chars = [ctx.rng.choice(GIVEN) for _ in range(ctx.rng.choice((1, 2, 2)))]
        name = surname + "".join(c for c, _ in chars)
        if name not in used:
            used.add(name)
            given_py = "".join(p for _, p in chars)
            return name, f"{surname_py} {given_py.capitalize()}"


def _email(name_en: str, employee_no: str) -> str:
    local = name_en.lower().replace(" ", ".")
    return f"{local}.{employee_no[-4:]}@{DEMO_DOMAIN}"


def _bootstrap_admin(ctx: DemoContext) -> Any:
    # Someone has to hold the admin role before any service can be called.
    User = get_user_model()
    R.roles_ensure()
    username, _roles, _unit, name, name_en = PERSONAS[0][:5]
    user = User(
        username=username, display_name=name, display_name_en=name_en, must_change_password=False
    )
    user.set_password(ctx.password)
    user.save()
    user.groups.add(Group.objects.get(name=R.ADMIN))
    audit_record(
        actor=None,
        action="accounts.user.create",
        obj=user,
        after={**snapshot(user, ["username", "display_name", "is_active"]), "roles": [R.ADMIN]},
        reason="demo: first administrator",
        clause=S.CLAUSE_ROLES,
    )
    return user


def build(ctx: DemoContext) -> None:
    admin = _bootstrap_admin(ctx)
    enterprise = S.enterprise_create(
        actor=admin,
        name="重庆渝嘉摩托车零部件有限公司",
        name_en="Chongqing Yujia Motorcycle Parts Co., Ltd.",
        credit_code=credit_code_complete("91500112MA5YJ8K3"),
        size_class=SizeClass.MEDIUM,
        industry_code="C3752",
        industry_name="摩托车零部件及配件制造",
        region_code="500112",
        region_name="重庆市渝北区",
        address="重庆市渝北区双凤桥街道空港大道88号",
        address_en="88 Konggang Avenue, Shuangfengqiao Subdistrict, Yubei District, Chongqing",
    )
    ctx.add("organisation.enterprise", enterprise)

    units: dict[str, Unit] = {}
    for order, (code, parent, kind, name, name_en) in enumerate(UNITS):
        units[code] = S.unit_create(
            actor=admin,
            enterprise=enterprise,
            parent=units[parent] if parent else None,
            kind=kind,
            code=code,
            name=name,
            name_en=name_en,
            sort_order=order,
        )
    ctx.add("organisation.units", units)

    people: dict[str, Person] = {}
    users: dict[str, Any] = {"admin": admin}
    used_names = {p[3] for p in PERSONAS}
    serial = iter(range(1, 1_000_000))

    def employee_no() -> str:
        return f"YJ{next(serial):05d}"

    for username, roles, unit, name, name_en, title, title_en, edu, level, years in PERSONAS:
        no = employee_no()
        fields: dict[str, Any] = {
            "name_en": name_en, "job_title": title, "job_title_en": title_en, "education": edu,
            "title_level": level, "quality_years": years, "email": _email(name_en, no),
            "phone": f"023-6788{no[-4:]}",
        }  # fmt: skip
        if username == "admin":
            person = S.person_create(
                actor=admin, unit=units[unit], employee_no=no, name=name, **fields
            )
            _link_bootstrap_account(admin, person)
        else:
            person = S.person_create(
                actor=admin,
                unit=units[unit],
                employee_no=no,
                name=name,
                username=username,
                password=ctx.password,
                # Authority roles come afterwards, signed by the principal (decision 0006).
                roles=[r for r in roles if r not in R.AUTHORITY_ROLES],
                must_change_password=False,
                **fields,
            )
            users[username] = person.user
        people[username] = person
        ctx.account(username, ", ".join(R.role_label(r) for r in roles), name, name_en)

    for unit_code, (count, titles) in STAFF.items():
        for i in range(count):
            title, title_en = titles[i % len(titles)]
            name, name_en = _name(ctx, used_names)
            no = employee_no()
            key = f"staff-{unit_code}-{i + 1}"
            people[key] = S.person_create(
                actor=admin,
                unit=units[unit_code],
                employee_no=no,
                name=name,
                name_en=name_en,
                job_title=title,
                job_title_en=title_en,
                education=ctx.rng.choice([E.SECONDARY, E.JUNIOR_COLLEGE, E.BACHELOR]),
                title_level=ctx.rng.choice([T.NONE, T.NONE, T.JUNIOR]),
                quality_years=ctx.rng.randint(0, 6),
                email=_email(name_en, no),
            )
    ctx.add("organisation.people", people)
    ctx.add("organisation.users", users)

    for unit_code, username in HEADS.items():
        S.unit_update(actor=admin, unit=units[unit_code], head=people[username])
    for unit_code in ("QM-IN", "QM-MT", "QM-QE"):
        head_key = {"QM-IN": "inspector1", "QM-MT": "metrology", "QM-QE": "qe1"}[unit_code]
        S.unit_update(actor=admin, unit=units[unit_code], head=people[head_key])
    _bootstrap_principal(enterprise, people["principal"])
    principal_user = users["principal"]
    for username, roles, *_rest in PERSONAS:
        person = people[username]
        wanted = set(roles) & R.AUTHORITY_ROLES
        if username in ("admin", "principal") or not wanted:
            continue
        change = S.authority_change_propose(
            actor=admin,
            kind="roles",
            person=person,
            roles=sorted(set(S.account_roles(person.user)) | wanted),
            reason="demo: roles of the post",
        )
        S.authority_change_confirm(actor=principal_user, change=change, password=ctx.password)

    actors = {
        PostKind.CQO: users["principal"],
        PostKind.QUALITY_SAFETY_DIRECTOR: users["principal"],
        PostKind.QUALITY_SAFETY_OFFICER: users["cqo"],
        PostKind.KEY_POST: users["cqo"],
        PostKind.OTHER: admin,
    }
    posts = {}
    for code, unit_code, kind, name, name_en, duties, duties_en, holder in POSTS:
        post = S.post_create(
            actor=admin,
            unit=units[unit_code],
            code=code,
            name=name,
            name_en=name_en,
            kind=kind,
            responsibilities=duties,
            responsibilities_en=duties_en,
        )
        posts[code] = post
        S.post_assign(
            actor=actors[PostKind(kind)], post=post, person=people[holder], start_date=DAY_ONE
        )
    ctx.add("organisation.posts", posts)

    if ctx.large:
        _build_large(ctx, admin, enterprise, units)


def _bootstrap_principal(enterprise: Any, person: Person) -> None:
    # As with the first administrator: the installation records the first principal, since no
    # principal yet exists to sign for it (decision 0006). No page or API call can do this.
    before = snapshot(enterprise)
    enterprise.principal = enterprise.legal_representative = person
    enterprise.save(update_fields=["principal", "legal_representative", "updated_at"])
    audit_record(
        actor=None,
        action="organisation.enterprise.update",
        obj=enterprise,
        before=before,
        after=snapshot(enterprise),
        reason="demo: first principal, recorded by the installation",
        clause=S.CLAUSE_ENTERPRISE,
    )
    user = person.user
    assert user is not None
    user.groups.add(Group.objects.get(name=R.PRINCIPAL))
    user_cache_clear(user)
    audit_record(
        actor=None,
        action="accounts.user.roles",
        obj=user,
        before={"roles": []},
        after={"roles": [R.PRINCIPAL]},
        reason="demo: first principal, recorded by the installation",
        clause=S.CLAUSE_ROLES,
    )


def _link_bootstrap_account(admin: Any, person: Person) -> None:
    before = snapshot(person)
    person.user = admin
    person.save(update_fields=["user", "updated_at"])
    user_cache_clear(admin)
    audit_record(
        actor=admin,
        action="organisation.person.account",
        obj=person,
        before=before,
        after=snapshot(person),
        reason="demo: first administrator",
        clause=S.CLAUSE_ROLES,
    )


# Two further plants for the benchmark data set: ~300 units and ~3,000 people in all.
PLANTS = [("BS", "璧山工厂", "Bishan Plant"), ("YC", "永川工厂", "Yongchuan Plant")]
WORKSHOPS = [
    ("DC", "压铸车间", "Die-casting Workshop"), ("MC", "机加工车间", "Machining Workshop"),
    ("AS", "装配车间", "Assembly Workshop"), ("PT", "涂装车间", "Painting Workshop"),
    ("HT", "热处理车间", "Heat Treatment Workshop"), ("ST", "冲压车间", "Stamping Workshop"),
    ("IM", "注塑车间", "Injection Moulding Workshop"), ("WD", "焊接车间", "Welding Workshop"),
]  # fmt: skip
SHIFTS = [("A", "甲班", "Shift A"), ("B", "乙班", "Shift B"), ("C", "丙班", "Shift C")]
LARGE_PEOPLE = 3000
ACCOUNT_EVERY = 10  # one extra person in ten gets an account at the large scale


def _build_large(ctx: DemoContext, admin: Any, enterprise: Any, units: dict[str, Unit]) -> None:
    teams: list[Unit] = []
    order = len(units)
    for plant_code, plant, plant_en in PLANTS:
        order += 1
        plant_unit = S.unit_create(
            actor=admin, enterprise=enterprise, parent=units["YJ"], kind=UnitKind.DIVISION,
            code=plant_code, name=plant, name_en=plant_en, sort_order=order,
        )  # fmt: skip
        for ws_code, ws, ws_en in WORKSHOPS:
            ws_unit = S.unit_create(
                actor=admin, enterprise=enterprise, parent=plant_unit, kind=UnitKind.WORKSHOP,
                code=f"{plant_code}-{ws_code}", name=f"{plant}{ws}", name_en=f"{plant_en} {ws_en}",
            )  # fmt: skip
            for line_no in range(1, 5):
                line = S.unit_create(
                    actor=admin, enterprise=enterprise, parent=ws_unit, kind=UnitKind.LINE,
                    code=f"{plant_code}-{ws_code}-L{line_no}", name=f"{ws}{line_no}号线",
                    name_en=f"{ws_en} Line {line_no}", sort_order=line_no,
                )  # fmt: skip
                for shift_code, shift, shift_en in SHIFTS:
                    teams.append(
                        S.unit_create(
                            actor=admin, enterprise=enterprise, parent=line, kind=UnitKind.TEAM,
                            code=f"{line.code}-{shift_code}", name=f"{line.name}{shift}",
                            name_en=f"{line.name_en} {shift_en}",
                        )
                    )  # fmt: skip
    ctx.add("organisation.large.teams", teams)

    existing = Person.objects.count()
    used = set(Person.objects.values_list("name", flat=True))
    extra: list[Person] = []
    for i in range(LARGE_PEOPLE - existing):
        team = teams[i % len(teams)]
        name, name_en = _name(ctx, used)
        no = f"YJ{existing + i + 1:05d}"
        extra.append(
            S.person_create(
                actor=admin,
                unit=team,
                employee_no=no,
                name=name,
                name_en=name_en,
                job_title="操作工" if i % 15 else "班组长",
                job_title_en="Operator" if i % 15 else "Team leader",
                education=ctx.rng.choice([E.SECONDARY, E.SECONDARY, E.JUNIOR_COLLEGE, E.BACHELOR]),
                quality_years=ctx.rng.randint(0, 10),
            )
        )
    _bulk_accounts(ctx, admin, extra[::ACCOUNT_EVERY])


def _bulk_accounts(ctx: DemoContext, admin: Any, people: list[Person]) -> None:
    """Accounts for many people at once: one shared hash (Argon2 per account would take minutes)."""
    User = get_user_model()
    hashed = make_password(ctx.password)
    users = User.objects.bulk_create(
        [
            User(
                username=f"u{p.employee_no.lower()}",
                password=hashed,
                display_name=p.name,
                display_name_en=p.name_en,
                must_change_password=False,
            )
            for p in people
        ]
    )
    employee = Group.objects.get(name=R.EMPLOYEE)
    Membership = User.groups.through
    Membership.objects.bulk_create([Membership(user_id=u.pk, group_id=employee.pk) for u in users])
    for person, user in zip(people, users, strict=True):
        audit_record(
            actor=admin,
            action="accounts.user.create",
            obj=user,
            after={
                **snapshot(user, ["username", "display_name", "is_active"]),
                "roles": [R.EMPLOYEE],
            },
            clause=S.CLAUSE_ROLES,
        )
        before = snapshot(person)
        person.user = user
        after = snapshot(person)
        audit_record(
            actor=admin,
            action="organisation.person.account",
            obj=person,
            before=before,
            after=after,
            clause=S.CLAUSE_ROLES,
        )
    Person.objects.bulk_update(
        [p for p in people], ["user"], batch_size=500
    )  # history of the link is in the audit events above
    ctx.objects["organisation.large.accounts"] = [u.username for u in users]


def present() -> bool:
    return Enterprise.objects.exists()


def accounts_present(ctx: DemoContext) -> None:
    """The demo personas whose accounts are still active, for ``cqo demo --if-empty``."""
    present = set(
        get_user_model()
        .objects.filter(username__in=[p[0] for p in PERSONAS], is_active=True)
        .values_list("username", flat=True)
    )
    for username, roles, _unit, name, name_en, *_rest in PERSONAS:
        if username in present:
            ctx.account(username, ", ".join(R.role_label(r) for r in roles), name, name_en)
