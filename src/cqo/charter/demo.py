"""Demo data of the charter (§4.2): the principal approves and publishes a version generated from
the demo's data. It runs after every builder that adds delegations (a delegation marks the
published charter out of date), so the demo opens with a charter that is current."""

from __future__ import annotations

from typing import Any

from cqo.core.demo import DemoContext

from . import services as S
from .selectors import charter_pending, charter_published


def _charter_issue(ctx: DemoContext, principal: Any, cqo_user: Any) -> Any:
    charter = S.charter_generate(
        actor=cqo_user, veto_delegable=False, note="依据现行任命和授权生成。"
    )
    charter = S.charter_approve(actor=principal, charter=charter, password=ctx.password)
    return S.charter_publish(actor=principal, charter=charter)


def build(ctx: DemoContext) -> None:
    """Issue a new charter version when later demo data (a delegation) made the published one
    out of date; nothing to do otherwise."""
    published = charter_published()
    if published is not None and not published.is_outdated and charter_pending() is None:
        return
    users = ctx.get("organisation.users")
    ctx.objects["charter.charter"] = _charter_issue(ctx, users["principal"], users["cqo"])
