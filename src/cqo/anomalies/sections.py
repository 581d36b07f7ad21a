"""The sections of the NCR page (``anomalies:ncr_detail``) that the parts of the app contribute
without editing the NCR's templates.

Each part registers its section once, from its ``register_<part>()``::

    section_register("mrb", order=30, template="anomalies/mrb/_section.html",
                     context_fn=mrb_section_context)

``context_fn(request, anomaly) -> dict | None`` reads what the section shows (through the part's
selectors, scoped to ``request.user``); ``None`` leaves the section out (for instance when the
reader may not see it). The page renders the sections in ``order`` (ties by key), each template
included with its own context plus ``anomaly`` and ``request``. The NCR core uses orders below
20 (containment is 10); mrb 30, costs 40, capa 50, scar 60, complaints 70.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

ContextFn = Callable[[HttpRequest, Any], "dict[str, Any] | None"]


@dataclass(frozen=True)
class Section:
    key: str
    order: int
    template: str
    context_fn: ContextFn


_SECTIONS: dict[str, Section] = {}


def section_register(key: str, order: int, template: str, context_fn: ContextFn) -> None:
    """Add (or replace, by key) a section of the NCR page."""
    _SECTIONS[key] = Section(key=key, order=order, template=template, context_fn=context_fn)


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def sections_render_list(request: HttpRequest, anomaly: Any) -> list[dict[str, Any]]:
    """The sections to show for ``anomaly``: each ``{"key", "template", "context"}``."""
    shown = []
    for section in sections():
        context = section.context_fn(request, anomaly)
        if context is None:
            continue
        shown.append(
            {
                "key": section.key,
                "template": section.template,
                "context": {**context, "anomaly": anomaly, "request": request},
            }
        )
    return shown
