"""The registers part's rows of the permission matrix (§7.2.1.1–§7.2.1.3).

Every member reads the requirements register, the risk register, the matrix, the published
risk-control lists (and their PDF) and the key posts. The register keepers (the CQO, the
deputy, quality engineers; also the holder of a quality-safety director or officer post: the
matrix world's inspector holds an officer post, given by the regime part's builder) open the forms for new sources, requirements and risks. Publishing the list
and configuring the matrix are the CQO's (or the quality-safety director's). The buttons are
POST only (405 to a GET). In the API, the same keepers write sources, requirements, risks and
controls; an impact review is closed by a keeper or its owner (the quality engineer here); the
CQO publishes a list.
"""

from __future__ import annotations

from typing import Any

from cqo.testing.matrix import ANONYMOUS

KEEPERS = ("cqo", "deputy", "quality_engineer", "inspector")


def _page(**who: int) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 200, **who}


def _page_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 403, **dict.fromkeys(roles, 200)}


POST_ONLY = {ANONYMOUS: 302, "*": 405}
API_READ = {ANONYMOUS: 403, "*": 200}
API_POST_ONLY = {ANONYMOUS: 403, "*": 405}

EXPECTED: dict[str, dict[str, int]] = {
    "safety:requirement_list": _page(),
    "safety:requirement_new": _page_for(*KEEPERS),
    "safety:requirement_detail": _page(),
    "safety:requirement_void": POST_ONLY,
    "safety:source_new": _page_for(*KEEPERS),
    "safety:source_detail": _page(),
    "safety:source_version": POST_ONLY,
    "safety:review_close": POST_ONLY,
    "safety:risk_list": _page(),
    "safety:risk_new": _page_for(*KEEPERS),
    "safety:matrix": _page(),
    "safety:risk_detail": _page(),
    "safety:control_add": POST_ONLY,
    "safety:risk_void": POST_ONLY,
    "safety:control_void": POST_ONLY,
    "safety:control_list": _page(),
    "safety:control_list_publish": POST_ONLY,
    "safety:control_list_version": _page(),
    "safety:control_list_pdf": _page(),
    "safety:key_post_list": _page(),
    "safety:key_post_acknowledge": POST_ONLY,
    "api:safety:source-list": API_READ,
    "api:safety:source-detail": API_READ,
    "api:safety:source-version": API_POST_ONLY,
    "api:safety:requirement-list": API_READ,
    "api:safety:requirement-detail": API_READ,
    "api:safety:review-list": API_READ,
    "api:safety:review-detail": API_READ,
    "api:safety:review-close": API_POST_ONLY,
    "api:safety:risk-list": API_READ,
    "api:safety:risk-detail": API_READ,
    "api:safety:risk-controls": API_POST_ONLY,
    "api:safety:control-list-list": API_READ,
    "api:safety:control-list-detail": API_READ,
    "api:safety:control-list-controls": API_READ,
    "api:safety:key-post-list": API_READ,
}

API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:safety:source-list": KEEPERS,
    "api:safety:source-version": KEEPERS,
    "api:safety:requirement-list": KEEPERS,
    "api:safety:review-close": KEEPERS,
    "api:safety:risk-list": KEEPERS,
    "api:safety:risk-detail": KEEPERS,
    "api:safety:risk-controls": KEEPERS,
    "api:safety:control-list-list": ("cqo",),
}

OBJECT_FOR_PK: dict[str, str] = {
    "safety:requirement_": "safety_requirement",
    "safety:source_": "safety_source",
    "safety:review_": "safety_review",
    "safety:risk_": "safety_risk",
    "safety:control_add": "safety_risk",
    "safety:control_void": "safety_control",
    "safety:key_post_": "safety_key_post",
    "api:safety:source-": "safety_source",
    "api:safety:requirement-": "safety_requirement",
    "api:safety:review-": "safety_review",
    "api:safety:risk-": "safety_risk",
    "api:safety:control-list-": "safety_control_list",
}


def _version(world: Any) -> dict[str, Any]:
    return {"version": world.objects["safety_control_list"].version}


KWARGS: dict[str, Any] = {
    "safety:control_list_version": _version,
    "safety:control_list_pdf": _version,
}
PUBLIC_WRITES: dict[str, str] = {}


def build(world: Any) -> None:
    """A source with a requirement and an open impact review owned by the quality engineer, a
    risk with a daily control, the list published from it, and a key post held by the
    employee."""
    import datetime

    from django.utils import timezone

    from cqo.organisation.models import PostAssignment, PostKind
    from cqo.safety import services_registers as S
    from cqo.testing.factories import PostFactory

    cqo = world.users["cqo"]
    engineer = world.users["quality_engineer"]
    today = timezone.localdate()
    source = S.source_add(actor=cqo, kind="mandatory_standard", code="GB 0000", title="矩阵标准",
                          version="2020", owner=engineer)  # fmt: skip
    world.objects["safety_source"] = source
    world.objects["safety_requirement"] = S.requirement_add(
        actor=cqo, source=source, family="brake_caliper", source_clause="1", text="矩阵要求",
        owner=engineer, review_on=today + datetime.timedelta(days=90),
    )  # fmt: skip
    world.objects["safety_review"] = S.source_version_new(actor=cqo, source=source,
                                                          version="2024")  # fmt: skip
    risk = S.risk_add(actor=cqo, family="brake_caliper", process="装配", hazard="矩阵危害",
                      likelihood=3, severity=4, residual_likelihood=2, residual_severity=4,
                      owner=engineer)  # fmt: skip
    world.objects["safety_risk"] = risk
    world.objects["safety_control"] = S.control_add(actor=cqo, risk=risk, text="矩阵管控",
                                                    frequency="daily")  # fmt: skip
    world.objects["safety_control_list"] = S.control_list_publish(actor=cqo)
    post: Any = PostFactory(unit=world.objects["unit"], kind=PostKind.KEY_POST, code="MX-KEY",
                            name="矩阵关键岗位", responsibilities="矩阵职责")  # fmt: skip
    PostAssignment.objects.create(person=world.users["employee"].person, post=post,
                                  start_date=today - datetime.timedelta(days=1))  # fmt: skip
    world.objects["safety_key_post"] = post
