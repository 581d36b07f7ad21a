"""Set-up for tests of the safety registers (§7.2.1.1–§7.2.1.3): a requirement source with a
requirement, risks with daily, weekly and monthly controls, a published risk-control list, and
a key post with a holder. Written through the services (they are short), as the CQO."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cqo.organisation.models import PostAssignment, PostKind
from cqo.testing.factories import PostFactory


def source(org: Any, **overrides: Any) -> Any:
    from cqo.safety.services_registers import source_add

    values: dict[str, Any] = {
        "kind": "mandatory_standard",
        "code": "GB 21670-2008",
        "title": "乘用车制动系统技术要求及试验方法",
        "title_en": "Technical requirements and testing methods for passenger car braking system",
        "version": "2008",
        "owner": org.engineer,
        **overrides,
    }
    return source_add(actor=org.cqo, **values)


def requirement(org: Any, src: Any = None, **overrides: Any) -> Any:
    from cqo.safety.services_registers import requirement_add

    values: dict[str, Any] = {
        "source": src or source(org),
        "family": "brake_caliper",
        "source_clause": "5.2.1",
        "text": "行车制动系统应在任何速度下有效。",
        "applicability": "全部制动钳产品",
        "owner": org.engineer,
        "review_on": timezone.localdate() + datetime.timedelta(days=180),
        **overrides,
    }
    return requirement_add(actor=org.cqo, **values)


def risk(org: Any, *, controls: tuple[str, ...] = ("daily",), **overrides: Any) -> Any:
    """A risk rated 4 × 5 before and 2 × 5 after its controls, one control per frequency
    named in ``controls`` (recorded by the inspector)."""
    from cqo.safety.services_registers import control_add, risk_add

    values: dict[str, Any] = {
        "family": "brake_caliper",
        "process": "活塞孔精镗",
        "hazard": "活塞孔尺寸超差导致制动液泄漏",
        "cause": "刀具磨损",
        "consequence": "制动失效",
        "likelihood": 4,
        "severity": 5,
        "residual_likelihood": 2,
        "residual_severity": 5,
        "owner": org.engineer,
        **overrides,
    }
    made = risk_add(actor=org.cqo, **values)
    for frequency in controls:
        control_add(actor=org.cqo, risk=made, text=f"{frequency} 检查活塞孔尺寸",
                    frequency=frequency, owner=org.inspector)  # fmt: skip
    return made


def published_list(org: Any, **kwargs: Any) -> Any:
    """A risk (with daily, weekly and monthly controls) and the list published from it."""
    from cqo.safety.services_registers import control_list_publish

    risk(org, controls=("daily", "weekly", "monthly"))
    return control_list_publish(actor=org.cqo, **kwargs)


def key_post(org: Any, *, holder: Any = None, responsibilities: str = "负责制动钳总成的最终扭矩检验，发现异常立即停线。",
             code: str = "P-KEY-1") -> Any:  # fmt: skip
    """A key post in production, held by ``holder`` (a user with a person) since a month ago."""
    post: Any = PostFactory(
        unit=org.production, code=code, kind=PostKind.KEY_POST, name="制动钳扭矩检验岗",
        responsibilities=responsibilities,
    )  # fmt: skip
    if holder is not None:
        PostAssignment.objects.create(
            person=holder.person, post=post,
            start_date=timezone.localdate() - datetime.timedelta(days=30),
        )  # fmt: skip
    return post
