"""Set-up for tests of the quality-cost ledger (§7.1.5): a finance keeper named by the CQO,
workbooks to import, lines entered through the service, and a cost source of the test's own
(registered for the test, removed after it) standing in for a domain app's."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from cqo.core import costs as core_costs
from cqo.core.costs import CostLine


def finance_keeper(org: Any, username: str = "finance") -> Any:
    """A user of the finance department, named keeper of the figures by the CQO."""
    from cqo.costs.services_ledger import finance_keeper_name
    from cqo.organisation import roles as R
    from cqo.testing.factories import UnitFactory, member

    unit: Any = UnitFactory(parent=org.root, code="FI", name="财务部")
    user = member([R.EMPLOYEE], unit=unit, username=username)
    finance_keeper_name(actor=org.cqo, user=user)
    return user


def workbook(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """An .xlsx file of one sheet: the header row, then the rows as given (through the export
    helper, like every workbook the project writes)."""
    from cqo.core.exports import sheet_append, workbook_new, xlsx_bytes

    wb = workbook_new()
    ws = wb.active
    assert ws is not None
    sheet_append(ws, list(header))
    for row in rows:
        sheet_append(ws, list(row))
    return xlsx_bytes(wb)


def line(org: Any, *, on: datetime.date, item_code: str = "a_incoming", amount: str = "100.00",
         by: Any = None, **extra: Any) -> Any:  # fmt: skip
    from cqo.costs.services_ledger import ledger_line_add

    return ledger_line_add(actor=by or org.cqo, date=on, item_code=item_code, amount=amount,
                           **extra)  # fmt: skip


class FakeSource:
    """A cost source whose lines the test sets; ``lines(first, last)`` is what it registers."""

    code = "test_source"

    def __init__(self) -> None:
        self.items: list[CostLine] = []

    def add(self, key: str, on: datetime.date, amount: str, item_code: str = "i_scrap",
            **extra: Any) -> CostLine:  # fmt: skip
        found = CostLine(source=self.code, key=key, date=on, item_code=item_code,
                         amount=Decimal(amount), record=f"REC-{key}", url=f"/records/{key}/",
                         **extra)  # fmt: skip
        self.items.append(found)
        return found

    def remove(self, key: str) -> None:
        self.items = [x for x in self.items if x.key != key]

    def lines(self, first: datetime.date, last: datetime.date) -> list[CostLine]:
        return [x for x in self.items if first <= x.date <= last]


@contextlib.contextmanager
def fake_source() -> Iterator[FakeSource]:
    source = FakeSource()
    core_costs.cost_source_register(code=source.code, label="Test source", clause="§7.1.5",
                                    lines=source.lines)  # fmt: skip
    try:
        yield source
    finally:
        core_costs._SOURCES.pop(source.code, None)
