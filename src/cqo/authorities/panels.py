"""The workbench panels of the authorities (§6): what waits for the CQO and for the principal.

Registered from ``AuthoritiesConfig.ready``; each replaces the workbench's placeholder of the same
key. Each panel reads a handful of rows with one or two queries.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqo.workbench.panels import CQO_SIDE, Panel, PanelItem, PanelItems, panel_register
from cqo.workbench.templatetags.workbench import url_or_empty

from . import selectors as sel

LIMIT = 6


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


def _proposal_items(qs: Any) -> PanelItems:
    rows = list(qs[:LIMIT])
    items = [
        PanelItem(
            title=p.title,
            url=url_or_empty("authorities:proposal_detail", p.pk),
            meta=_waiting(p.age_days),
            when=p.submitted_at,
            clause="§6 b)",
            tone="danger" if p.age_days > 14 else "warning" if p.age_days > 7 else "",
        )
        for p in rows
    ]
    return PanelItems(items, total=qs.count() if len(rows) == LIMIT else None)


def proposals_open(user: Any) -> PanelItems:
    return _proposal_items(sel.proposals_awaiting_answer(user))


def proposals_to_answer(user: Any) -> PanelItems:
    return _proposal_items(sel.proposals_to_answer(user))


def vetoes_active(user: Any) -> PanelItems:
    qs = sel.vetoes_visible(user, active=True)
    rows = list(qs[:LIMIT])
    items = [
        PanelItem(
            title=v.subject_repr,
            url=(
                url_or_empty("authorities:decision_detail", v.object_id)
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
            items=approvals_awaiting_me, roles=CQO_SIDE, order=10,
            more_url_name="authorities:approval_list",
        ),
        Panel(
            "proposals_open", gettext_lazy("Proposals awaiting an answer"), "§6 b)",
            gettext_lazy("Every proposal to the decision layer has been answered."),
            items=proposals_open, roles=CQO_SIDE, order=20,
            more_url_name="authorities:proposal_list",
        ),
        Panel(
            "proposals_to_answer", gettext_lazy("Proposals to answer"), "§6 b)",
            gettext_lazy("No proposal from the CQO is waiting for your answer."),
            items=proposals_to_answer, roles=frozenset({"principal"}), order=15,
            more_url_name="authorities:proposal_list",
        ),
        Panel(
            "vetoes", gettext_lazy("Active vetoes"), "§6 i)",
            gettext_lazy("No decision is held by a one-vote veto."),
            items=vetoes_active, roles=frozenset({"cqo", "deputy", "principal", "auditor"}),
            order=30, more_url_name="authorities:veto_list",
        ),
        Panel(
            "delegations_expiring", gettext_lazy("Delegations about to expire"), "§6",
            gettext_lazy("No delegation ends within the next 14 days."),
            items=delegations_expiring, roles=CQO_SIDE, order=40,
            more_url_name="authorities:delegation_list",
        ),
    ]  # fmt: skip
    for panel in panels:
        panel_register(panel)
