"""Every write of the quality-cost ledger (§7.1.5, §7.2.3.7): the chart's added items, lines
(by hand, by the API, by Excel import, pulled from the registered cost sources), reversals, the
monthly close, finance's figures and who keeps them.

Rules (decision 0013):
- a line is never changed or deleted; a wrong line is *reversed* (a line of the opposite amount
  naming it) and the right one entered;
- no line is dated in a closed month: entry and import refuse it (field ``date``); a source line
  or a reversal that belongs to a closed month is posted on the first day of the first open
  month after it, with the day it was incurred in its note;
- a source line is copied once (``source`` + ``source_key`` unique), and reversed if the source
  no longer yields it (its record was voided);
- amounts are Decimal yuan with at most two places, never floats;
- finance's figures are entered or imported by a finance keeper; nothing assumes them.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import audit_record, audited_bulk_create, record_void, snapshot
from cqo.core.clauses import clause
from cqo.core.costs import CostLine, cost_sources
from cqo.core.permissions import require

from . import selectors_ledger as sel
from .models_ledger import (
    BaseFigure,
    BaseKind,
    ChartItem,
    FinanceKeeper,
    JobKind,
    JobStatus,
    LedgerJob,
    LedgerLine,
    LineOrigin,
    MonthClose,
    MonthTotal,
)

CLAUSE = clause("§7.1.5")
CLAUSE_CONTROL = clause("§7.2.3.7")
CENT = Decimal("0.01")
LIMIT = Decimal(10) ** 13
MAX_ROWS = 200_000
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,29}$")
XLSX_MAGIC = b"PK\x03\x04"


def _with(message: str, citation: str = CLAUSE) -> str:
    return _("%(message)s (%(clause)s)") % {"message": message, "clause": citation}


def _text(value: Any, field: str, limit: int = 300) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > limit:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": limit}})
    return text


# --- parsing (shared by pages, API and import) ----------------------------------------------


def amount_parse(value: Any, field: str = "amount", *, signed: bool = False) -> Decimal:
    """A Decimal in yuan with at most two places; a float is read through its text, a text that
    is not a number refused with the field and clause named."""
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError({field: _with(_("Give the amount in yuan as a number."))})
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field: _with(_("The amount is not a number: give yuan, e.g. 1250.50."))}
        ) from None
    if not number.is_finite():
        raise ValidationError({field: _with(_("Give the amount in yuan as a number."))})
    if abs(number) >= LIMIT:
        raise ValidationError({field: _with(_("The amount is too large."))})
    if number != number.quantize(CENT):
        raise ValidationError({field: _with(_("Give the amount in yuan with at most two places."))})
    if not signed and number <= 0:
        raise ValidationError(
            {field: _with(_("The amount must be greater than zero; a correction is a reversal."))}
        )
    return number.quantize(CENT)


def date_parse(value: Any, field: str = "date") -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, datetime.date) or value.year < 2000:
        raise ValidationError({field: _with(_("Give the date as YYYY-MM-DD."))})
    return value


def month_parse(value: Any, field: str = "month") -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date) and value.year >= 2000:
        return value.replace(day=1)
    if isinstance(value, str):
        text = value.strip()
        try:
            month = datetime.date.fromisoformat(text[:7] + "-01")
        except ValueError:
            pass
        else:
            if 2000 <= month.year <= 9000:
                return month
    raise ValidationError({field: _with(_("Give the month as YYYY-MM."))})


def _open_month_check(day: datetime.date, field: str = "date") -> None:
    if sel.month_is_closed(day):
        raise ValidationError(
            {field: _with(_("The month %(month)s is closed: no line is dated in it; correct it "
                            "with a reversal in an open month.") % {"month": f"{day:%Y-%m}"})}
        )  # fmt: skip


def _first_open_day(day: datetime.date, closed: set[datetime.date]) -> datetime.date:
    month = sel.month_first(day)
    while month in closed:
        month = sel.month_last(month) + datetime.timedelta(days=1)
    return day if month == sel.month_first(day) else month


# --- the chart ------------------------------------------------------------------------------


@transaction.atomic
def chart_item_add(
    *, actor: User, code: str, category: str, name: str, name_en: str = ""
) -> ChartItem:
    """Add an item to the chart under one of the five categories; a seeded code is never
    retyped, and a code is never reused."""
    require(actor, "costs.change_chartitem", clause=CLAUSE)
    code = (code or "").strip().lower() if isinstance(code, str) else ""
    errors: dict[str, str] = {}
    if not CODE_RE.match(code):
        errors["code"] = _with(_("Give a code of 2 to 30 lower-case letters, digits or _."))
    elif sel.chart_category(code) is not None or ChartItem.objects.filter(code=code).exists():
        errors["code"] = _with(_("This code is already in the chart; codes are never reused."))
    if category not in sel.CATEGORY_ORDER:
        errors["category"] = _with(_("Choose one of the five categories."))
    name = _text(name, "name", 200)
    if not name:
        errors["name"] = _with(_("Give the item's name."))
    if errors:
        raise ValidationError(errors)
    item = ChartItem.objects.create(
        code=code, category=category, name=name, name_en=_text(name_en, "name_en", 200),
        created_by=actor,
    )  # fmt: skip
    audit_record(actor=actor, action="costs.chartitem.create", obj=item, after=snapshot(item),
                 clause=CLAUSE)  # fmt: skip
    return item


def chart_item_void(*, actor: User, item: ChartItem, reason: str) -> Any:
    """An added item no longer used: voided (its lines stay as they are)."""
    return record_void(actor=actor, record=item, reason=reason, perm="costs.change_chartitem",
                       clause=CLAUSE)  # fmt: skip


# --- lines ----------------------------------------------------------------------------------


def _dimension(model: Any, value: Any, field: str) -> Any:
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    try:
        found = model.objects.filter(pk=int(value)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise ValidationError({field: _with(_("Unknown record."))})
    return found


def _line_build(
    *,
    actor: User,
    date: Any,
    item_code: Any,
    amount: Any,
    origin: str,
    unit: Any = None,
    product: Any = None,
    supplier: Any = None,
    customer: Any = None,
    note: Any = "",
    source: str = "",
    source_key: str = "",
    source_record: str = "",
    source_url: str = "",
    closed: set[datetime.date] | None = None,
) -> LedgerLine:
    """A checked, unsaved line; every problem at once, by field."""
    from cqo.masterdata.models import Customer, Item, Supplier
    from cqo.organisation.models import Unit

    errors: dict[str, Any] = {}

    def take(field: str, call: Any) -> Any:
        try:
            return call()
        except ValidationError as exc:
            errors.update(exc.message_dict)
            return None

    day = take("date", lambda: date_parse(date))
    if day is not None:
        if day > timezone.localdate():
            errors["date"] = _with(_("The date cannot be in the future."))
        elif sel.month_first(day) in (closed if closed is not None else sel.months_closed()):
            errors["date"] = _with(
                _("The month %(month)s is closed: no line is dated in it; correct it with a "
                  "reversal in an open month.") % {"month": f"{day:%Y-%m}"}
            )  # fmt: skip
    code = item_code.strip() if isinstance(item_code, str) else ""
    category = sel.chart_category(code) if code else None
    if category is None:
        errors["item_code"] = _with(_("Unknown cost item: choose one from the chart."))
    money = take("amount", lambda: amount_parse(amount))
    unit = take("unit", lambda: _dimension(Unit, unit, "unit"))
    product = take("product", lambda: _dimension(Item, product, "product"))
    supplier = take("supplier", lambda: _dimension(Supplier, supplier, "supplier"))
    customer = take("customer", lambda: _dimension(Customer, customer, "customer"))
    text = take("note", lambda: _text(note, "note"))
    if source_key and LedgerLine.objects.filter(source=source, source_key=source_key).exists():
        errors["source_key"] = _with(_("A line with this source key is already in the ledger."))
    if errors:
        raise ValidationError(errors)
    assert day is not None and money is not None and category is not None
    return LedgerLine(
        month=sel.month_first(day), date=day, item_code=code, category=category, amount=money,
        unit=unit, product=product, supplier=supplier, customer=customer, origin=origin,
        source=source, source_key=source_key, source_record=source_record[:200],
        source_url=source_url[:300], note=text or "", created_by=actor,
    )  # fmt: skip


@transaction.atomic
def ledger_line_add(
    *,
    actor: User,
    date: Any,
    item_code: Any,
    amount: Any,
    unit: Any = None,
    product: Any = None,
    supplier: Any = None,
    customer: Any = None,
    note: Any = "",
    origin: str = LineOrigin.MANUAL,
    source: str = "",
    source_key: str = "",
    source_record: str = "",
    source_url: str = "",
) -> LedgerLine:
    """One line entered by hand or through the API (or posted by another part of the app, e.g.
    the fund's payments keyed ``fund:<payment id>``): in an open month, with a chart item and an
    amount in yuan."""
    require(actor, "costs.add_ledgerline", clause=CLAUSE)
    if origin not in (LineOrigin.MANUAL, LineOrigin.API):
        raise ValidationError({"origin": _with(_("Lines by hand or by the API only."))})
    line = _line_build(
        actor=actor, date=date, item_code=item_code, amount=amount, origin=origin, unit=unit,
        product=product, supplier=supplier, customer=customer, note=note,
        source=_text(source, "source", 40), source_key=_text(source_key, "source_key", 120),
        source_record=_text(source_record, "source_record", 200),
        source_url=_text(source_url, "source_url", 300),
    )  # fmt: skip
    line.save()
    audit_record(actor=actor, action="costs.ledgerline.create", obj=line, after=snapshot(line),
                 clause=CLAUSE)  # fmt: skip
    return line


@transaction.atomic
def ledger_line_reverse(
    *, actor: User, line: LedgerLine, reason: str, date: Any = None
) -> LedgerLine:
    """Correct a line: a reversal of the opposite amount, dated in an open month (today unless
    given), naming the line and the reason. The line itself is never changed."""
    require(actor, "costs.add_ledgerline", clause=CLAUSE)
    line = LedgerLine.objects.select_for_update(of=("self",)).get(pk=line.pk)
    reason = _text(reason, "reason")
    errors: dict[str, str] = {}
    if line.origin == LineOrigin.REVERSAL:
        errors["line"] = _with(_("A reversal is not reversed; enter the right line instead."))
    elif LedgerLine.objects.filter(reverses=line).exists():
        errors["line"] = _with(_("This line was already reversed."))
    if not reason:
        errors["reason"] = _with(_("Say why the line is reversed."))
    day = timezone.localdate() if date in (None, "") else None
    if day is None:
        try:
            day = date_parse(date)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if day is not None:
        if day > timezone.localdate():
            errors["date"] = _with(_("The date cannot be in the future."))
        elif sel.month_is_closed(day):
            errors["date"] = _with(
                _("The month %(month)s is closed: no line is dated in it; correct it with a "
                  "reversal in an open month.") % {"month": f"{day:%Y-%m}"}
            )  # fmt: skip
        elif day < line.date:
            errors["date"] = _with(_("A reversal is not dated before the line it reverses."))
    if errors:
        raise ValidationError(errors)
    assert day is not None
    reversal = LedgerLine.objects.create(
        month=sel.month_first(day), date=day, item_code=line.item_code, category=line.category,
        amount=-line.amount, unit_id=line.unit_id, product_id=line.product_id,
        supplier_id=line.supplier_id, customer_id=line.customer_id,
        origin=LineOrigin.REVERSAL, reverses=line, note=reason[:300], created_by=actor,
    )  # fmt: skip
    audit_record(actor=actor, action="costs.ledgerline.reverse", obj=reversal,
                 after=snapshot(reversal), reason=reason, clause=CLAUSE)  # fmt: skip
    return reversal


# --- pulling the registered cost sources ----------------------------------------------------


def _job_new(actor: User, kind: str, **fields: Any) -> LedgerJob:
    return LedgerJob.objects.create(kind=kind, created_by=actor, **fields)


def _source_line(line: CostLine, actor: User, job: LedgerJob, closed: set[datetime.date]) -> Any:
    day = _first_open_day(line.date, closed)
    note = line.note[:200]
    if day != line.date:
        note = (_("incurred on %(day)s") % {"day": line.date.isoformat()} + " · " + note)[:300]
    return LedgerLine(
        month=sel.month_first(day), date=day, item_code=line.item_code, category=line.category,
        amount=line.amount.quantize(CENT), unit_id=line.unit_id, product_id=line.item_id,
        supplier_id=line.supplier_id, customer_id=line.customer_id, origin=LineOrigin.SOURCE,
        source=line.source[:40], source_key=line.key[:120], source_record=line.record[:200],
        source_url=line.url[:300], source_date=line.date, note=note, job=job,
        created_by=actor,
    )  # fmt: skip


@transaction.atomic
def ledger_sync(
    *, actor: User, first: datetime.date, last: datetime.date, job: LedgerJob | None = None
) -> LedgerJob:
    """Copy every registered source's lines of the period into the ledger, each once, linked to
    its record; reverse a copied line its source no longer yields (the record was voided). One
    audit event on the job for the lines it wrote."""
    require(actor, "costs.add_ledgerline", clause=CLAUSE)
    if first > last:
        raise ValidationError({"first": _with(_("The start is after the end."))})
    if job is None:
        job = _job_new(actor, JobKind.SYNC, first=first, last=last, status=JobStatus.RUNNING)
    closed = sel.months_closed()
    sources = {s.code for s in cost_sources()}
    found = {}
    for source in cost_sources():
        for line in source.lines(first, last):
            found[(line.source, line.key)] = line
    known = set(
        LedgerLine.objects.filter(origin=LineOrigin.SOURCE, source__in=sources)
        .filter(source_key__in=[k for _s, k in found])
        .values_list("source", "source_key")
    )
    rows = [_source_line(line, actor, job, closed) for k, line in found.items() if k not in known]
    # Copied lines of the period whose record is gone: reversed, never deleted.
    today = timezone.localdate()
    for code in sources:
        keys = [k for s, k in found if s == code]
        gone = (
            LedgerLine.objects.filter(
                origin=LineOrigin.SOURCE, source=code, source_date__gte=first,
                source_date__lte=last, reversed_by__isnull=True,
            )
            .exclude(source_key__in=keys)
        )  # fmt: skip
        for copied in gone:
            day = today  # the current month is never closed
            rows.append(
                LedgerLine(
                    month=sel.month_first(day),
                    date=day,
                    item_code=copied.item_code,
                    category=copied.category,
                    amount=-copied.amount,
                    unit_id=copied.unit_id,
                    product_id=copied.product_id,
                    supplier_id=copied.supplier_id,
                    customer_id=copied.customer_id,
                    origin=LineOrigin.REVERSAL,
                    reverses=copied,
                    note=(_("source record voided") + " · " + copied.source_record)[:300],
                    job=job,
                    created_by=actor,
                )
            )
    job.total = len(rows)
    if rows:
        audited_bulk_create(
            actor=actor, obj=job, action="costs.ledger.sync", model=LedgerLine, rows=rows,
            after={"first": first.isoformat(), "last": last.isoformat()}, clause=CLAUSE,
        )  # fmt: skip
    job.done = job.written = len(rows)
    job.status = JobStatus.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["total", "done", "written", "status", "finished_at"])
    return job


# --- the monthly close ----------------------------------------------------------------------


@transaction.atomic
def month_close(*, actor: User, month: Any) -> MonthClose:
    """Close a month that has ended: its sources' lines are pulled first, then it is locked (no
    line is dated in it any more) with its total and count, audited."""
    require(actor, "costs.close_month", clause=CLAUSE)
    first = month_parse(month)
    last = sel.month_last(first)
    if last >= timezone.localdate():
        raise ValidationError({"month": _with(_("Only a month that has ended is closed."))})
    if MonthClose.objects.filter(month=first).exists():
        raise ValidationError({"month": _with(_("This month is already closed."))})
    ledger_sync(actor=actor, first=first, last=last)
    from django.db.models import Count, Sum

    # One grouped read of the month: its totals rows, and the close's total and count as their
    # sums (exact: Decimal cents).
    totals = [
        MonthTotal(month=first, category=r["category"], item_code=r["item_code"],
                   unit_id=r["unit_id"], product_id=r["product_id"],
                   total=Decimal(r["t"]).quantize(CENT), lines=r["n"])
        for r in LedgerLine.objects.filter(month=first)
        .values("category", "item_code", "unit_id", "product_id")
        .annotate(t=Sum("amount"), n=Count("*")).order_by()
    ]  # fmt: skip
    closed = MonthClose.objects.create(
        month=first, closed_by=actor, total=sum((t.total for t in totals), Decimal("0.00")),
        lines=sum(t.lines for t in totals),
    )  # fmt: skip
    MonthTotal.objects.bulk_create(totals)
    audit_record(actor=actor, action="costs.month.close", obj=closed, after=snapshot(closed),
                 clause=CLAUSE)  # fmt: skip
    return closed


# --- finance's figures ----------------------------------------------------------------------


def _figure_write(
    *, actor: User, month: datetime.date, kind: str, amount: Decimal, note: str = ""
) -> BaseFigure:
    previous = (
        BaseFigure.objects.select_for_update(of=("self",))
        .filter(month=month, kind=kind, voided_at__isnull=True)
        .first()
    )
    if previous is not None:
        if previous.amount == amount:
            return previous
        previous.voided_at = timezone.now()
        previous.voided_by = actor
        previous.void_reason = _("Replaced by a new figure for the month.")
        previous.save(update_fields=["voided_at", "voided_by", "void_reason"])
    figure = BaseFigure.objects.create(
        month=month, kind=kind, amount=amount, note=note[:300], entered_by=actor
    )
    audit_record(
        actor=actor, action="costs.basefigure.set", obj=figure,
        before=snapshot(previous) if previous else None, after=snapshot(figure), clause=CLAUSE,
    )  # fmt: skip
    return figure


@transaction.atomic
def base_figure_set(
    *, actor: User, month: Any, kind: Any, amount: Any, note: Any = ""
) -> BaseFigure:
    """Finance's figure of a month (sales revenue, output value or profit), the base of the
    ratios per 100 yuan; a new one replaces the old (kept, voided). Profit may be negative."""
    require(actor, "costs.add_basefigure", clause=CLAUSE)
    errors: dict[str, Any] = {}
    day = None
    try:
        day = month_parse(month)
        if day > timezone.localdate():
            errors["month"] = _with(_("The month cannot be in the future."))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if kind not in BaseKind.values:
        errors["kind"] = _with(_("Choose sales revenue, output value or profit."))
    money = None
    try:
        money = amount_parse(amount, signed=kind == BaseKind.PROFIT)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    text = _text(note, "note") if isinstance(note, str) and len(note) <= 300 else ""
    if errors:
        raise ValidationError(errors)
    assert day is not None and money is not None
    return _figure_write(actor=actor, month=day, kind=kind, amount=money, note=text)


@transaction.atomic
def finance_keeper_name(*, actor: User, user: User) -> FinanceKeeper:
    """The CQO names a user who keeps finance's figures."""
    require(actor, "costs.change_financekeeper", clause=CLAUSE)
    if not isinstance(user, User) or not user.is_active:
        raise ValidationError({"user": _with(_("Choose an active user."))})
    if FinanceKeeper.objects.filter(user=user, voided_at__isnull=True).exists():
        raise ValidationError({"user": _with(_("This user already keeps the figures."))})
    keeper = FinanceKeeper.objects.create(user=user, named_by=actor)
    audit_record(actor=actor, action="costs.financekeeper.create", obj=keeper,
                 after=snapshot(keeper), clause=CLAUSE)  # fmt: skip
    return keeper


