"""The navigation, laid out like DB50/T 1696: post (§3–§5), authorities (§6), duties (§7),
fund (§8).

Every entry of the standard is listed from the first release on, so people see the whole job the
platform will cover; an entry whose module is not built yet has no ``url_name`` and shows as
disabled ("coming in a later release"), never as a dead link. A module that arrives calls
``nav_link("authority.i", "authorities:veto_list")`` in its ``AppConfig.ready`` (or registers a
new entry with ``nav_item_register``) and the shell picks it up without a template change.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import rules
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cqo.core.links import url_or_empty


@dataclass
class NavItem:
    key: str
    label: Promise | str
    clause: str = ""
    url_name: str = ""
    # Hidden from users who do not hold this permission (model level, ``has_perm(perm)``).
    perm: str = ""


@dataclass
class NavGroup:
    """A sub-heading inside a section, as the duties split into §7.1 and §7.2.1–§7.2.4."""

    key: str
    label: Promise | str
    clause: str
    items: list[NavItem] = field(default_factory=list)


@dataclass
class NavSection:
    key: str
    label: Promise | str
    clause: str
    groups: list[NavGroup] = field(default_factory=list)


def _group(key: str, label: Promise | str, clause: str, *items: NavItem) -> NavGroup:
    return NavGroup(key, label, clause, list(items))


NAV: list[NavSection] = [
    NavSection("post", _("Post set-up"), "§3–§5", [
        _group("post", "", "",
            NavItem("post.appointment", _("Appointment and authorisation"), "§3.1, §4.1"),
            NavItem("post.charter", _("Charter of authorities and duties"), "§4.2"),
            NavItem("post.qualification", _("Qualification"), "§5.1"),
            NavItem("post.competence", _("Knowledge and abilities"), "§5.2, §5.3"),
        ),
    ]),
    NavSection("authorities", _("Authorities"), "§6", [
        _group("authorities", "", "",
            NavItem("authority.a", _("a) Quality strategy and plans"), "§6 a)"),
            NavItem("authority.b", _("b) Proposals to the decision layer"), "§6 b)"),
            NavItem("authority.c", _("c) Approvals"), "§6 c)"),
            NavItem("authority.d", _("d) Incident investigation"), "§6 d)"),
            NavItem("authority.e", _("e) Gatekeeping inspection"), "§6 e)"),
            NavItem("authority.f", _("f) Quality budget"), "§6 f)"),
            NavItem("authority.g", _("g) Performance appraisal"), "§6 g)"),
            NavItem("authority.h", _("h) Brand and quality culture"), "§6 h)"),
            NavItem("authority.i", _("i) One-vote veto"), "§6 i)"),
            NavItem("authority.delegations", _("Delegations"), "§6"),
        ),
    ]),
    NavSection("duties", _("Duties"), "§7", [
        _group("duties.general", _("General duties"), "§7.1",
            NavItem("duty.7.1.1", _("Laws and regulations"), "§7.1.1"),
            NavItem("duty.7.1.2", _("Objectives and commitments"), "§7.1.2, §7.1.3"),
            NavItem("duty.7.1.4", _("Management systems and improvement"), "§7.1.4"),
            NavItem("duty.7.1.5", _("Quality statistics"), "§7.1.5"),
            NavItem("duty.7.1.6", _("Post responsibility and reports"), "§7.1.6"),
            NavItem("duty.7.1.7", _("Appraisal, rewards and penalties"), "§7.1.7"),
            NavItem("duty.7.1.8", _("Communication and training"), "§7.1.8"),
        ),
        _group("duties.safety", _("Quality safety"), "§7.2.1",
            NavItem("duty.7.2.1.2", _("Safety requirements and risks"), "§7.2.1.1, §7.2.1.2"),
            NavItem("duty.7.2.1.3", _("Risk control and key posts"), "§7.2.1.3"),
            NavItem("duty.7.2.1.3.incidents", _("Incidents"), "§7.2.1.3"),
            NavItem("duty.7.2.1.4", _("Defective product recall"), "§7.2.1.4"),
        ),
        _group("duties.infrastructure", _("Quality infrastructure"), "§7.2.2",
            NavItem("duty.7.2.2.1", _("Metrology and testing"), "§7.2.2.1"),
            NavItem("duty.7.2.2.2", _("Standards"), "§7.2.2.2"),
            NavItem("duty.7.2.2.3", _("Standard drafting"), "§7.2.2.3"),
            NavItem("duty.7.2.2.4", _("Certifications"), "§7.2.2.4"),
            NavItem("duty.7.2.2.5", _("Laboratories"), "§7.2.2.5"),
        ),
        _group("duties.competitiveness", _("Quality competitiveness"), "§7.2.3",
            NavItem("duty.7.2.3.1", _("Innovation and breakthroughs"), "§7.2.3.1"),
            NavItem("duty.7.2.3.2", _("SPC, FMEA and traceability"), "§7.2.3.2"),
            NavItem("duty.7.2.3.3", _("QC circles and suggestions"), "§7.2.3.3"),
            NavItem("duty.7.2.3.4", _("Quality brand"), "§7.2.3.4"),
            NavItem("duty.7.2.3.5", _("Supply-chain mentoring"), "§7.2.3.5"),
            NavItem("duty.7.2.3.6", _("Quality culture"), "§7.2.3.6"),
            NavItem("duty.7.2.3.7", _("Quality cost"), "§7.2.3.7"),
        ),
        _group("duties.other", _("Other duties"), "§7.2.4",
            NavItem("duty.7.2.4.1", _("Quality workforce"), "§7.2.4.1"),
            NavItem("duty.7.2.4.2", _("Quality incentives"), "§7.2.4.2"),
        ),
    ]),
    NavSection("fund", _("Funding"), "§8", [
        _group("fund", "", "",
            NavItem("fund.budget", _("Special quality fund"), "§8.1"),
            NavItem("fund.spending", _("Fund budget and spending"), "§8.2, §6 f)"),
        ),
    ]),
    NavSection("organisation", _("Organisation"), "", [
        _group("organisation", "", "",
            NavItem("org.enterprise", _("Enterprise"), "", "organisation:enterprise",
                    "organisation.view_enterprise"),
            NavItem("org.units", _("Units"), "", "organisation:unit_tree",
                    "organisation.view_unit"),
            NavItem("org.people", _("People"), "", "organisation:person_list",
                    "organisation.view_person"),
            NavItem("org.posts", _("Posts"), "§7.1.6", "organisation:post_list",
                    "organisation.view_post"),
            NavItem("org.webhooks", _("Webhooks"), "", "webhooks:endpoint_list",
                    "api.view_webhookendpoint"),
        ),
    ]),
    NavSection("audit", _("Audit"), "", [
        _group("audit", "", "",
            NavItem("audit.events", _("Audit trail"), "§6", "audit:event_list",
                    "audit.view_auditevent"),
        ),
    ]),
]  # fmt: skip


def _find(key: str) -> tuple[NavGroup, int]:
    for section in NAV:
        for group in section.groups:
            for index, item in enumerate(group.items):
                if item.key == key:
                    return group, index
    raise KeyError(key)


# Bumped whenever an entry changes (modules at start-up, tests), so the navigation's rendered
# HTML (``nav_html``), which is keyed on the entries' keys, is never served from before a change.
_GENERATION = [0]


def nav_changed() -> None:
    """The entries were changed by hand (a test putting them back): what was rendered from them
    is not served again."""
    _GENERATION[0] += 1


def nav_link(key: str, url_name: str, *, perm: str = "") -> None:
    """Point an existing entry at its page, once the module that serves it exists."""
    _GENERATION[0] += 1
    group, index = _find(key)
    item = group.items[index]
    group.items[index] = NavItem(item.key, item.label, item.clause, url_name, perm or item.perm)


def nav_item_register(section_key: str, item: NavItem, *, group_key: str = "") -> None:
    """Add an entry to a section (or replace the entry with the same key)."""
    _GENERATION[0] += 1
    try:
        group, index = _find(item.key)
        group.items[index] = item
        return
    except KeyError:
        pass
    section = next(s for s in NAV if s.key == section_key)
    group = next(g for g in section.groups if g.key == (group_key or section.groups[0].key))
    group.items.append(item)


@dataclass
class ResolvedItem:
    key: str
    label: Any
    clause: str
    url: str
    active: bool

    @property
    def available(self) -> bool:
        return bool(self.url)


@dataclass
class ResolvedGroup:
    key: str
    label: Any
    clause: str
    items: list[ResolvedItem]


@dataclass
class ResolvedSection:
    key: str
    label: Any
    clause: str
    groups: list[ResolvedGroup]

    @property
    def active(self) -> bool:
        return any(item.active for group in self.groups for item in group.items)

    @property
    def available_count(self) -> int:
        return sum(item.available for group in self.groups for item in group.items)


def _is_active(url: str, path: str) -> bool:
    if not url:
        return False
    return path == url or (url != "/" and path.startswith(url))


def _perms_held(user: Any) -> frozenset[str]:
    """Which of the navigation's permissions ``user`` holds. The rules behind them ask the
    database (is this the CQO in office?), so the answer is kept in the shared cache under the
    database's version (``cqo.core.data_version``): any write asks again."""
    from django.core.cache import cache

    from cqo.core import data_version

    wanted = sorted({item.perm for s in NAV for g in s.groups for item in g.items if item.perm})
    if not getattr(user, "pk", None):
        return frozenset(p for p in wanted if user.has_perm(p))

    def holds(perm: str) -> bool:
        # The rules alone answer (groups carry no static permissions, organisation.rules): a
        # permission the rules refuse would otherwise send ``user.has_perm`` on to Django's
        # ModelBackend, which reads the user's and the groups' static permissions (two queries).
        return bool(user.is_active and (user.is_superuser or rules.has_perm(perm, user)))

    digest = hashlib.sha256(",".join(wanted).encode()).hexdigest()
    key = f"workbench.nav_perms:{data_version.current()}:{user.pk}:{digest}"
    held = cache.get(key)
    if held is None:
        held = frozenset(p for p in wanted if holds(p))
        cache.set(key, held, NAV_PERMS_SECONDS)
    return held  # type: ignore[no-any-return]


