"""The demo builders come from the apps' registrations, in dependency order; nothing central
lists them (decision 0005)."""

from __future__ import annotations

import pytest

from cqo.core import demo


def test_every_installed_part_of_the_demo_registers_itself_after_what_it_reads() -> None:
    names = [b.name for b in demo.demo_builders()]
    assert set(names) >= {"organisation", "post", "authorities", "charter", "plans", "decisions"}
    for builder in demo.demo_builders():
        for dep in builder.after:
            assert names.index(dep) < names.index(builder.name), (builder.name, dep)
    # The charter is issued after the delegations it lists.
    assert names.index("charter") > names.index("authorities")


def test_nothing_central_lists_the_domains() -> None:
    assert not hasattr(demo, "BUILDERS")


def test_a_circle_between_builders_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    registry: dict[str, demo.DemoBuilder] = {}
    monkeypatch.setattr(demo, "_REGISTRY", registry)
    demo.demo_builder_register("a", lambda ctx: None, after=("b",))
    demo.demo_builder_register("b", lambda ctx: None, after=("a",))
    with pytest.raises(ValueError, match="circle"):
        demo.demo_builders()


def test_a_builder_after_one_that_is_not_installed_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(demo, "_REGISTRY", {})
    demo.demo_builder_register("a", lambda ctx: None, after=("missing",))
    with pytest.raises(KeyError, match="missing"):
        demo.demo_builders()


def test_two_apps_cannot_register_the_same_builder_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "_REGISTRY", {})
    demo.demo_builder_register("a", lambda ctx: None)
    with pytest.raises(ValueError, match="twice"):
        demo.demo_builder_register("a", lambda ctx: None)