def finance_keeper_remove(*, actor: User, keeper: FinanceKeeper, reason: str) -> Any:
    return record_void(actor=actor, record=keeper, reason=reason,
                       perm="costs.change_financekeeper", clause=CLAUSE)  # fmt: skip


# --- imports: a job in the queue, all or nothing --------------------------------------------

LINE_COLUMNS = ("date", "item_code", "amount", "unit", "product", "supplier", "customer", "note")
FIGURE_COLUMNS = ("month", "sales", "output", "profit", "note")


def _column_labels() -> dict[str, str]:
    return {
        "date": _("Date"), "item_code": _("Cost item"), "amount": _("Amount (yuan)"),
        "unit": _("Unit code"), "product": _("Part number"), "supplier": _("Supplier code"),
        "customer": _("Customer code"), "note": _("Note"), "month": _("Month"),
        "sales": _("Sales revenue"), "output": _("Output value"), "profit": _("Profit"),
    }  # fmt: skip


def import_start(*, actor: User, kind: str, file_name: str, content: bytes) -> LedgerJob:
    """Queue an Excel import (cost lines or finance figures); the job reads, checks every row,
    and writes all of them or none. Its page shows the progress and the refused rows."""
    if kind == JobKind.FIGURES:
        require(actor, "costs.add_basefigure", clause=CLAUSE)
    elif kind == JobKind.LINES:
        require(actor, "costs.add_ledgerline", clause=CLAUSE)
    else:
        raise ValidationError({"kind": _with(_("Unknown import."))})
    if not content.startswith(XLSX_MAGIC):
        raise ValidationError({"file": _with(_("Give an Excel workbook (.xlsx)."))})
    job = _job_new(actor, kind, file_name=(file_name or "")[:200], content=content)
    audit_record(actor=actor, action="costs.import.start", obj=job,
                 after={"kind": kind, "file": job.file_name}, clause=CLAUSE)  # fmt: skip
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks_ledger import ledger_job_run

    ledger_job_run(job_id)


