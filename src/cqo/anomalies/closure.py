"""What stands between an NCR and its closure (§6 c)): a registry the parts of the app fill.

An NCR closes only when nothing registered here objects. Each part registers one check from its
``register_<part>()``::

    closure_obstacle_register("mrb", mrb_closure_obstacles)

``check(anomaly) -> list[str]`` returns the reasons, already in the reader's language, each
naming the field and the clause (built with ``cqo.core.clauses.clause``), e.g. "Dispositions:
12 of 40 pieces are not dispositioned yet (§6 c))." An empty list means no objection. The NCR core
registers its own check (``containment``: no hold of the NCR still open on a lot). The review
board adds "the whole quantity dispositioned and every disposition done", CAPA "every linked
CAPA closed with its effectiveness checked by another person".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ObstacleFn = Callable[[Any], list[str]]

_CHECKS: dict[str, ObstacleFn] = {}


def closure_obstacle_register(key: str, check: ObstacleFn) -> None:
    """Add (or replace, by key) a condition an NCR must meet to close."""
    _CHECKS[key] = check


def closure_obstacle_unregister(key: str) -> None:
    """Take a condition out (a test that registered one of its own)."""
    _CHECKS.pop(key, None)


def closure_obstacles(anomaly: Any) -> list[str]:
    """Every registered reason ``anomaly`` may not close yet, in registration order."""
    found: list[str] = []
    for check in _CHECKS.values():
        found.extend(check(anomaly))
    return found