NAV_PERMS_SECONDS = 300
_URLS: dict[tuple[str, str, Any], str] = {}


def _url(url_name: str) -> str:
    """A navigation entry's address, resolved once per process (the URL configuration does not
    change while it runs; the script prefix is part of the key for a server mounted elsewhere)."""
    from django.urls import get_script_prefix, get_urlconf

    key = (url_name, get_script_prefix(), get_urlconf())
    try:
        return _URLS[key]
    except KeyError:
        url = _URLS[key] = url_or_empty(url_name)
        return url


# The resolved navigation per process, under everything it is made of: the entries
# (``_GENERATION``), the URL prefix, the permissions held and the path (which entry is current).
# Shared between requests and threads, so read-only: ``nav_for``'s callers never change it.
_RESOLVED: dict[tuple[Any, ...], list[ResolvedSection]] = {}


def nav_for(user: Any, path: str) -> list[ResolvedSection]:
    """The navigation as this user sees it: entries they may not open are left out. The list is
    shared (see ``_RESOLVED``): read it, never change it."""
    from django.urls import get_script_prefix

    held = _perms_held(user)
    key = (_GENERATION[0], get_script_prefix(), held, path)
    found = _RESOLVED.get(key)
    if found is None:
        found = _nav_resolve(held, path)
        if len(_RESOLVED) >= _HTML_MAX:
            _RESOLVED.clear()  # a bound (paths with ids are many), not a policy
        _RESOLVED[key] = found
    return found


