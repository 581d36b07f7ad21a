"""Tests set up their world through ``cqo.testing``, never through another app's tests.

An app that imports another app's ``tests`` package breaks when that app moves or renames its
tests, and pulls the other app's fixtures into its own run; the shared builders live in
``cqo.testing`` instead. Product code never imports ``cqo.testing`` (factories write straight to
the database, past the services and their audit events).
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "cqo"
PROJECT_TESTS = Path(__file__).resolve().parent


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def _app_of(path: Path) -> str | None:
    """The app a file belongs to (``post`` for src/cqo/post/...), None outside src/cqo."""
    try:
        return path.relative_to(SRC).parts[0]
    except ValueError:
        return None


def _tests_app(module: str) -> str | None:
    """The app whose tests ``module`` is (``cqo.post.tests.matrix`` → ``post``), else None."""
    parts = module.split(".")
    if len(parts) >= 3 and parts[0] == "cqo" and parts[2] == "tests":
        return parts[1]
    return None


def test_no_test_imports_another_apps_tests() -> None:
    files = [p for p in SRC.glob("*/tests/**/*.py")] + list(PROJECT_TESTS.rglob("*.py"))
    assert len(files) > 50
    problems = [
        f"{path.relative_to(SRC.parent.parent)}:{line} imports {module}"
        for path in files
        for line, module in _imported_modules(path)
        if (owner := _tests_app(module)) is not None and owner != _app_of(path)
    ]
    assert not problems, (
        "Import shared set-up from cqo.testing (factories, world, matrix), not from another "
        "app's tests:\n" + "\n".join(problems)
    )


def test_product_code_never_imports_the_test_world() -> None:
    files = [
        p
        for p in SRC.rglob("*.py")
        if "tests" not in p.relative_to(SRC).parts and p.relative_to(SRC).parts[0] != "testing"
    ]
    problems = [
        f"{path.relative_to(SRC.parent.parent)}:{line} imports {module}"
        for path in files
        for line, module in _imported_modules(path)
        if module == "cqo.testing" or module.startswith("cqo.testing.")
    ]
    assert not problems, "\n".join(problems)


def test_the_check_sees_a_cross_app_import(tmp_path: Path) -> None:
    # The rule above must be able to fail: a post test importing the authorities' tests.
    bad = tmp_path / "test_x.py"
    bad.write_text("from cqo.authorities.tests.matrix import build\n", encoding="utf-8")
    modules = [m for _line, m in _imported_modules(bad)]
    assert [_tests_app(m) for m in modules] == ["authorities"]
    assert _app_of(SRC / "post" / "tests" / "test_x.py") == "post"
