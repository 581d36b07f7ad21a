"""Customer complaints in a browser (§6 c)): a quality engineer records a complaint on the page;
it opens its NCR, and its page shows the response deadlines from the customer's policy; the
containment is recorded on the page and its deadline shows as met. In Chinese and in English."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from cqo.anomalies.models_complaints import Complaint, ComplaintStatus
from cqo.testing.complaints import complaint_world, policy
from cqo.testing.world import PASSWORD, Org

TEXT = {
    "zh-hans": {
        "record": "登记投诉", "submit": "登记该投诉", "recorded": "已登记",
        "contain": "记录遏制措施", "met": "按期完成", "due": "到期",
    },
    "en": {
        "record": "Record a complaint", "submit": "Record the complaint", "recorded": "was recorded",
        "contain": "Record the containment", "met": "Met", "due": "Due",
    },
}  # fmt: skip


def _sign_in(page: Any, base: str, username: str, language: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator('form[action$="/accounts/login/"] button[type=submit]').click()
    page.wait_for_url(f"{base}/")
    if language == "en":
        page.locator(".lang-switch button[value=en]").click()
        page.wait_for_load_state()
    assert (page.locator("html").get_attribute("lang") or "").lower() == language


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_complaint_is_recorded_opens_its_ncr_and_shows_its_deadlines(
    page: Any, live_server: Any, language: str
) -> None:
    words = TEXT[language]
    org = Org()
    w = complaint_world(created_by=org.engineer)
    policy(w.customer, hours=12, days=10)
    base = live_server.url
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(page, base, org.engineer.username, language)
    page.goto(f"{base}/anomalies/complaints/")
    page.get_by_role("link", name=words["record"]).click()
    page.select_option("select[name=customer]", str(w.customer.pk))
    page.select_option("select[name=item]", str(w.item.pk))
    page.fill("input[name=lot_number]", w.lot.number)
    page.fill("textarea[name=description]", "客户装配时发现孔径偏大，无法装配")
    page.select_option("select[name=defect_class]", "MA")
    page.fill("input[name=claim_amount]", "2800.00")
    received = timezone.localtime() - datetime.timedelta(hours=2)
    page.fill("input[name=received_at]", received.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name=words["submit"]).click()
    page.wait_for_load_state()

    complaint = Complaint.objects.get()
    assert page.url.endswith(f"/anomalies/complaints/{complaint.pk}/")
    assert words["recorded"] in page.content()
    # The NCR it opened, linked from its page.
    assert complaint.anomaly is not None
    assert complaint.anomaly.number in page.locator(".complaint-ncr").inner_text()
    # The deadlines of the customer's policy: containment in 12 hours, the 8D in 10 days.
    due = received.replace(second=0, microsecond=0) + datetime.timedelta(hours=12)
    containment = page.locator("tr[data-deadline=containment]")
    assert due.strftime("%Y-%m-%d %H:%M") in containment.inner_text()
    assert words["due"] in containment.inner_text()
    eightd = page.locator("tr[data-deadline='8d']")
    eightd_due = received.replace(second=0, microsecond=0) + datetime.timedelta(days=10)
    assert eightd_due.strftime("%Y-%m-%d %H:%M") in eightd.inner_text()

    page.fill("textarea[name=note]", "已冻结库存及在途批次，安排全检挑选")
    page.get_by_role("button", name=words["contain"]).click()
    page.wait_for_load_state()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CONTAINED
    assert words["met"] in page.locator("tr[data-deadline=containment]").inner_text()
    assert errors == []
