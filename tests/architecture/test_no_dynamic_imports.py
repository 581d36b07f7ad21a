"""No app imports a ``cqo`` module by name at run time.

An ``importlib.import_module("cqo.…")`` (or ``__import__``, Django's ``import_string``, or
``include("cqo.….urls")``) is invisible to the import linter, so it is how a lower layer would
reach a higher one unseen; that is how ``post`` and ``authorities`` once imported each other in a
circle. A lower layer asks through a registry or a signal that the upper app fills instead
(docs/decisions/0005-domain-apps.md). Tests and migrations are not scanned: a test may assemble a
world by name, and a migration module's name starts with a digit.
"""

from __future__ import annotations

import ast
from pathlib import Path

import cqo

SRC = Path(cqo.__file__).resolve().parent
# Loading by name from a variable hides the target as well as a literal does, so app code uses
# these loaders not at all; Django's ``include`` only with a module, not a "cqo." string.
LOADERS = {"import_module", "__import__", "import_string"}


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _names_cqo(arg: ast.expr) -> bool:
    """A literal or f-string that starts with ``cqo`` (``"cqo.post"``, ``f"cqo.{app}"``)."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value == "cqo" or arg.value.startswith("cqo.")
    if isinstance(arg, ast.JoinedStr) and arg.values:
        first = arg.values[0]
        return isinstance(first, ast.Constant) and str(first.value).startswith("cqo")
    if isinstance(arg, ast.BinOp):  # "cqo." + name
        return _names_cqo(arg.left)
    return False


def dynamic_cqo_imports(source: str, filename: str = "<string>") -> list[str]:
    """Each call in ``source`` that loads a module by name (any name for the import loaders, a
    ``cqo`` one for ``include``), as ``file:line call``."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = _name(node.func)
        if name in LOADERS or (name == "include" and _names_cqo(node.args[0])):
            found.append(f"{filename}:{node.lineno} {name}({ast.unparse(node.args[0])})")
    return found


def _app_modules() -> list[Path]:
    return [
        path
        for path in sorted(SRC.rglob("*.py"))
        if not {"migrations", "tests"} & set(path.relative_to(SRC).parts)
    ]


def test_no_app_module_imports_a_cqo_module_by_name() -> None:
    found = [
        hit
        for path in _app_modules()
        for hit in dynamic_cqo_imports(path.read_text(), str(path.relative_to(SRC.parent)))
    ]
    assert not found, "dynamic imports of cqo modules (use a registry or a signal):\n" + "\n".join(
        found
    )


def test_the_scan_covers_the_apps() -> None:
    scanned = {p.relative_to(SRC).parts[0] for p in _app_modules()}
    assert {"core", "post", "authorities", "charter", "api", "workbench"} <= scanned


def test_it_finds_each_way_of_importing_a_cqo_module_by_name() -> None:
    source = """
import importlib
from importlib import import_module
from django.urls import include
from django.utils.module_loading import import_string

a = importlib.import_module("cqo.authorities.engine")
b = import_module(f"cqo.{app}.selectors")
c = __import__("cqo.post.services")
d = import_string("cqo.core.demo.demo_build")
e = include("cqo.post.urls")
f = importlib.import_module("cqo." + name)
g = importlib.import_module(module_name)
"""
    assert [hit.split(" ")[1].split("(")[0] for hit in dynamic_cqo_imports(source)] == [
        "import_module",
        "import_module",
        "__import__",
        "import_string",
        "include",
        "import_module",
        "import_module",
    ]


def test_it_leaves_static_imports_and_other_urlconfs_alone() -> None:
    source = """
from cqo.post import selectors
from django.urls import include

include("django.conf.urls.i18n")
include(post_urls)
"""
    assert dynamic_cqo_imports(source) == []
