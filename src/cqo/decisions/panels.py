"""Dashboard panels of proposals (§6 b))."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from cqo.authorities.panels import LIMIT, _waiting, cqo_or_delegate_of
from cqo.core.links import url_or_empty
from cqo.workbench.panels import Panel, PanelItem, PanelItems, panel_register

from . import selectors as sel


def _proposal_items(qs: Any) -> PanelItems:
    rows = list(qs[:LIMIT])
    items = [
        PanelItem(
            title=p.title,
            url=url_or_empty("decisions:proposal_detail", p.pk),
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


def register() -> None:
    panels = [
        Panel(
            "proposals_open", gettext_lazy("Proposals awaiting an answer"), "§6 b)",
            gettext_lazy("Every proposal to the decision layer has been answered."),
            items=proposals_open, audience=cqo_or_delegate_of("b"), order=20,
            more_url_name="decisions:proposal_list",
        ),
        Panel(
            "proposals_to_answer", gettext_lazy("Proposals to answer"), "§6 b)",
            gettext_lazy("No proposal from the CQO is waiting for your answer."),
            items=proposals_to_answer, roles=frozenset({"principal"}), order=15,
            more_url_name="decisions:proposal_list",
        ),
    ]  # fmt: skip
    for panel in panels:
        panel_register(panel)
