"""The demo enterprise: a registry of builders, one per app, run in order.

Each builder is a function ``build(ctx)`` named by its dotted path in ``BUILDERS``; an app that
has demo data appends its own after the apps it depends on. Builders write through the services
(so the demo's audit chain is a real one) and leave what later builders need in ``ctx.objects``.
Everything is drawn from ``ctx.rng``, seeded, so two runs give the same names and codes.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string

BUILDERS: list[str] = [
    "cqo.organisation.demo.build",
    "cqo.post.demo.build",
    "cqo.authorities.demo.build",
    "cqo.post.demo.build_charter",
]

SCALES = ("small", "large")
DEMO_PASSWORD = "Yujia-Demo-2026"  # noqa: S105 — printed for everyone to use; demo data only
DEMO_SEED = 20241108  # the day DB50/T 1696-2024 came into force


@dataclass
class DemoAccount:
    username: str
    role: str
    name: str
    name_en: str = ""


@dataclass
class DemoContext:
    scale: str = "small"
    seed: int = DEMO_SEED
    password: str = DEMO_PASSWORD
    rng: random.Random = field(init=False)
    objects: dict[str, Any] = field(default_factory=dict)
    accounts: list[DemoAccount] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.scale not in SCALES:
            raise ValueError(f"scale must be one of {', '.join(SCALES)}")
        self.rng = random.Random(self.seed)

    @property
    def large(self) -> bool:
        return self.scale == "large"

    def add(self, key: str, obj: Any) -> Any:
        if key in self.objects:
            raise KeyError(f"demo object {key!r} already set")
        self.objects[key] = obj
        return obj

    def get(self, key: str) -> Any:
        return self.objects[key]

    def account(self, username: str, role: str, name: str, name_en: str = "") -> None:
        self.accounts.append(DemoAccount(username, role, name, name_en))


def demo_has_data() -> bool:
    from cqo.organisation.models import Enterprise

    return Enterprise.objects.exists()


@transaction.atomic
def demo_build(
    *, scale: str = "small", seed: int = DEMO_SEED, builders: list[str] | None = None
) -> DemoContext:
    """Run every builder in one transaction: the demo is there completely or not at all."""
    ctx = DemoContext(scale=scale, seed=seed)
    for dotted in builders if builders is not None else BUILDERS:
        started = time.monotonic()
        import_string(dotted)(ctx)
        ctx.timings[dotted] = time.monotonic() - started
    return ctx
