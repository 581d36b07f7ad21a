"""Tags that give the results part's partials what they show on the lot's page, whose view
belongs to the lots part: ``{% results_summary ilot user as r %}``,
``{% results_decision ilot user as d %}``."""

from __future__ import annotations

from typing import Any

from django import template

from cqo.inspection import selectors_results as sel

register = template.Library()


@register.simple_tag
def results_summary(ilot: Any, user: Any) -> dict[str, Any]:
    return {
        "tally": sel.lot_tally(ilot),
        "attachments": sel.attachments_of(ilot),
        "may_record": ilot.status != "decided"
        and user.has_perm("inspection.add_measurement", ilot),
    }


@register.simple_tag
def results_decision(ilot: Any, user: Any) -> dict[str, Any]:
    from cqo.inspection.views_results import decision_context

    return decision_context(user, ilot)
