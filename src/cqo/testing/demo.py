"""The demo in other apps' tests: leave out the builders a test does not look at.

The master data and the inspection year (about 6,000 lots written in bulk) cost half a minute
of CPU per build; they are tested where they are built (``inspection/tests/test_demo.py``). A
test of the organisation's or the authorities' demo, which builds the demo several times, runs
without them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

HEAVY = ("masterdata", "inspection")

# The builders most demo-year tests stand on: the master data is two thirds of a partial build's
# CPU (about 20 s of a 25-s build, under load), so the ``demo_kernel`` fixture builds them once
# per test process and puts their rows back for each test.
KERNEL = ("organisation", "post", "authorities", "masterdata")


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


def demo_kernel_build() -> Any:
    from cqo.core.demo import demo_build

    return demo_build(builders=KERNEL)


def demo_build_on(ctx: Any, builders: Iterable[str | Callable[[Any], None]]) -> Any:
    """Run ``builders`` on ``ctx``, a context the kernel's builders left (``demo_kernel``), in
    one transaction, as ``demo_build(builders=KERNEL + builders)`` would: same random draws,
    same objects, same rows."""
    from django.db import transaction

    from cqo.core import demo as core_demo

    with transaction.atomic():
        for builder in builders:
            if isinstance(builder, str):
                name, build = builder, core_demo._REGISTRY[builder].build
            else:
                name, build = getattr(builder, "__qualname__", "?"), builder
            started = time.monotonic()
            build(ctx)
            ctx.timings[name] = time.monotonic() - started
    return ctx