def _read_rows(
    job: LedgerJob, columns: tuple[str, ...]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from openpyxl import load_workbook

    labels = _column_labels()
    try:
        wb = load_workbook(io.BytesIO(bytes(job.content)), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return [], [{"row": 0, "column": "", "message": _("The file is not a readable workbook.")}]
    ws = wb.worksheets[0]
    rows_iter = ws.iter_rows(values_only=True)
    header = next(rows_iter, None) or ()
    by_label = {labels[c].lower(): c for c in columns} | {c: c for c in columns}
    index: dict[str, int] = {}
    for n, cell in enumerate(header):
        key = by_label.get(str(cell or "").strip().lower())
        if key:
            index[key] = n
    required = ("date", "item_code", "amount") if columns is LINE_COLUMNS else ("month",)
    missing = [c for c in required if c not in index]
    if missing:
        return [], [{"row": 1, "column": ", ".join(labels[c] for c in missing),
                     "message": _("The column is missing.")}]  # fmt: skip
    rows = []
    for number, values in enumerate(rows_iter, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        rows.append({"_row": number, **{c: values[i] if i < len(values) else None
                                        for c, i in index.items()}})  # fmt: skip
        if len(rows) > MAX_ROWS:
            return [], [
                {
                    "row": number,
                    "column": "",
                    "message": _("At most %(n)s rows in one file.") % {"n": MAX_ROWS},
                }
            ]
    wb.close()
    return rows, []


def _progress(job: LedgerJob, done: int) -> None:
    # Outside the writing transaction (the job's row is read by the progress page).
    LedgerJob.objects.filter(pk=job.pk).update(done=done)


def _error(row: int, field: str, messages: Any) -> dict[str, Any]:
    labels = _column_labels()
    text = "; ".join(str(m) for m in (messages if isinstance(messages, list) else [messages]))
    return {"row": row, "column": labels.get(field, field), "message": text}


def _lines_check(
    job: LedgerJob, rows: list[dict[str, Any]], actor: User
) -> tuple[list[LedgerLine], list[dict[str, Any]]]:
    from cqo.masterdata.models import Customer, Item, Supplier
    from cqo.organisation.models import Unit

    lookups = {
        "unit": dict(Unit.objects.active().values_list("code", "pk")),
        "product": dict(Item.objects.active().values_list("part_number", "pk")),
        "supplier": dict(Supplier.objects.active().values_list("code", "pk")),
        "customer": dict(Customer.objects.active().values_list("code", "pk")),
    }
    categories = {e.code: e.category for e in sel.chart()}
    closed = sel.months_closed()
    today = timezone.localdate()
    built: list[LedgerLine] = []
    errors: list[dict[str, Any]] = []
    for n, row in enumerate(rows, start=1):
        number = row["_row"]
        problems: dict[str, Any] = {}
        day = None
        try:
            day = date_parse(row.get("date"))
            if day > today:
                problems["date"] = _with(_("The date cannot be in the future."))
            elif sel.month_first(day) in closed:
                problems["date"] = _with(
                    _("The month %(month)s is closed: no line is dated in it; correct it with "
                      "a reversal in an open month.") % {"month": f"{day:%Y-%m}"}
                )  # fmt: skip
        except ValidationError as exc:
            problems.update(exc.message_dict)
        code = str(row.get("item_code") or "").strip()
        if code not in categories:
            problems["item_code"] = _with(_("Unknown cost item: choose one from the chart."))
        money = None
        try:
            money = amount_parse(row.get("amount"))
        except ValidationError as exc:
            problems.update(exc.message_dict)
        ids: dict[str, Any] = {}
        for field, table in lookups.items():
            value = row.get(field)
            if value in (None, ""):
                ids[field] = None
                continue
            ids[field] = table.get(str(value).strip())
            if ids[field] is None:
                problems[field] = _with(_("Unknown code: %(code)s.") % {"code": str(value)[:60]})
        note = str(row.get("note") or "").strip()
        if len(note) > 300:
            problems["note"] = _("At most %(n)s characters.") % {"n": 300}
        if problems:
            errors.extend(_error(number, f, m) for f, m in problems.items())
            if len(errors) > 200:
                break
        else:
            assert day is not None and money is not None
            built.append(
                LedgerLine(
                    month=sel.month_first(day),
                    date=day,
                    item_code=code,
                    category=categories[code],
                    amount=money,
                    unit_id=ids["unit"],
                    product_id=ids["product"],
                    supplier_id=ids["supplier"],
                    customer_id=ids["customer"],
                    origin=LineOrigin.IMPORT,
                    note=note,
                    source_record=f"{job.file_name} · {number}"[:200],
                    job=job,
                    created_by=actor,
                )
            )
        if n % 2000 == 0:
            _progress(job, n // 2)
    return built, errors


def _figures_check(
    rows: list[dict[str, Any]],
) -> tuple[list[tuple[datetime.date, str, Decimal, str]], list[dict[str, Any]]]:
    today = timezone.localdate()
    found: list[tuple[datetime.date, str, Decimal, str]] = []
    errors: list[dict[str, Any]] = []
    seen: set[datetime.date] = set()
    for row in rows:
        number = row["_row"]
        problems: dict[str, Any] = {}
        month = None
        try:
            month = month_parse(row.get("month"))
            if month > today:
                problems["month"] = _with(_("The month cannot be in the future."))
            elif month in seen:
                problems["month"] = _with(_("This month is twice in the file."))
            seen.add(month)
        except ValidationError as exc:
            problems.update(exc.message_dict)
        note = str(row.get("note") or "").strip()[:300]
        given = 0
        for kind in BaseKind.values:
            value = row.get(kind)
            if value in (None, ""):
                continue  # not given: stays missing, never assumed
            given += 1
            try:
                money = amount_parse(value, kind, signed=kind == BaseKind.PROFIT)
            except ValidationError as exc:
                problems.update(exc.message_dict)
                continue
            if month is not None:
                found.append((month, kind, money, note))
        if not given and "month" not in problems:
            problems["sales"] = _with(_("Give at least one figure for the month."))
        errors.extend(_error(number, f, m) for f, m in problems.items())
    return found, errors


def job_run(job_id: int) -> LedgerJob:
    """Run a queued import: read, check every row, then write all or nothing."""
    job = LedgerJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return job
    LedgerJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    actor = job.created_by
    columns = LINE_COLUMNS if job.kind == JobKind.LINES else FIGURE_COLUMNS
    rows, errors = _read_rows(job, columns)
    LedgerJob.objects.filter(pk=job.pk).update(total=len(rows))
    job.total = len(rows)
    try:
        if not errors:
            if job.kind == JobKind.LINES:
                built, errors = _lines_check(job, rows, actor)
                if not errors:
                    _progress(job, len(rows) // 2)
                    with transaction.atomic():
                        require(actor, "costs.add_ledgerline", clause=CLAUSE)
                        audited_bulk_create(
                            actor=actor, obj=job, action="costs.ledger.import", model=LedgerLine,
                            rows=built, after={"file": job.file_name}, clause=CLAUSE,
                        )  # fmt: skip
                    job.written = len(built)
            else:
                found, errors = _figures_check(rows)
                if not errors:
                    with transaction.atomic():
                        require(actor, "costs.add_basefigure", clause=CLAUSE)
                        for month, kind, money, note in found:
                            _figure_write(actor=actor, month=month, kind=kind, amount=money,
                                          note=note)  # fmt: skip
                    job.written = len(found)
    except PermissionDenied as exc:
        errors = [{"row": 0, "column": "", "message": str(exc)}]
    except ValidationError as exc:  # a rule checked again at write time
        errors = [{"row": 0, "column": "", "message": "; ".join(exc.messages)}]
    job.errors = errors[:200]
    job.status = JobStatus.FAILED if errors else JobStatus.DONE
    job.done = 0 if errors else job.total
    if errors:
        job.written = 0
    job.finished_at = timezone.now()
    job.content = b""  # the file is not kept once read
    job.save(update_fields=["errors", "status", "done", "written", "finished_at", "content"])
    return job


def sync_start(*, actor: User, first: Any, last: Any) -> LedgerJob:
    """Queue a pull of the cost sources over a period (the page's button)."""
    require(actor, "costs.add_ledgerline", clause=CLAUSE)
    day1 = date_parse(first, "first")
    day2 = date_parse(last, "last")
    if day1 > day2:
        raise ValidationError({"first": _with(_("The start is after the end."))})
    job = _job_new(actor, JobKind.SYNC, first=day1, last=day2)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def job_execute(job_id: int) -> LedgerJob:
    """The queue's entry point for every ledger job."""
    job = LedgerJob.objects.select_related("created_by").get(pk=job_id)
    if job.kind == JobKind.SYNC:
        if job.status != JobStatus.QUEUED:
            return job
        assert job.first is not None and job.last is not None
        try:
            return ledger_sync(actor=job.created_by, first=job.first, last=job.last, job=job)
        except (PermissionDenied, ValidationError) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            LedgerJob.objects.filter(pk=job.pk).update(
                status=JobStatus.FAILED, errors=[{"row": 0, "column": "", "message": message}],
                finished_at=timezone.now(),
            )  # fmt: skip
            job.refresh_from_db()
            return job
    return job_run(job_id)


def sync_month_job(actor: User | None = None) -> int:
    """The nightly pull: the current month and the previous one, by the system's account for the
    ledger (the first active CQO-role user); returns the lines written."""
    from cqo.organisation.roles import CQO

    who = actor or User.objects.filter(groups__name=CQO, is_active=True).order_by("pk").first()
    if who is None:
        return 0
    today = timezone.localdate()
    first = sel.month_first(sel.month_first(today) - datetime.timedelta(days=1))
    if first in sel.months_closed():
        first = sel.month_first(today)
    job = ledger_sync(actor=who, first=first, last=today)
    return job.written
