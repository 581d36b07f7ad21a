"""The dashboard's panels: a registry, so each module adds its own without touching the template.

A panel names the clause of DB50/T 1696 it serves, who sees it and what it shows when there is
nothing to do. Who sees it is given by role codes, by an ``audience`` (a predicate on the user), or
both (either suffices); with neither, every signed-in user sees it. A role is a static group; what
flows from the CQO appointment (§6: the authorities end with the appointment) is an audience, e.g.
``cqo_in_office``, never the ``cqo`` role. An audience runs on every dashboard view, so it asks
something remembered for the request (the authority engine keeps its answer on the user object).
``items`` returns a ``PanelItems`` (or a plain list) for one user; keep it to one or two queries
with ``select_related`` and counts, since every panel runs on every dashboard view.

Panels whose module is not built yet are registered here with ``available=False``: their empty
state says what will appear and the panel says plainly that the module comes later. A module
that arrives calls ``panel_register(Panel(key="approvals", ...))`` from its ``AppConfig.ready``
to replace the placeholder with the real thing.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import rules
from django.utils.functional import LazyObject, Promise, empty
from django.utils.translation import gettext_lazy as _

from cqo.core.links import url_or_empty


@dataclass(frozen=True)
class PanelItem:
    title: str
    url: str = ""
    meta: str = ""
    when: datetime.datetime | datetime.date | None = None
    clause: str = ""
    # One of "", "warning", "danger", "ok": how the item is marked in the list.
    tone: str = ""


@dataclass(frozen=True)
class PanelItems:
    items: Sequence[PanelItem]
    total: int | None = None  # when the panel shows only the first few of more
    # An ECharts option drawn under the items (``workbench/charts.js``): plain JSON types and
    # text already translated, since the items are kept in the shared cache.
    chart: dict[str, Any] | None = None

    @property
    def more(self) -> int:
        return max(0, (self.total or 0) - len(self.items))


ItemsFn = Callable[[Any], "PanelItems | Sequence[PanelItem]"]
AudienceFn = Callable[[Any], bool]


def _nothing(user: Any) -> PanelItems:
    return PanelItems(())


@dataclass(frozen=True)
class Panel:
    key: str
    title: Promise | str
    clause: str
    empty: Promise | str
    items: ItemsFn = _nothing
    roles: frozenset[str] = frozenset()
    # Shown only to users who hold this permission (in addition to the roles).
    perm: str = ""
    order: int = 100
    available: bool = True
    more_url_name: str = ""
    # Shown also to users for whom this is true (e.g. the CQO in office), whatever their roles.
    audience: AudienceFn | None = None

    def visible_to(self, user: Any, roles: Iterable[str]) -> bool:
        if self.roles or self.audience is not None:
            by_role = bool(self.roles & frozenset(roles))
            if not by_role and not (self.audience is not None and self.audience(user)):
                return False
        return not self.perm or bool(user.has_perm(self.perm))


@dataclass
class RenderedPanel:
    panel: Panel
    items: Sequence[PanelItem] = field(default_factory=tuple)
    more: int = 0
    more_url: str = ""
    chart: dict[str, Any] | None = None

    @property
    def key(self) -> str:
        return self.panel.key

    @property
    def chart_id(self) -> str:
        return f"panel-{self.panel.key}-chart"


PANELS: dict[str, Panel] = {}


def panel_register(panel: Panel) -> Panel:
    """Add a panel, or replace the one with the same key (a module replacing its placeholder)."""
    PANELS[panel.key] = panel
    return panel


def panel_unregister(key: str) -> None:
    PANELS.pop(key, None)


def _unwrapped(user: Any) -> Any:
    """``request.user`` is a lazy proxy, and what the panels remember on the user (the engine's
    "is this the CQO?", the delegations held) must land on the object the permission rules see,
    which is the real user behind it."""
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user


# The panels' items are kept in the shared cache (every server process sees them) for each user,
# role set, language and day, under the database's version (``cqo.core.data_version``): any
# write makes them stale, so a new approval or a lifted veto shows on the next view. The items
# count days ("waiting 3 days"), hence the day in the key; PANELS_SECONDS bounds anything finer.
PANELS_SECONDS = 300


def _computed(user: Any, role_set: frozenset[str]) -> list[tuple[str, PanelItems]]:
    shown: list[tuple[str, PanelItems]] = []
    for panel in sorted(PANELS.values(), key=lambda p: (p.order, p.key)):
        if not panel.visible_to(user, role_set):
            continue
        result = panel.items(user) if panel.available else PanelItems(())
        if not isinstance(result, PanelItems):
            result = PanelItems(tuple(result))
        shown.append((panel.key, PanelItems(tuple(result.items), result.total, result.chart)))
    return shown


def _remembered(user: Any, role_set: frozenset[str]) -> list[tuple[str, PanelItems]]:
    from django.core.cache import cache
    from django.utils import timezone
    from django.utils.translation import get_language

    from cqo.core import data_version

    if not getattr(user, "pk", None):
        return _computed(user, role_set)
    parts = ":".join(
        [
            str(user.pk),
            get_language() or "",
            timezone.localdate().isoformat(),
            ",".join(sorted(role_set)),
            ",".join(sorted(PANELS)),  # a panel registered or replaced (tests do) is a new set
        ]
    )
    key = f"workbench.panels:{data_version.current()}:{hashlib.sha256(parts.encode()).hexdigest()}"
    shown = cache.get(key)
    if shown is None:
        shown = _computed(user, role_set)
        cache.set(key, shown, PANELS_SECONDS)
    return shown  # type: ignore[no-any-return]


def panels_for(user: Any, roles: Iterable[str]) -> list[RenderedPanel]:
    user = _unwrapped(user)
    rendered: list[RenderedPanel] = []
    for key, result in _remembered(user, frozenset(roles)):
        panel = PANELS.get(key)
        if panel is None:
            continue
        rendered.append(
            RenderedPanel(
                panel,
                result.items,
                result.more,
                url_or_empty(panel.more_url_name) if panel.more_url_name else "",
                result.chart,
            )
        )
    return rendered


# --- the panels of this release -------------------------------------------------------------


def cqo_in_office(user: Any) -> bool:
    """The user holds the CQO appointment in force today (§3.1, §6): the ``cqo_in_office`` rule,
    which the post app (above the workbench) adds and which remembers the answer on the user
    object, one lookup per request however many panels ask. Not the ``cqo`` role: a removed CQO
    keeps the group but not the post. No post app, no CQO in office."""
    return bool(rules.test_rule("cqo_in_office", user))


AUDIT_READERS = frozenset({"cqo", "deputy", "auditor", "admin"})
RECENT_EVENTS = 8


def recent_audit_events(user: Any) -> PanelItems:
    """The latest quality events: sign-ins and other account housekeeping (``routine``
    actions) stay on the audit trail's own page."""
    from cqo.audit.labels import action_label, routine_q
    from cqo.audit.selectors import events_visible

    events = list(events_visible(user).exclude(routine_q()).order_by("-seq")[:RECENT_EVENTS])
    items = [
        PanelItem(
            title=ev.object_repr or f"{ev.object_type} {ev.object_id}",
            url=url_or_empty("audit:story", ev.object_type, ev.object_id),
            meta=f"#{ev.seq} · {action_label(ev.action, ev.object_type)} · {ev.actor_repr}",
            when=ev.occurred_at,
            clause=ev.clause,
        )
        for ev in events
    ]
    return PanelItems(items)


