"""Clauses as a registry: a citation that is not a clause of DB50/T 1696 is an error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from cqo.core.clauses import REGISTRY, UnknownClauseError, clause, clause_label

SRC = Path(__file__).resolve().parents[2]
# ``cqo.methods`` cites other standards (GB/T 2828.1, NIST handbooks) by their own section signs.
NOT_DB50 = {SRC / "methods"}
# Any letter, so "§6 j)" is read as a (wrong) lettered item rather than as "§6".
CITATION = re.compile(r"§(\d+(?:\.\d+)*)(?: ([a-z])\))?")
# A line naming sections of one of our issues ("Issue 7 §3.9 and §3.10") cites no clause.
ISSUE = re.compile(r"\b[Ii]ssue \d+ §")


def _codes_in(text: str) -> list[str]:
    if ISSUE.search(text):
        return []
    return [
        f"§{m.group(1)}" + (f" {m.group(2)})" if m.group(2) else "")
        for m in CITATION.finditer(text)
    ]


def _citations() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in (".py", ".html", ".txt", ".md") or not path.is_file():
            continue
        if path == Path(__file__).resolve() or any(base in path.parents for base in NOT_DB50):
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for code in _codes_in(line):
                found.append((str(path.relative_to(SRC)), lineno, code))
    return found


def test_every_clause_the_code_cites_is_in_the_registry() -> None:
    citations = _citations()
    assert len(citations) > 200  # the scan sees the code, not an empty tree
    unknown = [f"{p}:{n}: {c}" for p, n, c in citations if c not in REGISTRY]
    assert unknown == []


def test_the_scan_reads_a_typo_as_an_unknown_clause() -> None:
    codes = _codes_in("clause='§6 j)', see §6.9 and §3–§5; §7.2.4.")
    assert _codes_in("Issue 7 §3.9 and §3.10: ...") == []
    assert codes == ["§6 j)", "§6.9", "§3", "§5", "§7.2.4"]
    assert [c for c in codes if c not in REGISTRY] == ["§6 j)", "§6.9"]


def test_an_unknown_clause_raises_where_the_code_names_it() -> None:
    assert clause("§6 i)") == "§6 i)"
    with pytest.raises(UnknownClauseError):
        clause("§6 j)")
    with pytest.raises(UnknownClauseError):
        clause("§6i)")


def test_a_clause_has_a_short_label_in_each_language() -> None:
    with translation.override("en"):
        assert clause_label("§6 i)") == "One-vote veto on quality safety"
    with translation.override("zh-hans"):
        assert clause_label("§6 i)") == "质量安全一票否决"
    assert all(c.zh and c.en for c in REGISTRY.values())


def test_cqo_clauses_leads_from_a_clause_to_its_pages_api_services_and_registrations() -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("clauses", "§6 i)", lang="en", stdout=out)
    text = out.getvalue()
    assert text.startswith("§6 i)  One-vote veto on quality safety")
    for expected in (
        "authorities:veto_impose",
        "/api/v1/authorities/vetoes/{pk}/lift/  (VetoViewSet)",
        "cqo.authorities.services.veto_impose",
        "vetoable: decisions.businessdecision",
        "nav: authority.i -> authorities:veto_list",
    ):
        assert expected in text
    assert "§6 c)" not in text.splitlines()[0]
    out = StringIO()
    call_command("clauses", "6 c)", stdout=out)
    assert "approval kind: quality_plan" in out.getvalue()


def test_cqo_clauses_refuses_an_unknown_clause() -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("clauses", "§6 j)")
