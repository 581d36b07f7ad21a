"""The workbench panels of the authorities (§6): what waits for the CQO and for the principal.

Registered from ``AuthoritiesConfig.ready``; each replaces the workbench's placeholder of the same
key. Each panel reads a handful of rows with one or two queries.

Who sees the CQO's panels follows the authorities themselves, not the ``cqo`` group: the CQO in
office, and a delegate in force of the authority a panel is about (approvals and expiring
delegations: any delegated authority; proposals: §6 b); vetoes: §6 i)). The principal's panels
stay with the principal role.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqo.core import request_cache
from cqo.core.links import url_or_empty
from cqo.workbench.panels import Panel, PanelItem, PanelItems, cqo_in_office, panel_register

from . import engine
from . import selectors as sel

LIMIT = 6


def delegated_codes(user: Any) -> frozenset[str]:
    """The authorities ``user`` holds today through a delegation in force that covers some unit
    and is still backed by its delegator. Asked once per request (``cqo.core.request_cache``)."""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return frozenset()

    def ask() -> frozenset[str]:
        from cqo.organisation.models import PersonStatus

        from .models import Delegation

        codes: set[str] = set()
        delegations = (
            Delegation.objects.in_force()
            .filter(delegate__user=user, delegate__status=PersonStatus.ACTIVE)
            .select_related("delegator")
            .prefetch_related("units")
        )
        with engine.memo():
            for d in delegations:
                if (
                    d.authority not in codes
                    and engine.covers(d, None)
                    and engine.delegation_valid(d)
                ):
                    codes.add(d.authority)
        return frozenset(codes)

    return request_cache.remember(("authorities.delegated_codes", user.pk), ask)


def cqo_or_any_delegate(user: Any) -> bool:
    """The CQO in office, or a delegate in force of any authority."""
    return cqo_in_office(user) or bool(delegated_codes(user))


def cqo_or_delegate_of(code: str) -> Any:
    """An audience: the CQO in office, or a delegate in force of authority ``code``."""

    def audience(user: Any) -> bool:
        return cqo_in_office(user) or code in delegated_codes(user)

    audience.__name__ = f"cqo_or_delegate_of_{code}"
    return audience


def _waiting(days: int) -> str:
    return _("waiting %(days)s days") % {"days": days}


def approvals_awaiting_me(user: Any) -> PanelItems:
    qs = sel.approvals_awaiting(user).select_related(None)
    rows = list(qs[:LIMIT])
    items = [
        PanelItem(
            title=f"{a.get_kind_display()}: {a.summary[:60]}",
            url=url_or_empty("authorities:approval_detail", a.pk),
            meta=(
                _("overdue by %(days)s days") % {"days": a.days_overdue}
                if a.is_overdue
                else _waiting(a.age_days)
            ),
            when=a.raised_at,
            clause=a.clause,
            tone="danger" if a.is_overdue else "",
        )
        for a in rows
    ]
    return PanelItems(items, total=qs.count() if len(rows) == LIMIT else None)


def vetoes_active(user: Any) -> PanelItems:
    qs = sel.vetoes_visible(user, active=True)
    rows = list(qs[:LIMIT])
    items = [
        PanelItem(
            title=v.subject_repr,
            url=(
                url_or_empty("decisions:decision_detail", v.object_id)
                if v.content_type.model == "businessdecision"
                else url_or_empty("authorities:veto_list")
            ),
            meta=v.reason[:80],
            when=v.vetoed_at,
            clause="§6 i)",
            tone="danger",
        )
        for v in rows
    ]
    return PanelItems(items, total=qs.count() if len(rows) == LIMIT else None)


def delegations_expiring(user: Any) -> PanelItems:
    rows = sel.delegations_expiring(user)[:LIMIT]
    items = [
        PanelItem(
            title=f"{d.clause} → {d.delegate}",
            url=url_or_empty("authorities:delegation_list"),
            meta=_("ends %(date)s") % {"date": d.end_date.isoformat()},
            when=None,
            clause=d.clause,
            tone="warning",
        )
        for d in rows
    ]
    return PanelItems(items)


def register() -> None:
    panels = [
        Panel(
            "approvals", gettext_lazy("Approvals awaiting me"), "§6 c)",
            gettext_lazy("Nothing awaits your approval. Requests routed to you by authority and "
                         "unit appear here, oldest first."),
            items=approvals_awaiting_me, audience=cqo_or_any_delegate, order=10,
            more_url_name="authorities:approval_list",
        ),
        Panel(
            "vetoes", gettext_lazy("Active vetoes"), "§6 i)",
            gettext_lazy("No decision is held by a one-vote veto."),
            items=vetoes_active, roles=frozenset({"principal", "auditor"}),
            audience=cqo_or_delegate_of("i"), order=30, more_url_name="authorities:veto_list",
        ),
        Panel(
            "delegations_expiring", gettext_lazy("Delegations about to expire"), "§6",
            gettext_lazy("No delegation ends within the next 14 days."),
            items=delegations_expiring, audience=cqo_or_any_delegate, order=40,
            more_url_name="authorities:delegation_list",
        ),
    ]  # fmt: skip
    for panel in panels:
        panel_register(panel)