def _register_defaults() -> None:
    defaults = [
        # The CQO in office (the authorities app widens some of these to delegates).
        Panel(
            "approvals",
            _("Approvals awaiting me"),
            "§6 c)",
            _("Quality plans, concessions, deviation permits and anomaly dispositions that need "
              "your approval will appear here, oldest first."),
            audience=cqo_in_office, order=10, available=False,
        ),
        Panel(
            "proposals_open",
            _("Proposals awaiting an answer"),
            "§6 b)",
            _("Your proposals to the decision layer that have not been answered yet will appear "
              "here, with how long each has waited."),
            audience=cqo_in_office, order=20, available=False,
        ),
        Panel(
            "vetoes",
            _("Active vetoes"),
            "§6 i)",
            _("Decisions held by a one-vote veto on quality safety will appear here until the "
              "veto is lifted with a reason."),
            roles=frozenset({"principal", "auditor"}), audience=cqo_in_office, order=30,
            available=False,
        ),
        Panel(
            "delegations_expiring",
            _("Delegations about to expire"),
            "§6",
            _("Delegations of the CQO's authorities that end within the next 14 days will "
              "appear here, so they can be renewed or allowed to lapse on purpose."),
            audience=cqo_in_office, order=40, available=False,
        ),
        Panel(
            "qualification_due",
            _("Qualification and competence actions due"),
            "§5",
            _("Missing qualification evidence and the yearly knowledge and ability assessment "
              "will appear here when they fall due."),
            roles=frozenset({"principal"}), audience=cqo_in_office, order=50, available=False,
        ),
        # The principal: what the decision layer owes the CQO.
        Panel(
            "proposals_to_answer",
            _("Proposals to answer"),
            "§6 b)",
            _("Proposals the CQO has put to you will appear here until you accept, reject with "
              "a reason or defer them."),
            roles=frozenset({"principal"}), order=15, available=False,
        ),
        Panel(
            "charter_to_approve",
            _("Charter to approve"),
            "§4.2",
            _("A new version of the CQO's charter of authorities and duties will appear here "
              "when it is ready for your approval."),
            roles=frozenset({"principal"}), order=16, available=False,
        ),
        # Everyone else's daily work.
        Panel(
            "ncr_open",
            _("Open nonconformances and actions"),
            "§6 c), §7.1.4",
            _("Nonconformances, corrective actions and effectiveness checks assigned to you "
              "will appear here."),
            roles=frozenset({"quality_engineer"}), order=60, available=False,
        ),
        Panel(
            "lots_to_inspect",
            _("Lots awaiting inspection"),
            "§6 e)",
            _("Incoming, in-process and outgoing lots waiting for your inspection result will "
              "appear here."),
            roles=frozenset({"inspector"}), order=60, available=False,
        ),
        Panel(
            "instruments_due",
            _("Instruments due for verification or calibration"),
            "§7.2.2.1",
            _("Measuring instruments whose verification or calibration falls due within 30 "
              "days, and those overdue, will appear here."),
            roles=frozenset({"metrology_officer"}), order=60, available=False,
        ),
        Panel(
            "unit_objectives",
            _("My unit's quality objectives"),
            "§7.1.2, §6 g)",
            _("Your unit's quality objectives with their targets and actuals, and appraisals "
              "waiting for your answer, will appear here."),
            roles=frozenset({"department_head"}), order=60, available=False,
        ),
        Panel(
            "my_participation",
            _("Suggestions, QC circles and training"),
            "§7.2.3.3, §7.2.4.1",
            _("Your improvement suggestions, the QC circles you belong to and the training you "
              "are due to take will appear here."),
            roles=frozenset({"employee", "inspector", "quality_engineer", "metrology_officer"}),
            order=80, available=False,
        ),
        Panel(
            "audit_recent",
            _("Recent audit events"),
            "§6",
            _("Every change to a quality record is written to the audit trail; the latest "
              "events you may see will appear here."),
            items=recent_audit_events,
            roles=AUDIT_READERS, perm="audit.view_auditevent", order=90,
            more_url_name="audit:event_list",
        ),
    ]  # fmt: skip
    for panel in defaults:
        panel_register(panel)


_register_defaults()
