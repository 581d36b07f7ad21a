"""Where each clause of DB50/T 1696 lives in the code: ``cqo clauses``.

The index is read from the code itself, so it cannot fall out of date:

- pages: every named URL of the HTML site whose view cites the clause;
- API: every ``/api/`` route whose view (or viewset) cites it;
- services: every public function of an app's ``services`` module that cites it, literally or
  through a module constant (``CLAUSE_APPROVAL = clause("§6 c)")``);
- registrations: what apps register against a clause (navigation entries, approval kinds,
  vetoable records), through ``clause_index_provider_register`` in their ``AppConfig.ready()``.

"Cites" means the clause's code appears in the source (``§6 c)``); a citation of ``§6`` alone is
not counted under each lettered item.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from .clauses import REGISTRY

SERVICE_CALL = re.compile(r"\b(?:S|services)\.([a-z]\w*)\(")
CITATION = re.compile(r"§(\d+(?:\.\d+)*)(?: ([a-i])\))?")
# (clause, kind, name): kind is "nav", "approval kind", "vetoable" ...
Provider = Callable[[], Iterable[tuple[str, str, str]]]
_PROVIDERS: list[Provider] = []


def clause_index_provider_register(provider: Provider) -> None:
    """An app adds what it registers against clauses (``(clause, kind, name)`` triples)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


@dataclass
class ClauseEntry:
    code: str
    apps: set[str] = field(default_factory=set)
    pages: set[str] = field(default_factory=set)
    api: set[str] = field(default_factory=set)
    services: set[str] = field(default_factory=set)
    registered: set[str] = field(default_factory=set)


def citations(text: str) -> set[str]:
    found = set()
    for m in CITATION.finditer(text):
        code = f"§{m.group(1)}" + (f" {m.group(2)})" if m.group(2) else "")
        if code in REGISTRY:
            found.add(code)
    return found


def _source(obj: Any) -> str:
    try:
        return inspect.getsource(inspect.unwrap(obj))
    except (OSError, TypeError):
        return ""


def _app_of(module_name: str) -> str:
    config = apps.get_containing_app_config(module_name)
    return config.label if config is not None else ""


def _constants(module: ModuleType) -> dict[str, set[str]]:
    """Module constants naming clauses (``CLAUSE_POST = clauses("§3.1", "§4.1")``)."""
    found = {}
    for name, value in vars(module).items():
        if name.isupper() and isinstance(value, str) and value.startswith("§"):
            codes = citations(value)
            if codes:
                found[name] = codes
    return found


def _cited_constants(constants: dict[str, set[str]], source: str) -> set[str]:
    found: set[str] = set()
    for const, codes in constants.items():
        if re.search(rf"\b{const}\b", source):
            found |= codes
    return found


def _walk(
    patterns: Iterable[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = (
                f"{namespace}:{p.namespace}"
                if namespace and p.namespace
                else p.namespace or namespace
            )
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name or ""
            yield prefix + str(p.pattern), name, p.callback


def _route(route: str) -> str:
    """``api/v1/x/^items/(?P<pk>[^/.]+)/$`` as ``/api/v1/x/items/{pk}/``."""
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return "/" + route.replace("^", "").replace("$", "")


def build_index() -> dict[str, ClauseEntry]:
    index: dict[str, ClauseEntry] = {code: ClauseEntry(code) for code in REGISTRY}
    view_sources: dict[Any, str] = {}
    get_resolver().url_patterns  # noqa: B018 (loads every view, and the services they call)

    service_codes: dict[tuple[str, str], set[str]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith(("cqo.", "tests.")):
            continue
        # Read the modules already loaded (the URL conf loads every view and the services they
        # call) rather than importing any by name.
        services = sys.modules.get(f"{config.name}.services")
        if services is None:
            continue
        constants = _constants(services)
        for fname, fn in vars(services).items():
            if fname.startswith("_") or not inspect.isfunction(fn):
                continue
            if fn.__module__ != services.__name__:
                continue
            source = _source(fn)
            codes = citations(source) | _cited_constants(constants, source)
            service_codes[(config.label, fname)] = codes
            for code in codes:
                index[code].apps.add(config.label)
                index[code].services.add(f"{services.__name__}.{fname}")

    for route, name, callback in _walk(get_resolver().url_patterns):
        target = getattr(callback, "cls", None) or getattr(callback, "view_class", None) or callback
        module = getattr(target, "__module__", "") or ""
        if not module.startswith(("cqo.", "tests.")):
            continue
        source = view_sources.setdefault(target, _source(target))
        label = _app_of(module)
        codes = citations(source) | _cited_constants(
            _constants(inspect.getmodule(target) or ModuleType("x")), source
        )
        # A page or route serves the clauses of the services it calls.
        for called in SERVICE_CALL.findall(source):
            codes |= service_codes.get((label, called), set())
        if "{format}" in _route(route):
            continue
        for code in codes:
            entry = index[code]
            entry.apps.add(label)
            if route.startswith("api/"):
                entry.api.add(f"{_route(route)}  ({target.__qualname__})")
            elif name:
                entry.pages.add(name)

    for provider in _PROVIDERS:
        for code, kind, name in provider():
            for c in citations(code):
                index[c].registered.add(f"{kind}: {name}")
    return index


def render(index: dict[str, ClauseEntry], *, only: str = "") -> str:
    from .clauses import clause_label

    lines: list[str] = []
    for code, entry in index.items():
        if only and code != only and not code.startswith(f"{only}."):
            continue
        lines.append(f"{code}  {clause_label(code)}")
        sections: list[tuple[str, Iterable[str]]] = [
            ("apps", sorted(entry.apps)),
            ("pages", sorted(entry.pages)),
            ("api", sorted(entry.api)),
            ("services", sorted(entry.services)),
            ("registered", sorted(entry.registered)),
        ]
        empty = True
        for title, items in sections:
            items = list(items)
            if not items:
                continue
            empty = False
            if title == "apps":
                lines.append(f"  apps: {', '.join(items)}")
                continue
            lines.append(f"  {title}:")
            lines.extend(f"    {item}" for item in items)
        if empty:
            lines.append("  (no code cites it yet)")
    return "\n".join(lines)
