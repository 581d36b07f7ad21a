"""The CQO's workbench panel of key posts (§7.2.1.3): each key post that is vacant, has no
written responsibilities, or whose holder has not acknowledged them as written now."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqo.authorities.panels import LIMIT, cqo_in_office
from cqo.core.clauses import clause
from cqo.core.links import url_or_empty
from cqo.workbench.panels import Panel, PanelItem, PanelItems, panel_register

from . import selectors_registers as sel

CLAUSE = clause("§7.2.1.3")


def key_posts_wanting(user: Any) -> PanelItems:
    states = sel.key_posts_wanting(user)
    url = url_or_empty("safety:key_post_list")
    items = []
    for state in states[:LIMIT]:
        if state.vacant:
            meta, tone = _("Vacant"), "danger"
        elif not state.written:
            meta, tone = _("Responsibilities not written"), "danger"
        else:
            waiting = sum(1 for h in state.holders if not h.acknowledged_at)
            meta = _("Not acknowledged by %(n)s holder(s)") % {"n": waiting}
            tone = "warning"
        items.append(PanelItem(title=str(state.post), url=url, meta=meta, clause=CLAUSE,
                               tone=tone))  # fmt: skip
    return PanelItems(items, total=len(states) if len(states) > LIMIT else None)


def register() -> None:
    panel_register(
        Panel(
            "key_posts_wanting", gettext_lazy("Key posts needing attention"), CLAUSE,
            gettext_lazy("Every key post is held, its responsibilities written and acknowledged."),
            items=key_posts_wanting, roles=frozenset({"cqo"}),
            audience=cqo_in_office, order=27, more_url_name="safety:key_post_list",
        )
    )  # fmt: skip
