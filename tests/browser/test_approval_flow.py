"""Plans and requests in a browser (issue 7 §3.1, §3.2, §3.3): the CQO creates a quality plan on
the strategy page and sends it for approval; she is not offered the decision, the principal is.
An inspector raises a concession with a PDF attached; the CQO opens the evidence from the
request's page. English only: the forms are the same in both languages."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cqo.authorities.models import ApprovalRequest
from cqo.plans import services as PS
from cqo.plans.models import QualityPlan
from cqo.testing.world import PASSWORD, Org

PDF = b"%PDF-1.4\n% concession evidence\n"


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator('form[action$="/accounts/login/"] button[type=submit]').click()
    page.wait_for_url(f"{base}/")
    page.locator(".lang-switch button[value=en]").click()
    page.wait_for_load_state()


def test_the_cqo_creates_a_plan_and_an_inspector_raises_a_concession_with_evidence(
    browser: Any, live_server: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    org = Org()
    year = timezone.localdate().year
    strategy = PS.strategy_create(
        actor=org.cqo, title="三年质量战略", start_year=year, end_year=year
    )
    base = live_server.url

    cqo = browser.new_context().new_page()
    _sign_in(cqo, base, "cqo")
    cqo.goto(f"{base}/authorities/strategy/")
    plan_form = cqo.locator("form:has(input[name=form][value=plan])")
    plan_form.locator("input[name=plan-title]").fill("2026 年度质量计划")
    plan_form.locator("input[name=plan-year]").fill(str(year))
    plan_form.locator("select[name=plan-strategy]").select_option(str(strategy.pk))
    plan_form.get_by_role("button", name="Create the plan").click()
    cqo.wait_for_url(f"{base}/authorities/plans/*/")
    plan = QualityPlan.objects.get(title="2026 年度质量计划")
    assert plan.strategy == strategy

    PS.plan_item_add(
        actor=org.cqo, plan=plan, title="项目一", owner=org.deputy.person,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    )  # fmt: skip
    request = PS.plan_submit(actor=org.cqo, plan=plan)
    cqo.goto(f"{base}/authorities/approvals/{request.pk}/")
    assert cqo.locator("form.decide-form").count() == 0

    inspector = browser.new_context().new_page()
    _sign_in(inspector, base, "inspector")
    inspector.goto(f"{base}/authorities/approvals/new/")
    form = inspector.locator("#approval-raise-form")
    form.locator("select[name=kind]").select_option("concession")
    form.locator("textarea[name=summary]").fill("来料 Fe 含量超标，申请让步接收")
    form.locator("input[name=attachments]").set_input_files(
        [{"name": "report.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    form.get_by_role("button", name="Raise the request").click()
    inspector.wait_for_url(f"{base}/authorities/approvals/*/")
    concession = ApprovalRequest.objects.get(kind="concession")

    cqo.goto(f"{base}/authorities/approvals/{concession.pk}/")
    with cqo.expect_download() as download:
        cqo.get_by_role("link", name="report.pdf").click()
    assert open(download.value.path(), "rb").read() == PDF
