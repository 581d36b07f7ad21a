"""Supplier corrective action requests (§7.1.4): issued from an NCR on a supplier's lot, answered
D3–D7 by the supplier through a link that opens that one SCAR (no account, nothing else shown),
accepted or returned by the quality engineer; counted on the supplier's score."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cqo.anomalies import link_scar
from cqo.anomalies import selectors_scar as sel
from cqo.anomalies import services_scar as S
from cqo.anomalies.models import Scar, ScarAnswer, ScarStatus
from cqo.audit.models import AuditEvent
from cqo.masterdata.scores import supplier_score_figures
from cqo.notifications.models import Notification
from cqo.testing.masterdata import LotFactory, SupplierFactory
from cqo.testing.scar import ANSWER, scar_make, supplier_ncr

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _reply_url(scar: Scar, token: str) -> str:
    return reverse("anomalies:scar_reply", args=[scar.pk, token])


def _answer(client: Client, scar: Scar, token: str, **extra: Any) -> Any:
    return client.post(_reply_url(scar, token), {**ANSWER, **extra})


def _supplier_actor(scar: Scar) -> link_scar.SupplierActor:
    return link_scar.SupplierActor(scar_id=scar.pk, supplier=str(scar.supplier), number=scar.number)


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Any:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- issuing ----------------------------------------------------------------------------------


def test_the_engineer_issues_a_scar_and_only_the_digest_of_its_token_is_kept(org: Any) -> None:
    issued = scar_make(org)
    scar = Scar.objects.get(pk=issued.scar.pk)
    assert scar.number.startswith(f"SCAR-{timezone.localdate():%Y}-")
    assert scar.status == ScarStatus.ISSUED
    assert scar.supplier_id == scar.anomaly.supplier_id
    assert len(issued.token) >= 40
    assert issued.token not in scar.token_hash
    assert scar.token_hash == link_scar.token_digest(issued.token)
    event = AuditEvent.objects.get(action="anomalies.scar.issue", object_id=str(scar.pk))
    assert event.actor_id == org.engineer.pk
    assert issued.token not in str(event.after)


def test_it_refuses_a_scar_on_an_ncr_without_a_supplier_naming_the_field_and_clause(
    org: Any,
) -> None:
    ncr = supplier_ncr(org)
    ncr.supplier = None
    ncr.save()
    with pytest.raises(ValidationError) as exc:
        S.scar_issue(
            actor=org.engineer,
            anomaly=ncr,
            problem="x",
            due_on=timezone.localdate() + datetime.timedelta(days=7),
        )
    assert "supplier" in exc.value.message_dict
    assert "§7.1.4" in exc.value.message_dict["supplier"][0]


def test_it_refuses_a_voided_lot_and_a_due_date_in_the_past(org: Any) -> None:
    lot = LotFactory()
    ncr = supplier_ncr(org, lot=lot)
    lot.voided_at = timezone.now()
    lot.save()
    with pytest.raises(ValidationError) as exc:
        scar_make(org, anomaly=ncr, lot=lot)
    assert "lot" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        scar_make(org, anomaly=supplier_ncr(org), due_in_days=-1)
    assert "due_on" in exc.value.message_dict
    assert not Scar.objects.exists()


def test_an_inspector_or_an_auditor_may_not_issue_a_scar(org: Any) -> None:
    ncr = supplier_ncr(org)
    for who in (org.inspector, org.auditor):
        with pytest.raises(PermissionDenied):
            scar_make(org, anomaly=ncr, actor=who)
    assert not Scar.objects.exists()


def test_the_issue_page_shows_the_link_once_and_it_opens_the_answer_page(org: Any) -> None:
    ncr = supplier_ncr(org)
    client = Client()
    client.force_login(org.engineer)
    url = reverse("anomalies:scar_issue", args=[ncr.pk])
    assert client.get(url).status_code == 200
    lot = ncr.lots.get().lot
    response = client.post(
        url,
        {
            "lot": lot.pk,
            "problem": "外径超差",
            "language": "en",
            "due_on": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
            "link_days": 20,
        },
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    scar = Scar.objects.get()
    link = response.context["link"]
    assert f"/anomalies/scar/{scar.pk}/reply/" in link
    assert Client().get(link.split("testserver", 1)[1]).status_code == 200
    # The page of the SCAR never shows the link again.
    detail = client.get(reverse("anomalies:scar_detail", args=[scar.pk])).content.decode()
    assert link.rsplit("/", 2)[-2] not in detail


# --- the link ---------------------------------------------------------------------------------


def test_the_link_opens_its_scar_alone_without_a_session_in_the_suppliers_language(
    org: Any,
) -> None:
    issued = scar_make(org, language="en")
    other = scar_make(org)
    response = Client().get(_reply_url(issued.scar, issued.token))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert response["Referrer-Policy"] == "same-origin"
    assert "Supplier corrective action request" in html
    assert issued.scar.number in html
    assert other.scar.number not in html
    assert issued.scar.anomaly.number not in html  # the NCR is ours, not the supplier's
    # No way into the platform: no navigation, no link but the language switch.
    assert "<nav" not in html and '<a href="/' not in html and "<form" in html
    assert "/workbench/" not in html.replace("/static/workbench/", "")
    zh = Client().get(_reply_url(other.scar, other.token)).content.decode()
    assert "供应商纠正措施要求" in zh
    assert "English" in zh  # the supplier may switch
    assert (
        "Supplier corrective action request"
        in Client().get(_reply_url(other.scar, other.token) + "?lang=en").content.decode()
    )


def test_expired_revoked_replaced_wrong_and_foreign_tokens_all_answer_the_same_404(
    org: Any,
) -> None:
    a = scar_make(org)
    b = scar_make(org)
    c = scar_make(org)
    d = scar_make(org)
    e = scar_make(org)
    Scar.objects.filter(pk=a.scar.pk).update(
        link_issued_at=timezone.now() - datetime.timedelta(days=40),
        link_expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    S.scar_link_revoke(actor=org.engineer, scar=b.scar, reason="发错人")
    new = S.scar_link_reissue(actor=org.engineer, scar=c.scar)
    S.scar_void(actor=org.engineer, scar=e.scar, reason="重复")
    urls = [
        _reply_url(a.scar, a.token),  # expired
        _reply_url(b.scar, b.token),  # revoked
        _reply_url(c.scar, c.token),  # replaced by a new link
        _reply_url(d.scar, d.token[:-1] + ("A" if d.token[-1] != "A" else "B")),  # wrong
        _reply_url(d.scar, new.token),  # the token of another SCAR
        _reply_url(e.scar, e.token),  # voided
        reverse("anomalies:scar_reply", args=[999999, d.token]),  # no such SCAR
    ]
    bodies = set()
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 404, url
        # The page differs only by its masked CSRF tokens, new on every response, and by the
        # address it was asked for (the language switch's way back).
        body = response.content.replace(url.encode(), b"")
        bodies.add(re.sub(rb'(content|value)="[A-Za-z0-9]{64}"', b"", body))
    assert len(bodies) == 1
    assert Client().get(_reply_url(c.scar, new.token)).status_code == 200
    assert Client().get(_reply_url(d.scar, d.token)).status_code == 200


def test_guessing_tokens_from_one_address_is_throttled(org: Any, settings: Any) -> None:
    settings.CQO_SCAR_LINK_MAX_FAILURES = 3
    issued = scar_make(org)
    client = Client()
    for _i in range(3):
        assert client.get(_reply_url(issued.scar, "guess")).status_code == 404
    assert client.get(_reply_url(issued.scar, issued.token)).status_code == 429
    assert (
        Client(REMOTE_ADDR="10.9.9.9").get(_reply_url(issued.scar, issued.token)).status_code == 200
    )


# --- the supplier's answer --------------------------------------------------------------------


def test_the_supplier_answers_through_the_link_and_the_trail_names_the_supplier(
    org: Any,
) -> None:
    issued = scar_make(org)
    client = Client()
    attachment = SimpleUploadedFile("8D报告.pdf", PDF, content_type="application/pdf")
    response = client.post(
        _reply_url(issued.scar, issued.token), {**ANSWER, "attachment": attachment}
    )
    assert response.status_code == 200
    assert 'data-testid="scar-received"' in response.content.decode()
    scar = Scar.objects.get(pk=issued.scar.pk)
    assert scar.status == ScarStatus.ANSWERED
    answer = ScarAnswer.objects.get(scar=scar)
    assert answer.root_cause == ANSWER["root_cause"]
    assert answer.attachment.name.endswith(".pdf")
    assert len(answer.attachment_sha256) == 64
    event = AuditEvent.objects.get(action="anomalies.scar.answer", object_id=str(scar.pk))
    assert event.actor_id is None
    assert scar.supplier.name in event.actor_repr and scar.number in event.actor_repr
    assert Notification.objects.filter(recipient=org.engineer, url=scar.get_absolute_url()).exists()
    # Awaiting review: the link takes nothing more.
    assert client.get(_reply_url(scar, issued.token)).status_code == 404


def test_an_answer_missing_a_discipline_is_refused_naming_the_field_in_the_suppliers_language(
    org: Any,
) -> None:
    issued = scar_make(org, language="en")
    response = _answer(Client(), issued.scar, issued.token, root_cause="  ")
    assert response.status_code == 200
    assert response.context["form"].errors["root_cause"]
    assert "This field is required." in response.content.decode()
    with pytest.raises(ValidationError) as exc:
        S.scar_answer_submit(
            actor=_supplier_actor(issued.scar), scar=issued.scar, **{**ANSWER, "prevention": ""}
        )
    assert "§7.1.4" in exc.value.message_dict["prevention"][0]
    assert not ScarAnswer.objects.exists()


def test_an_attachment_that_is_not_what_its_name_says_is_refused_and_nothing_is_saved(
    org: Any,
) -> None:
    issued = scar_make(org)
    fake = SimpleUploadedFile("report.pdf", b"<html><script>x</script></html>", "application/pdf")
    response = _answer(Client(), issued.scar, issued.token, attachment=fake)
    assert response.status_code == 200
    assert response.context["form"].errors["attachment"]
    assert not ScarAnswer.objects.exists()
    assert Scar.objects.get(pk=issued.scar.pk).status == ScarStatus.ISSUED


def test_another_scars_actor_may_not_answer_this_one(org: Any) -> None:
    a = scar_make(org)
    b = scar_make(org)
    with pytest.raises(PermissionDenied):
        S.scar_answer_submit(actor=_supplier_actor(b.scar), scar=a.scar, **ANSWER)
    assert not ScarAnswer.objects.exists()


# --- review -----------------------------------------------------------------------------------


def test_a_returned_answer_opens_the_link_again_and_an_accepted_one_closes_it(org: Any) -> None:
    issued = scar_make(org)
    client = Client()
    _answer(client, issued.scar, issued.token)
    S.scar_answer_return(actor=org.engineer, scar=issued.scar, note="D4 未验证根本原因。")
    page = client.get(_reply_url(issued.scar, issued.token))
    assert page.status_code == 200
    assert "D4 未验证根本原因。" in page.content.decode()
    _answer(client, issued.scar, issued.token, root_cause="砂轮修整周期；试验复现并已验证。")
    scar = S.scar_answer_accept(actor=org.engineer, scar=issued.scar, note="")
    assert scar.status == ScarStatus.ACCEPTED and scar.closed_by == org.engineer
    assert scar.answers_returned == 1
    outcomes = list(ScarAnswer.objects.filter(scar=scar).values_list("outcome", flat=True))
    assert outcomes == ["returned", "accepted"]
    assert client.get(_reply_url(scar, issued.token)).status_code == 404
    with pytest.raises(ValidationError):
        S.scar_link_reissue(actor=org.engineer, scar=scar)


def test_a_return_needs_a_note_and_nothing_can_be_reviewed_before_an_answer(org: Any) -> None:
    issued = scar_make(org)
    with pytest.raises(ValidationError) as exc:
        S.scar_answer_accept(actor=org.engineer, scar=issued.scar)
    assert "status" in exc.value.message_dict
    _answer(Client(), issued.scar, issued.token)
    with pytest.raises(ValidationError) as exc:
        S.scar_answer_return(actor=org.engineer, scar=issued.scar, note=" ")
    assert "note" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        S.scar_answer_accept(actor=org.inspector, scar=issued.scar)


def test_the_engineer_accepts_on_the_scar_page(org: Any) -> None:
    issued = scar_make(org)
    _answer(Client(), issued.scar, issued.token)
    client = Client()
    client.force_login(org.engineer)
    page = client.get(reverse("anomalies:scar_detail", args=[issued.scar.pk])).content.decode()
    assert ANSWER["root_cause"] in page and 'data-testid="scar-accept"' in page
    response = client.post(reverse("anomalies:scar_accept", args=[issued.scar.pk]), {"note": "OK"})
    assert response.status_code == 302
    assert Scar.objects.get(pk=issued.scar.pk).status == ScarStatus.ACCEPTED
    auditor = Client()
    auditor.force_login(org.auditor)
    assert (
        auditor.post(
            reverse("anomalies:scar_return", args=[issued.scar.pk]), {"note": "x"}
        ).status_code
        == 302
    )
    assert Scar.objects.get(pk=issued.scar.pk).status == ScarStatus.ACCEPTED


# --- due dates, reminders, the supplier's score ------------------------------------------------


def test_a_late_answer_and_a_returned_one_count_on_the_suppliers_score(org: Any) -> None:
    supplier = SupplierFactory()
    late = scar_make(org, anomaly=supplier_ncr(org, supplier=supplier))
    Scar.objects.filter(pk=late.scar.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    _answer(Client(), late.scar, late.token)
    S.scar_answer_return(actor=org.engineer, scar=late.scar, note="不完整")
    never = scar_make(org, anomaly=supplier_ncr(org, supplier=supplier))
    Scar.objects.filter(pk=never.scar.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    scar_make(org, anomaly=supplier_ncr(org, supplier=supplier))
    figures = supplier_score_figures([supplier.pk, SupplierFactory().pk])
    assert figures[supplier.pk].values["scar"] == {"open": 3, "issued": 3, "late": 2, "returned": 1}
    assert figures[supplier.pk].get("scar", "open") == 3
    assert all(v == 0 for v in list(figures.values())[1].as_dict()["scar"].values())


def test_the_supplier_scorecard_shows_the_scar_part(org: Any) -> None:
    issued = scar_make(org)
    client = Client()
    client.force_login(org.engineer)
    page = client.get(reverse("inspection:supplier_detail", args=[issued.scar.supplier_id]))
    html = page.content.decode()
    assert 'id="scorecard-part-scar"' in html
    assert page.context["card"].parts.get("scar", "open") == 1


def test_an_overdue_scar_reminds_its_engineer_once_in_three_days(org: Any) -> None:
    issued = scar_make(org)
    due = timezone.localdate() - datetime.timedelta(days=1)
    Scar.objects.filter(pk=issued.scar.pk).update(due_on=due)
    today = timezone.localdate()
    assert S.scar_reminders_run(today=today) == 1
    assert S.scar_reminders_run(today=today + datetime.timedelta(days=1)) == 0
    assert S.scar_reminders_run(today=today + datetime.timedelta(days=3)) == 1
    notes = Notification.objects.filter(recipient=org.engineer, url=issued.scar.get_absolute_url())
    assert notes.count() == 2
    assert due.isoformat() in notes.first().message_en


# --- API --------------------------------------------------------------------------------------


def test_the_api_issues_with_the_token_once_and_accepts_the_answer(org: Any) -> None:
    ncr = supplier_ncr(org)
    api = Client()
    api.force_login(org.engineer)
    response = api.post(
        "/api/v1/anomalies/scars/issue/",
        {
            "anomaly": ncr.pk,
            "problem": "外径超差",
            "due_on": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    scar = Scar.objects.get(pk=body["scar"]["id"])
    assert body["link"].endswith(f"/anomalies/scar/{scar.pk}/reply/{body['token']}/")
    assert "token" not in api.get(f"/api/v1/anomalies/scars/{scar.pk}/").json()
    _answer(Client(), scar, body["token"])
    assert (
        api.get(f"/api/v1/anomalies/scars/{scar.pk}/").json()["answers"][0]["responder"]
        == ANSWER["responder"]
    )
    inspector = Client()
    inspector.force_login(org.inspector)
    assert (
        inspector.post(
            f"/api/v1/anomalies/scars/{scar.pk}/accept/", {}, content_type="application/json"
        ).status_code
        == 403
    )
    accepted = api.post(
        f"/api/v1/anomalies/scars/{scar.pk}/accept/", {}, content_type="application/json"
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    again = api.post(
        f"/api/v1/anomalies/scars/{scar.pk}/return/", {"note": "x"}, content_type="application/json"
    )
    assert again.status_code == 400


def test_the_list_filters_overdue_scars(org: Any) -> None:
    a = scar_make(org)
    scar_make(org)
    Scar.objects.filter(pk=a.scar.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert [s.pk for s in sel.scar_list(org.engineer, state="overdue")] == [a.scar.pk]
    assert sel.scar_list(org.head, state="all").count() == 0
    client = Client()
    client.force_login(org.engineer)
    page = client.get(reverse("anomalies:scar_list") + "?state=overdue")
    assert a.scar.number in page.content.decode()


def test_the_ncr_page_section_lists_its_scars_and_offers_to_issue_one_to_an_engineer(
    org: Any,
) -> None:
    from django.test import RequestFactory

    from cqo.anomalies.views_scar import ncr_section

    issued = scar_make(org)
    request = RequestFactory().get("/")
    request.user = org.engineer
    section = ncr_section(request, issued.scar.anomaly)
    assert section is not None
    assert [s.pk for s in section["scars"]] == [issued.scar.pk]
    assert section["may_issue"] is True
    request.user = org.inspector
    assert ncr_section(request, issued.scar.anomaly)["may_issue"] is False  # type: ignore[index]
    request.user = org.head
    assert ncr_section(request, issued.scar.anomaly) is None


def test_an_ncr_with_a_scar_not_yet_accepted_may_not_close(org: Any) -> None:
    from cqo.anomalies.closure import closure_obstacles

    issued = scar_make(org)
    reasons = [r for r in closure_obstacles(issued.scar.anomaly) if issued.scar.number in r]
    assert len(reasons) == 1 and "§7.1.4" in reasons[0]
    _answer(Client(), issued.scar, issued.token)
    S.scar_answer_accept(actor=org.engineer, scar=issued.scar, note="")
    assert not [r for r in closure_obstacles(issued.scar.anomaly) if issued.scar.number in r]


def test_scars_are_numbered_in_sequence_within_the_year(org: Any) -> None:
    first, second = scar_make(org).scar, scar_make(org).scar
    prefix, tail = first.number.rsplit("-", 1)
    assert len(tail) == 4
    assert second.number == f"{prefix}-{int(tail) + 1:04d}"
