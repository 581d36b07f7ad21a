"""``{% lot_spc_characteristics ilot as rows %}``: the SPC part of the inspection lot's page."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors_spc import lot_spc_characteristics as _rows

register = template.Library()


@register.simple_tag
def lot_spc_characteristics(inspection_lot: Any) -> list[dict[str, Any]]:
    if inspection_lot is None:
        return []
    return _rows(inspection_lot)
