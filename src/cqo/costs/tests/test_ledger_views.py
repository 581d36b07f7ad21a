"""The ledger's pages and API (§7.1.5, §7.2.3.7): the report shows a missing ratio as missing,
entry and reversal from the pages, an import as a job whose page shows its progress and refused
rows, and the API taking amounts as decimal strings and refusing what is not a number with the
field and clause named."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cqo.costs import services_ledger as S
from cqo.costs.models_ledger import JobStatus, LedgerJob, LedgerLine, LineOrigin
from cqo.testing.factories import TEST_PASSWORD
from cqo.testing.ledger import fake_source, finance_keeper, line, workbook
from cqo.testing.world import Org, today


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def _client(user: Any, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username=user.username, password=TEST_PASSWORD)
    return client


def _api(user: Any) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def _last_month() -> datetime.date:
    return (today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def test_the_report_shows_totals_with_drill_down_and_a_missing_ratio_as_missing(org: Org) -> None:
    keeper = finance_keeper(org)
    month = _last_month()
    line(org, on=month, item_code="i_scrap", amount="600.00", unit=org.production)
    S.base_figure_set(actor=keeper, month=month, kind="sales", amount="60000")
    response = _client(org.auditor, "en").get(
        reverse("costs:ledger_report"), {"first": month.isoformat(), "last": today().isoformat()}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "600.00" in page and "cost-trend-option" in page and "echarts.min.js" in page
    report = response.context["data"]
    rows = {r["month"]: r for r in report["month_rows"]}
    assert rows[month]["ratios"]["sales"] == Decimal("1.00")
    assert rows[today().replace(day=1)]["ratios"]["sales"] is None
    assert 'class="missing"' in page
    assert reverse("costs:ledger_lines") + "?first=" in page


def test_a_line_is_entered_and_reversed_from_the_pages(org: Org) -> None:
    client = _client(org.cqo)
    response = client.post(reverse("costs:ledger_line_add"), {
        "date": today().isoformat(), "item_code": "a_final", "amount": "abc", "unit": org.qm.pk,
    })  # fmt: skip
    assert response.status_code == 200
    assert "§7.1.5" in " ".join(response.context["form"].errors["amount"])
    response = client.post(reverse("costs:ledger_line_add"), {
        "date": today().isoformat(), "item_code": "a_final", "amount": "88.80", "unit": org.qm.pk,
    })  # fmt: skip
    entered = LedgerLine.objects.get()
    assert response.status_code == 302 and entered.amount == Decimal("88.80")
    response = client.post(reverse("costs:ledger_line_detail", args=[entered.pk]),
                           {"reason": "重复录入"})  # fmt: skip
    reversal = LedgerLine.objects.get(reverses=entered)
    assert response.status_code == 302 and reversal.amount == Decimal("-88.80")
    page = client.get(reverse("costs:ledger_line_detail", args=[entered.pk])).content.decode()
    assert "reversed-by" in page and "reverse-form" not in page


def test_an_inspector_may_not_post_a_reversal(org: Org) -> None:
    entered = line(org, on=today())
    response = _client(org.inspector).post(
        reverse("costs:ledger_line_detail", args=[entered.pk]), {"reason": "x"}
    )
    assert response.status_code == 403
    assert not LedgerLine.objects.filter(reverses=entered).exists()


def test_an_import_runs_as_a_job_whose_page_lists_the_refused_rows(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    content = workbook(["日期", "成本科目", "金额（元）"], [
        [today().isoformat(), "a_final", "10.00"], [today().isoformat(), "a_final", "ten"],
    ])  # fmt: skip
    client = _client(org.cqo)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("costs:ledger_import") + "?kind=lines", {
            "kind": "lines", "file": SimpleUploadedFile("m.xlsx", content),
        })  # fmt: skip
    job = LedgerJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("costs:ledger_job",
                                                                   args=[job.pk])  # fmt: skip
    assert job.status == JobStatus.FAILED and not LedgerLine.objects.exists()
    page = client.get(response.url).content.decode()
    assert "job-errors" in page and "金额（元）" in page


def test_finance_imports_a_month_of_sales_from_the_page(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    keeper = finance_keeper(org)
    month = _last_month()
    content = workbook(
        ["Month", "Sales revenue", "Output value", "Profit"],
        [[month.strftime("%Y-%m"), "5000000", "5300000", "410000.50"]],
    )
    assert _client(org.cqo).get(reverse("costs:ledger_import") + "?kind=figures").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        _client(keeper, "en").post(reverse("costs:ledger_import"), {
            "kind": "figures", "file": SimpleUploadedFile("sales.xlsx", content),
        })  # fmt: skip
    job = LedgerJob.objects.get()
    assert job.status == JobStatus.DONE and job.written == 3, job.errors
    page = _client(keeper).get(reverse("costs:ledger_figures"),
                               {"year": month.year}).content.decode()  # fmt: skip
    assert "5000000.00" in page and "410000.50" in page


def test_the_pull_of_the_sources_runs_as_a_job(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    with fake_source() as source:
        source.add("s1", today(), "12.00")
        with django_capture_on_commit_callbacks(execute=True):
            response = _client(org.cqo).post(reverse("costs:ledger_sync"), {
                "first": today().replace(day=1).isoformat(), "last": today().isoformat(),
            })  # fmt: skip
    job = LedgerJob.objects.get()
    assert response.status_code == 302 and job.status == JobStatus.DONE and job.written == 1
    page = _client(org.cqo).get(reverse("costs:ledger_lines")).content.decode()
    assert "/records/s1/" in page and "REC-s1" in page


def test_the_months_page_closes_a_month_and_names_a_refusal(org: Org) -> None:
    client = _client(org.cqo, "en")
    response = client.post(reverse("costs:ledger_months"), {"month": today().strftime("%Y-%m")})
    assert response.status_code == 200 and response.context["form"].errors["month"]
    response = client.post(
        reverse("costs:ledger_months"), {"month": _last_month().strftime("%Y-%m")}
    )
    assert response.status_code == 302


def test_the_chart_page_adds_an_item_and_the_cqo_names_a_keeper(org: Org) -> None:
    client = _client(org.cqo)
    response = client.post(reverse("costs:ledger_chart"), {
        "code": "p_lab", "category": "prevention", "name": "实验室建设",
    })  # fmt: skip
    assert response.status_code == 302
    assert "p_lab" in client.get(reverse("costs:ledger_chart")).content.decode()
    response = client.post(reverse("costs:ledger_keepers"), {"user": org.head.pk})
    assert response.status_code == 302 and org.head.has_perm("costs.add_basefigure")


def test_the_export_holds_the_lines_and_neutralises_formulas(org: Org) -> None:
    from openpyxl import load_workbook

    line(org, on=today(), note='=HYPERLINK("x")')
    response = _client(org.cqo).get(reverse("costs:ledger_lines_export"))
    assert response.status_code == 200
    import io

    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][3] == 100
    assert not str(rows[1][9]).startswith("=") or ws.cell(2, 10).data_type == "s"


def test_the_api_adds_a_line_from_a_decimal_string_and_refuses_a_text_amount(org: Org) -> None:
    api = _api(org.cqo)
    url = reverse("api:costs:ledger-line-list")
    response = api.post(
        url,
        {
            "date": today().isoformat(),
            "item_code": "a_incoming",
            "amount": "1250.50",
            "unit": org.qm.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["amount"] == "1250.50" and response.data["origin"] == LineOrigin.API
    bad = api.post(url, {"date": today().isoformat(), "item_code": "a_incoming",
                         "amount": "a lot"}, format="json")  # fmt: skip
    assert bad.status_code == 400 and "§7.1.5" in str(bad.data["amount"])
    unknown = api.post(url, {"date": today().isoformat(), "item_code": "zz", "amount": "1"},
                       format="json")  # fmt: skip
    assert unknown.status_code == 400 and "item_code" in unknown.data
    floaty = api.post(url, {"date": today().isoformat(), "item_code": "a_final", "amount": 12.5},
                      format="json")  # fmt: skip
    assert floaty.status_code == 201 and floaty.data["amount"] == "12.50"
    pk = response.data["id"]
    reversed_ = api.post(reverse("api:costs:ledger-line-reverse", args=[pk]),
                         {"reason": "重复"}, format="json")  # fmt: skip
    assert reversed_.status_code == 201 and reversed_.data["amount"] == "-1250.50"
    refused = _api(org.inspector).post(url, {"date": today().isoformat(), "item_code": "a_final",
                                             "amount": "1"}, format="json")  # fmt: skip
    assert refused.status_code == 403


def test_the_api_keys_a_posted_line_once(org: Org) -> None:
    api = _api(org.cqo)
    url = reverse("api:costs:ledger-line-list")
    body = {"date": today().isoformat(), "item_code": "p_rewards", "amount": "300",
            "source": "fund", "source_key": "fund:7"}  # fmt: skip
    assert api.post(url, body, format="json").status_code == 201
    again = api.post(url, body, format="json")
    assert again.status_code == 400 and "source_key" in again.data


def test_the_api_report_gives_missing_ratios_as_null_and_amounts_as_strings(org: Org) -> None:
    line(org, on=today(), item_code="e_claims", amount="40.00", unit=org.production)
    response = _api(org.auditor).get(reverse("api:costs:ledger-report-list"),
                                     {"first": today().replace(day=1).isoformat()})  # fmt: skip
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == "40.00" and data["by_category"]["external"] == "40.00"
    assert data["ratios_per_100_yuan"] == {"sales": None, "output": None, "profit": None}
    assert data["matrix"] == [
        {
            "month": today().strftime("%Y-%m"),
            "category": "external",
            "unit": org.production.pk,
            "total": "40.00",
            "lines": 1,
        }
    ]


def test_the_api_figures_are_entered_by_a_keeper_and_the_chart_lists_seeded_items(
    org: Org,
) -> None:
    keeper = finance_keeper(org)
    url = reverse("api:costs:ledger-figure-list")
    body = {"month": _last_month().strftime("%Y-%m"), "kind": "output", "amount": "x"}
    assert _api(org.cqo).post(url, body, format="json").status_code == 403
    bad = _api(keeper).post(url, body, format="json")
    assert bad.status_code == 400 and "§7.1.5" in str(bad.data["amount"])
    body["amount"] = "7100000.00"
    assert _api(keeper).post(url, body, format="json").status_code == 201
    chart = _api(org.auditor).get(reverse("api:costs:ledger-item-list")).json()
    assert chart[0] == {"code": "p_training", "category": "prevention",
                        "label": "Quality training", "seeded": True}  # fmt: skip
    closed = _api(org.cqo).post(
        reverse("api:costs:ledger-month-list"),
        {"month": _last_month().strftime("%Y-%m")},
        format="json",
    )
    assert closed.status_code == 201 and closed.data["total"] == "0.00"


def test_the_report_prints_as_a_pdf_with_its_figures_and_a_missing_ratio_as_missing(
    org: Org,
) -> None:
    from cqo.testing.pdf import pdf_text

    line(org, on=today(), item_code="i_scrap", amount="300.00")
    client = _client(org.cqo, "en")
    page = client.get(reverse("costs:ledger_report")).content.decode()
    assert reverse("costs:ledger_report_pdf") in page
    response = client.get(reverse("costs:ledger_report_pdf"), {"language": "zh-hans"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "质量成本报告" in text and "300.00" in text and "缺失" in text
