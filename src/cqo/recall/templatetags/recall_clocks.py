"""``{% load recall_clocks %}{% case_clocks case as rows %}``: a case's clocks for a template that
only has the case (the case page includes ``recall/clocks_section.html``)."""

from __future__ import annotations

from typing import Any

from django import template

from cqo.recall.selectors_clocks import ClockRow, clocks_of

register = template.Library()


@register.simple_tag
def case_clocks(case: Any) -> list[ClockRow]:
    if case is None or getattr(case, "pk", None) is None:
        return []
    return clocks_of(case)
