"""The demo enterprise: a registry of builders, one per app, run in dependency order.

Each app registers its own builder from its ``AppConfig.ready()`` with
``demo_builder_register(name, build, after=(...))``, naming the builders whose objects it reads;
nothing here knows which apps exist. Builders write through the services (so the demo's audit
chain is a real one) and leave what later builders need in ``ctx.objects``. Everything is drawn
from ``ctx.rng``, seeded, so two runs give the same names and codes.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

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


@dataclass(frozen=True)
class DemoBuilder:
    """One app's part of the demo. ``after`` names the builders it reads objects from;
    ``present`` says whether the database already holds this part (the demo loads only into an
    empty database); ``accounts`` lists the demo accounts still present, for ``--if-empty``."""

    name: str
    build: Callable[[DemoContext], None]
    after: tuple[str, ...] = ()
    present: Callable[[], bool] | None = None
    accounts: Callable[[DemoContext], None] | None = None


_REGISTRY: dict[str, DemoBuilder] = {}


def demo_builder_register(
    name: str,
    build: Callable[[DemoContext], None],
    *,
    after: Iterable[str] = (),
    present: Callable[[], bool] | None = None,
    accounts: Callable[[DemoContext], None] | None = None,
) -> None:
    """Called from an app's ``ready()``; registering a name twice is a programming error."""
    if name in _REGISTRY and _REGISTRY[name].build is not build:
        raise ValueError(f"demo builder {name!r} is registered twice")
    _REGISTRY[name] = DemoBuilder(name, build, tuple(after), present, accounts)


def demo_builders(names: Iterable[str] | None = None) -> list[DemoBuilder]:
    """The registered builders (or those named), each after the builders it depends on."""
    wanted = list(_REGISTRY) if names is None else list(names)
    unknown = [n for n in wanted if n not in _REGISTRY]
    if unknown:
        raise KeyError(f"no demo builder named {', '.join(unknown)}")
    ordered: list[DemoBuilder] = []
    state: dict[str, str] = {}

    def visit(name: str) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise ValueError(f"demo builders depend on each other in a circle through {name!r}")
        state[name] = "visiting"
        for dep in _REGISTRY[name].after:
            if dep not in _REGISTRY:
                raise KeyError(f"demo builder {name!r} runs after {dep!r}, which is not registered")
            if dep in wanted:
                visit(dep)
        state[name] = "done"
        ordered.append(_REGISTRY[name])

    for name in wanted:
        visit(name)
    return ordered


def demo_has_data() -> bool:
    return any(b.present() for b in _REGISTRY.values() if b.present is not None)


def demo_accounts_present(ctx: DemoContext) -> None:
    for builder in demo_builders():
        if builder.accounts is not None:
            builder.accounts(ctx)


@transaction.atomic
def demo_build(
    *,
    scale: str = "small",
    seed: int = DEMO_SEED,
    builders: Iterable[str | Callable[[DemoContext], None]] | None = None,
) -> DemoContext:
    """Run every builder in one transaction: the demo is there completely or not at all.

    ``builders`` (tests) names registered builders or passes builder functions, run in the
    order given."""
    ctx = DemoContext(scale=scale, seed=seed)
    steps: list[tuple[str, Callable[[DemoContext], None]]]
    if builders is None:
        steps = [(b.name, b.build) for b in demo_builders()]
    else:
        steps = [
            (b, _REGISTRY[b].build) if isinstance(b, str) else (getattr(b, "__qualname__", "?"), b)
            for b in builders
        ]
    for name, build in steps:
        started = time.monotonic()
        build(ctx)
        ctx.timings[name] = time.monotonic() - started
    return ctx
