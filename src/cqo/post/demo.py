"""Demo data of the CQO post: 刘晓梅 (``cqo``) appointed by 陈志远 (``principal``), qualified with
evidence on file, and a completed knowledge and ability assessment. It runs after the
organisation builder; the charter's builder issues the charter later."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cqo.core.demo import DemoContext
from cqo.organisation.models import EducationLevel, TitleLevel

from . import services as S
from .models import AppointmentKind, CompetenceArea, EvidenceKind, LedFunction, PostForm

# (kind, title, issuer, number, issued, valid until, education, title level, years of quality
# work): what the CQO's record claims (master's, associate senior title, 14 years), each shown.
EVIDENCE: list[
    tuple[str, str, str, str, datetime.date, datetime.date | None, str, str, int | None]
] = [
    (
        EvidenceKind.DIPLOMA, "本科毕业证书（机械设计制造及其自动化）", "重庆大学",
        "106111200905000823",
        datetime.date(2009, 6, 30), None, EducationLevel.BACHELOR, "", None,
    ),
    (
        EvidenceKind.DIPLOMA, "工程硕士学位证书（质量工程）", "重庆大学", "1061132015000417",
        datetime.date(2015, 6, 28), None, EducationLevel.MASTER, "", None,
    ),
    (
        EvidenceKind.TITLE_CERTIFICATE, "高级工程师（副高级）职称证书",
        "重庆市人力资源和社会保障局",
        "渝高评字2018-0417", datetime.date(2018, 12, 20), None, "", TitleLevel.ASSOCIATE_SENIOR,
        None,
    ),
    (
        EvidenceKind.TRAINING_CERTIFICATE, "首席质量官培训合格证书", "重庆市市场监督管理局",
        "CQ-SXZLG-2024-0156", datetime.date(2024, 9, 26), datetime.date(2027, 9, 25), "", "",
        None,
    ),
    (
        EvidenceKind.WORK_RECORD, "质量管理工作经历证明（人力资源部出具）", "重庆渝嘉摩托车零部件有限公司",
        "YJ-HR-2024-031", datetime.date(2024, 8, 1), None, "", "", 14,
    ),
]  # fmt: skip

# Self and principal scores per area (§5.2.1–§5.2.3, §5.3.1–§5.3.5).
SCORES = {
    "k1": (4, 4), "k2": (5, 4), "k3": (3, 3),
    "a1": (4, 4), "a2": (4, 5), "a3": (4, 4), "a4": (4, 4), "a5": (3, 3),
}  # fmt: skip


def build(ctx: DemoContext) -> None:
    users = ctx.get("organisation.users")
    people = ctx.get("organisation.people")
    principal, cqo_user = users["principal"], users["cqo"]
    cqo = people["cqo"]
    today = timezone.localdate()

    for kind, title, issuer, number, issued, until, education, level, years in EVIDENCE:
        S.evidence_add(
            actor=cqo_user,
            person=cqo,
            kind=kind,
            title=title,
            issuer=issuer,
            number=number,
            issued_on=issued,
            expires_on=until,
            education=education,
            title_level=level,
            quality_years=years,
        )
    appointment = S.appointment_create(
        actor=principal,
        person=cqo,
        kind=AppointmentKind.APPOINTMENT,
        effective_from=today,
        effective_to=today.replace(year=today.year + 3) - datetime.timedelta(days=1)
        if not (today.month == 2 and today.day == 29)
        else datetime.date(today.year + 3, 2, 28),
        post_form=PostForm.CONCURRENT,
        holder_position="副总经理",
        functions=list(LedFunction.values),
        also_quality_safety_director=True,
        note="经公司总经理办公会研究决定。",
        declarations={
            code: False for code in ("serious_error", "abuse_of_office", "leaked_secrets")
        },
        password=ctx.password,
    )
    ctx.add("post.appointment", appointment)

    assessment = S.assessment_create(
        actor=principal,
        person=cqo,
        assessed_on=today - datetime.timedelta(days=14),
        summary="年度首席质量官知识与能力评价。",
    )
    S.assessment_score(
        actor=cqo_user, assessment=assessment, scores={k: v[0] for k, v in SCORES.items()}
    )
    S.assessment_score(
        actor=principal, assessment=assessment, scores={k: v[1] for k, v in SCORES.items()}
    )
    S.assessment_action_add(
        actor=cqo_user,
        assessment=assessment,
        area=CompetenceArea.K_BUSINESS,
        action="参加变革管理与战略管理专题培训（不少于24学时）",
        due_on=today + datetime.timedelta(days=120),
    )
    S.assessment_action_add(
        actor=cqo_user,
        assessment=assessment,
        area=CompetenceArea.A_INNOVATION,
        action="牵头一项质量创新课题并形成企业标准",
        due_on=today + datetime.timedelta(days=240),
    )
    S.assessment_complete(actor=principal, assessment=assessment)
    ctx.add("post.assessment", assessment)
