"""The CQO post in a browser (§3.1, §4.1, §4.2, §5.1): the principal tries to appoint a candidate
who is disqualified and sees the blocks, appoints a qualified one and sees the passes and the
warning, signs, and approves and publishes the charter; the audit chain verifies. Once in Chinese
(the default) and once in English (switched with the language buttons)."""

from __future__ import annotations

from typing import Any

import pytest

from cqo.audit.services import verify_chain
from cqo.charter.models import Charter, CharterStatus
from cqo.organisation import roles as R
from cqo.organisation.models import UnitKind
from cqo.post.models import Appointment, AppointmentStatus, EvidenceKind
from cqo.post.presets import rule_sets_ensure
from cqo.testing.factories import (
    TEST_PASSWORD,
    EnterpriseFactory,
    UnitFactory,
    member,
)
from cqo.testing.world import add_evidence, make_candidate

TEXT = {
    "zh-hans": {
        "check": "核查并保存草稿",
        "applies": "存在",
        "not": "不存在",
        "blocked": "不得任命为首席质量官",
        "sign": "签署任命",
        "signed": "已签署",
        "in_force": "生效中",
        "generate": "生成",
        "approve": "批准制度",
        "publish": "发布",
        "published": "已发布",
        "meaning": "主要负责人依据§3.1任命为首席质量官",
    },
    "en": {
        "check": "Check and save the draft",
        "applies": "Applies",
        "not": "Does not apply",
        "blocked": "cannot be appointed CQO",
        "sign": "Sign the appointment",
        "signed": "Signed",
        "in_force": "in force",
        "generate": "Generate",
        "approve": "Approve the charter",
        "publish": "Publish",
        "published": "Published",
        "meaning": "Appointed as CQO by the principal under §3.1",
    },
}


def _setup() -> dict[str, Any]:
    rule_sets_ensure()
    enterprise = EnterpriseFactory()
    root = UnitFactory(enterprise=enterprise, kind=UnitKind.COMPANY, code="ROOT", name="公司")
    principal = member(R.PRINCIPAL, unit=root, username="principal")
    enterprise.principal = principal.person
    enterprise.save()
    good = make_candidate(root, "cand_good", name="刘晓梅", name_en="Liu Xiaomei")
    # No training certificate on file: §5.1.3 is a recommendation, so a warning, not a block.
    add_evidence(
        good, EvidenceKind.DIPLOMA, EvidenceKind.TITLE_CERTIFICATE, EvidenceKind.WORK_RECORD
    )
    bad = make_candidate(root, "cand_bad", name="赵某", name_en="Zhao Mou")
    add_evidence(bad)
    return {"principal": principal, "good": good, "bad": bad}


def _sign_in(page: Any, base: str, username: str, language: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator('form[action$="/accounts/login/"] button[type=submit]').click()
    page.wait_for_url(f"{base}/")
    if language == "en":
        page.locator(".lang-switch button[value=en]").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"


def _fill_appointment(page: Any, person: Any, answers: dict[str, str]) -> None:
    form = page.locator("#appointment-form")
    form.locator("select[name=person]").select_option(str(person.pk))
    for field, value in answers.items():
        form.locator(f"input[name={field}][value={value}]").check()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_principal_appoints_a_qualified_cqo_and_approves_the_charter(
    page: Any, live_server: Any, language: str
) -> None:
    data = _setup()
    text = TEXT[language]
    base = live_server.url
    _sign_in(page, base, "principal", language)

    # A candidate declared to have abused the office: the report shows the block, nothing saved.
    page.goto(f"{base}/post/appointments/new/")
    _fill_appointment(
        page,
        data["bad"],
        {"decl_serious_error": "no", "decl_abuse_of_office": "yes", "decl_leaked_secrets": "no"},
    )
    page.get_by_role("button", name=text["check"]).click()
    page.wait_for_load_state()
    assert text["blocked"] in page.content(), page.locator("main").inner_text()
    blocks = page.locator('table.qualification-report tr[data-outcome="block"]')
    assert blocks.count() == 1 and "§5.1.4" in blocks.first.inner_text()
    assert not Appointment.objects.exists()

    # A qualified candidate: passes, and a warning for the missing training certificate.
    _fill_appointment(
        page,
        data["good"],
        {"decl_serious_error": "no", "decl_abuse_of_office": "no", "decl_leaked_secrets": "no"},
    )
    page.get_by_role("button", name=text["check"]).click()
    page.wait_for_url(f"{base}/post/appointments/*/")
    report = page.locator("table.qualification-report")
    assert report.locator('tr[data-outcome="pass"]').count() >= 6
    warning = report.locator('tr[data-outcome="warning"]')
    assert warning.count() == 1 and "§5.1.3" in warning.inner_text()
    assert report.locator('tr[data-outcome="block"]').count() == 0

    # The e-signature puts it in force.
    form = page.locator("#sign-form")
    assert text["meaning"] in form.inner_text()
    form.locator("input[name=sig-password]").fill(TEST_PASSWORD)
    form.locator("input[name=sig-confirm]").check()
    page.get_by_role("button", name=text["sign"]).click()
    page.wait_for_load_state()
    assert text["in_force"] in page.content()
    appointment = Appointment.objects.get()
    assert appointment.status == AppointmentStatus.SIGNED
    assert appointment.person == data["good"]
    assert text["meaning"] in page.locator(".signatures").inner_text()

    # The charter: generated from the data, approved with a signature, published.
    page.goto(f"{base}/post/charter/")
    page.get_by_role("button", name=text["generate"], exact=True).click()
    page.wait_for_url(f"{base}/post/charter/*/")
    assert "§6 i)" in page.content() and "§7.2.1.4" in page.content()
    form = page.locator("#approve-form")
    form.locator("input[name=sig-password]").fill(TEST_PASSWORD)
    form.locator("input[name=sig-confirm]").check()
    page.get_by_role("button", name=text["approve"]).click()
    page.wait_for_load_state()
    page.locator("#publish").click()
    page.wait_for_load_state()
    assert page.locator("#charter-status").inner_text() == text["published"]
    assert Charter.objects.get().status == CharterStatus.PUBLISHED

    # The letter prints.
    response = page.request.get(f"{base}/post/appointments/{appointment.pk}/letter.pdf")
    assert response.ok and response.body().startswith(b"%PDF")
    assert verify_chain() is None
