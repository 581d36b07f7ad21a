"""The demo in other apps' tests: leave out the builders a test does not look at.

The master data and the inspection year (about 6,000 lots written in bulk) cost half a minute
of CPU per build; they are tested where they are built (``inspection/tests/test_demo.py``). A
test of the organisation's or the authorities' demo, which builds the demo several times, runs
without them.
"""

from __future__ import annotations

from typing import Any

HEAVY = ("masterdata", "inspection")


def demo_without(monkeypatch: Any, names: tuple[str, ...] = HEAVY) -> None:
    """For one test: ``cqo demo`` and ``demo_build()`` run every builder except ``names`` and
    those that run after them."""
    from cqo.core import demo as core_demo

    left_out = set(names)
    kept = dict(core_demo._REGISTRY)
    changed = True
    while changed:
        changed = False
        for name, builder in list(kept.items()):
            if name in left_out or left_out & set(builder.after):
                left_out.add(name)
                del kept[name]
                changed = True
    monkeypatch.setattr(core_demo, "_REGISTRY", kept)
