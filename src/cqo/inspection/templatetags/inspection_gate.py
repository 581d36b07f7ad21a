"""``{% gate_panel lot %}``: the gate's part of a lot's page (status, why it may not be released,
holds, the release and hold forms), so the inspection lot's page includes it with the one context
it has (``lot``)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("inspection/gate/_gate_panel.html", takes_context=True)
def gate_panel(context: Any, lot: Any) -> dict[str, Any]:
    from cqo.inspection.views_gate import gate_context

    request = context["request"]
    return {"request": request, "user": request.user, "csrf_token": context.get("csrf_token"),
            **gate_context(request, lot)}  # fmt: skip
