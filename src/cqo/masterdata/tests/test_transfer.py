import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from cqo.audit.models import AuditEvent
from cqo.masterdata import transfer as T
from cqo.masterdata.models import ApprovedSupplier, Characteristic, Item, Supplier
from cqo.organisation.validators import credit_code_complete
from cqo.testing.masterdata import CharacteristicFactory, ItemFactory, SupplierFactory
from cqo.testing.world import Org

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return Org()


def _book(*rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "data.xlsx"
    return out


def _import(org, sheet, *rows, language="en"):
    with translation.override(language):
        return T.import_xlsx(actor=org.engineer, sheet=T.SHEETS[sheet], file=_book(*rows))


def test_items_are_imported_with_english_or_chinese_headers_and_choice_labels(org):
    result = _import(
        org, "items",
        ("Part number", "名称", "kind", "Incoming gate"),
        ("P-1", "活塞", "零部件", "Warn"),
        ("P-2", "缸体", "material", ""),
    )  # fmt: skip
    assert result.ok, result.problems
    assert result.created == 2
    assert Item.objects.get(part_number="P-1").gate_iqc == "warn"
    assert Item.objects.get(part_number="P-2").kind == "material"


def test_an_existing_part_number_updates_the_item_and_its_history_names_the_file(org):
    item = ItemFactory(part_number="P-1", name="旧名")
    result = _import(org, "items", ("part_number", "name", "kind"), ("P-1", "新名", "part"))
    assert result.ok and result.updated == 1
    item.refresh_from_db()
    assert item.name == "新名"
    latest = item.history.order_by("-history_date").first()
    assert "data.xlsx" in latest.history_change_reason
    assert AuditEvent.objects.filter(action="masterdata.item.update").count() == 1


def test_reimporting_an_export_changes_nothing(org):
    CharacteristicFactory(code="D1", special=True)
    content = T.export_xlsx(T.SHEETS["characteristics"], Characteristic.objects.all())
    result = T.import_xlsx(
        actor=org.engineer, sheet=T.SHEETS["characteristics"], file=T.xlsx_file(content)
    )
    assert result.ok, result.problems
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_an_unknown_item_in_an_import_names_row_and_column_and_nothing_is_written(org):
    ItemFactory(part_number="P-1")
    result = _import(
        org, "characteristics",
        ("part_number", "code", "name", "kind", "lsl", "usl"),
        ("P-1", "D1", "外径", "variable", "9.9", "10.1"),
        ("P-404", "D2", "内径", "variable", "4.9", "5.1"),
        language="zh-hans",
    )  # fmt: skip
    assert not result.ok
    [problem] = result.problems
    assert problem.row == 3
    assert problem.column == "物料编码"
    assert "P-404" in problem.message
    assert not Characteristic.objects.exists()


def test_an_unknown_supplier_in_the_approved_supplier_list_is_refused(org):
    ItemFactory(part_number="P-1")
    result = _import(org, "asl", ("part_number", "supplier"), ("P-1", "S-404"))
    assert [(p.row, p.column) for p in result.problems] == [(2, "Supplier code")]
    assert not ApprovedSupplier.objects.exists()


def test_a_bad_credit_code_and_a_service_refusal_are_both_listed_and_nothing_written(org):
    good = credit_code_complete("91500000" + "87654321")
    result = _import(
        org, "suppliers",
        ("code", "name", "credit_code"),
        ("S1", "甲", good),
        ("S2", "乙", "91500000123456789A"),
        ("S3", "", ""),
    )  # fmt: skip
    rows = {(p.row, p.column) for p in result.problems}
    assert (3, "Unified social credit code") in rows
    assert (4, "Name") in rows
    assert not Supplier.objects.exists()
    assert not AuditEvent.objects.filter(action="masterdata.supplier.create").exists()


def test_a_key_twice_in_one_file_is_refused(org):
    result = _import(
        org, "items", ("part_number", "name", "kind"), ("P-1", "a", "part"), ("P-1", "b", "part")
    )
    assert [p.row for p in result.problems] == [3]
    assert not Item.objects.exists()


def test_a_number_that_is_not_a_number_names_its_cell(org):
    ItemFactory(part_number="P-1")
    result = _import(
        org, "characteristics",
        ("part_number", "code", "name", "kind", "usl"),
        ("P-1", "D1", "外径", "variable", "十"),
    )  # fmt: skip
    assert [(p.row, p.column) for p in result.problems] == [(2, "Upper specification limit")]


def test_a_missing_required_column_and_a_file_that_is_not_a_workbook_are_refused(org):
    result = _import(org, "items", ("part_number", "name"), ("P-1", "a"))
    assert [(p.row, p.column) for p in result.problems] == [(1, "Kind")]
    not_xlsx = io.BytesIO(b"%PDF-1.4 not a workbook")
    result = T.import_xlsx(actor=org.engineer, sheet=T.SHEETS["items"], file=not_xlsx)
    assert result.problems and result.problems[0].row == 0


def test_an_inspector_may_not_import_items(org):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        T.import_xlsx(actor=org.inspector, sheet=T.SHEETS["items"], file=_book(("part_number",)))


def test_an_export_keeps_a_formula_like_name_as_text(client, org):
    SupplierFactory(name='=HYPERLINK("http://x")')
    client.force_login(org.auditor)
    response = client.get(reverse("masterdata:sheet_export", args=["suppliers"]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    cell = ws.cell(row=2, column=2)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


def test_every_list_exports_and_every_importable_list_has_a_template(client, org):
    client.force_login(org.engineer)
    for key in T.SHEETS:
        assert client.get(reverse("masterdata:sheet_export", args=[key])).status_code == 200
    for key in T.IMPORTABLE:
        response = client.get(reverse("masterdata:sheet_template", args=[key]))
        header = [c.value for c in load_workbook(io.BytesIO(response.content)).active[1]]
        result = T.import_xlsx(
            actor=org.engineer, sheet=T.SHEETS[key], file=T.xlsx_file(response.content)
        )
        assert result.ok and header, key


def test_the_import_page_lists_the_problems_in_the_users_language(client, org):
    client.force_login(org.engineer)
    upload = _book(("part_number", "name", "kind"), ("P-1", "a", "widget"))
    response = client.post(
        reverse("masterdata:sheet_import", args=["items"]),
        {"file": upload},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "widget" in page and not Item.objects.exists()


def test_a_decimal_from_excel_is_kept_exactly(org):
    ItemFactory(part_number="P-1")
    result = _import(
        org, "characteristics",
        ("part_number", "code", "name", "kind", "lsl", "usl"),
        ("P-1", "D1", "外径", "variable", 9.95, 10.05),
    )  # fmt: skip
    assert result.ok, result.problems
    assert Characteristic.objects.get().lsl == Decimal("9.95")