def _nav_resolve(held: frozenset[str], path: str) -> list[ResolvedSection]:
    sections: list[ResolvedSection] = []
    for section in NAV:
        groups: list[ResolvedGroup] = []
        for group in section.groups:
            items = [
                ResolvedItem(item.key, item.label, item.clause, url, _is_active(url, path))
                for item in group.items
                if not item.perm or item.perm in held
                for url in [_url(item.url_name) if item.url_name else ""]
            ]
            if items:
                groups.append(ResolvedGroup(group.key, group.label, group.clause, items))
        if groups:
            sections.append(ResolvedSection(section.key, section.label, section.clause, groups))
    return sections


# The side navigation's HTML, per process. Rendering it was ~4 ms of every page (about 600
# template nodes); what it shows is decided entirely by the key below: which entries this user
# may see and which of them is current (both in ``ResolvedSection``), the language, the URL
# prefix and the entries themselves (``_GENERATION``). Nothing of the user but what they may
# open is in it, so two users with the same rights share an entry, and a change of rights (read
# under the database's version, ``_perms_held``) is a different key, not a stale one.
_HTML: dict[tuple[Any, ...], str] = {}
_HTML_MAX = 1024


def nav_html(request: Any, sections: list[ResolvedSection]) -> str:
    """``workbench/_nav.html`` for these sections, rendered once per distinct key."""
    from django.template.loader import render_to_string
    from django.urls import get_script_prefix
    from django.utils.translation import get_language

    path = getattr(request, "path", "")
    key = (
        _GENERATION[0],
        get_language(),
        get_script_prefix(),
        path == _url("workbench:dashboard"),
        tuple((item.key, item.active) for s in sections for g in s.groups for item in g.items),
    )
    html = _HTML.get(key)
    if html is None:
        html = render_to_string(
            "workbench/_nav.html", {"shell": {"nav": sections}, "request": {"path": path}}
        )
        if len(_HTML) >= _HTML_MAX:
            _HTML.clear()  # a bound, not a policy: the live keys come back in a few pages
        _HTML[key] = html
    return html
