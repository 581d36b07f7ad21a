from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from cqo.charter.models import Charter, CharterStatus
from cqo.organisation import roles as R
from cqo.post import services as S
from cqo.post.models import Appointment, AppointmentStatus
from cqo.testing.factories import TEST_PASSWORD, member

pytestmark = pytest.mark.django_db
CLEAN = {"decl_serious_error": "no", "decl_abuse_of_office": "no", "decl_leaked_secrets": "no"}


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def form_data(person, today, **extra):
    return {
        "person": person.pk,
        "kind": "appointment",
        "effective_from": today.isoformat(),
        "post_form": "dedicated",
        "functions": ["quality_management", "inspection", "quality_safety", "quality_improvement"],
        **CLEAN,
        **extra,
    }


@pytest.fixture
def appointed(principal, candidate, password, today):
    return S.appointment_create(
        actor=principal, person=candidate, effective_from=today, password=password
    )


def test_the_principal_appoints_and_signs_through_the_pages(principal, candidate, today):
    c = client_for(principal)
    page = c.get(reverse("post:appointment_new"))
    assert page.status_code == 200 and "decl_serious_error" in page.content.decode()
    r = c.post(reverse("post:appointment_new"), form_data(candidate, today))
    appt = Appointment.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse(
        "post:appointment_detail", args=[appt.pk]
    )
    detail = c.get(r["Location"]).content.decode()
    assert 'data-outcome="pass"' in detail and "sig-password" in detail
    bad = c.post(
        reverse("post:appointment_sign", args=[appt.pk]),
        {"sig-password": "nope", "sig-confirm": "on"},
    )
    assert bad.status_code == 400 and "密码" in bad.content.decode()
    ok = c.post(
        reverse("post:appointment_sign", args=[appt.pk]),
        {"sig-password": TEST_PASSWORD, "sig-confirm": "on"},
    )
    assert ok.status_code == 302
    appt.refresh_from_db()
    assert appt.status == AppointmentStatus.SIGNED


def test_the_form_refuses_a_disqualified_candidate_and_shows_the_blocks(
    principal, candidate, today
):
    c = client_for(principal)
    r = c.post(
        reverse("post:appointment_new"), form_data(candidate, today, decl_abuse_of_office="yes")
    )
    body = r.content.decode()
    assert r.status_code == 200 and "§5.1.4" in body and 'data-outcome="block"' in body
    assert not Appointment.objects.exists()


def test_the_form_in_english_names_the_field(principal, candidate, today):
    c = client_for(principal)
    r = c.post(reverse("post:appointment_new"), form_data(candidate, today, post_form="concurrent"),
               HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    c.cookies["django_language"] = "en"
    r = c.post(reverse("post:appointment_new"), form_data(candidate, today, post_form="concurrent"))
    assert "deputy head or above" in r.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (R.PRINCIPAL, 200),
        (R.AUDITOR, 200),
        (R.QUALITY_ENGINEER, 403),
        (R.EMPLOYEE, 403),
        (R.ADMIN, 403),
    ],
)
def test_who_may_read_an_appointment(appointed, root, role, expected, principal):
    user = principal if role == R.PRINCIPAL else member(role, unit=root, username=f"u-{role}")
    c = client_for(user)
    assert c.get(reverse("post:appointment_detail", args=[appointed.pk])).status_code == expected
    assert c.get(reverse("post:letter_pdf", args=[appointed.pk])).status_code == expected


def test_the_cqo_sees_their_own_post_but_cannot_appoint(appointed, candidate, today):
    c = client_for(candidate.user)
    assert c.get(reverse("post:appointment_detail", args=[appointed.pk])).status_code == 200
    assert c.get(reverse("post:appointment_new")).status_code == 403
    assert c.post(reverse("post:appointment_remove", args=[appointed.pk]), {}).status_code == 403


def test_the_auditor_is_read_only(appointed, auditor, candidate):
    c = client_for(auditor)
    assert c.get(reverse("post:qualification", args=[candidate.pk])).status_code == 200
    assert c.get(reverse("post:evidence_new", args=[candidate.pk])).status_code == 403
    assert (
        c.post(reverse("post:qualification_declare", args=[candidate.pk]), CLEAN).status_code == 403
    )
    assert c.post(reverse("charter:charter_list"), {"veto_delegable": ""}).status_code == 403


def test_letter_filing_and_workbook_download(appointed, principal):
    c = client_for(principal)
    pdf = c.get(reverse("post:filing_pdf", args=[appointed.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = c.get(reverse("post:filing_xlsx_all"))
    ws = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert ws.cell(row=2, column=7).value == appointed.number


def test_the_charter_pages_generate_approve_publish_and_show_the_banner(
    appointed, principal, candidate, second, password, today
):
    c = client_for(principal)
    r = c.post(reverse("charter:charter_list"), {"note": ""})
    charter = Charter.objects.get()
    assert r.status_code == 302
    page = c.get(reverse("charter:charter_detail", args=[charter.pk])).content.decode()
    assert "§6 i)" in page and "§7.2.1.4" in page
    c.post(
        reverse("charter:charter_approve", args=[charter.pk]),
        {"sig-password": TEST_PASSWORD, "sig-confirm": "on"},
    )
    c.post(reverse("charter:charter_publish", args=[charter.pk]))
    charter.refresh_from_db()
    assert charter.status == CharterStatus.PUBLISHED
    assert 'id="charter-outdated"' not in c.get(reverse("charter:charter_list")).content.decode()
    S.appointment_handover(
        actor=principal,
        appointment=appointed,
        person=second,
        effective_from=today + datetime.timedelta(days=2),
        password=password,
    )
    assert 'id="charter-outdated"' in c.get(reverse("charter:charter_list")).content.decode()
    assert c.get(reverse("charter:charter_pdf", args=[charter.pk])).content.startswith(b"%PDF")


def test_competence_pages(appointed, principal, candidate, today):
    c = client_for(principal)
    r = c.post(
        reverse("post:competence_list"), {"person": candidate.pk, "assessed_on": today.isoformat()}
    )
    assert r.status_code == 302
    own = client_for(candidate.user)
    url = r["Location"]
    pk = int(url.rstrip("/").split("/")[-1])
    scores = {f"score_{k}": "4" for k in ("k1", "k2", "k3", "a1", "a2", "a3", "a4", "a5")}
    assert own.post(reverse("post:competence_score", args=[pk]), scores).status_code == 302
    assert (
        c.post(reverse("post:competence_score", args=[pk]), {**scores, "score_k1": "9"}).status_code
        == 400
    )


def test_the_dashboard_shows_the_post_panels(appointed, principal):
    body = client_for(principal).get(reverse("workbench:dashboard")).content.decode()
    assert 'id="panel-cqo_appointment"' in body and appointed.number in body
    assert 'id="panel-charter_to_approve"' in body


# --- API ------------------------------------------------------------------------------------


def api(user) -> Client:
    return client_for(user)


def test_the_api_appoints_and_signs_with_the_password(principal, candidate, today):
    c = api(principal)
    body = {
        "person": candidate.pk, "effective_from": today.isoformat(),
        "declarations": {"serious_error": False, "abuse_of_office": False, "leaked_secrets": False},
    }  # fmt: skip
    r = c.post("/api/v1/post/appointments/", body, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "draft"
    pk = r.json()["id"]
    r = c.post(
        f"/api/v1/post/appointments/{pk}/sign/",
        {"password": "bad"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "password" in r.json()
    r = c.post(
        f"/api/v1/post/appointments/{pk}/sign/",
        {"password": TEST_PASSWORD},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["in_force"] is True
    assert c.get("/api/v1/post/appointments/current/").json()["id"] == pk


def test_the_api_refuses_a_disqualified_candidate(principal, candidate, today, password):
    c = api(principal)
    body = {
        "person": candidate.pk, "effective_from": today.isoformat(), "password": password,
        "declarations": {"serious_error": True},
    }  # fmt: skip
    r = c.post("/api/v1/post/appointments/", body, content_type="application/json")
    assert r.status_code == 400 and "§5.1.4" in " ".join(r.json()["person"])
    assert not Appointment.objects.exists()
    report = c.get(f"/api/v1/post/qualification/{candidate.pk}/").json()
    assert report["outcome"] == "pass"  # the refused call kept nothing, not even the declaration


def test_the_api_refuses_overlaps_and_wrong_signers(principal, appointed, second, today, root):
    c = api(principal)
    r = c.post(
        "/api/v1/post/appointments/",
        {"person": second.pk, "effective_from": today.isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 400 and "§3.1, §4.1" in " ".join(r.json()["effective_from"])
    auditor = member(R.AUDITOR, unit=root, username="aud2")
    r = api(auditor).post(
        f"/api/v1/post/appointments/{appointed.pk}/remove/",
        {"reason": "x", "password": TEST_PASSWORD},
        content_type="application/json",
    )
    assert r.status_code == 403
    assert api(auditor).get(f"/api/v1/post/appointments/{appointed.pk}/").status_code == 200


def test_the_api_charter_and_assessment(appointed, principal, candidate, today):
    c = api(principal)
    r = c.post("/api/v1/post/charters/", {"veto_delegable": False}, content_type="application/json")
    assert r.status_code == 201
    pk = r.json()["id"]
    refused = api(candidate.user).post(
        f"/api/v1/post/charters/{pk}/approve/",
        {"password": TEST_PASSWORD},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert (
        c.post(
            f"/api/v1/post/charters/{pk}/approve/",
            {"password": TEST_PASSWORD},
            content_type="application/json",
        ).json()["status"]
        == "approved"
    )
    assert c.post(f"/api/v1/post/charters/{pk}/publish/").json()["status"] == "published"
    r = c.post(
        "/api/v1/post/assessments/",
        {"person": candidate.pk, "assessed_on": today.isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 201
    r = c.post(
        f"/api/v1/post/assessments/{r.json()['id']}/score/",
        {"scores": {"k1": 7}},
        content_type="application/json",
    )
    assert r.status_code == 400 and "k1" in r.json()


def test_the_api_lists_only_what_the_user_may_see(appointed, root):
    engineer = member(R.QUALITY_ENGINEER, unit=root, username="qe9")
    assert api(engineer).get("/api/v1/post/appointments/").status_code == 403
    assert api(engineer).get("/api/v1/post/charters/").status_code == 200
    assert api(engineer).get("/api/v1/post/rule-sets/").json()["count"] == 2


def test_a_cqo_role_account_not_in_office_sees_neither_the_appointment_nor_what_it_owes(
    appointed, root, principal
):
    # Holding the ``cqo`` role is not holding the post: the in-office appointment and the
    # CQO's due items stay with the CQO in office, the principal and auditors (§3.1).
    other = member(R.CQO, unit=root, username="other_cqo")
    c = client_for(other)
    listing = c.get(reverse("post:appointment_list")).content.decode()
    assert appointed.number not in listing
    assert reverse("post:appointment_detail", args=[appointed.pk]) not in listing
    due = c.get(reverse("post:competence_list")).content.decode()
    assert str(appointed.person) not in due
    boss = client_for(principal).get(reverse("post:appointment_list")).content.decode()
    assert appointed.number in boss


def test_an_api_write_on_a_record_the_caller_cannot_see_is_refused_not_hidden(
    appointed, root, principal, today
):
    assessment = S.assessment_create(actor=principal, person=appointed.person, assessed_on=today)
    c = client_for(member(R.INSPECTOR, unit=root, username="insp"))
    r = c.post(
        f"/api/v1/post/assessments/{assessment.pk}/score/", {}, content_type="application/json"
    )
    assert r.status_code == 403


def test_only_the_cqo_in_office_opens_an_assessment_of_themself(appointed, root, today):
    # §5.2/§5.3 assess the CQO; an inspector has no such assessment to open, by page or API, nor
    # has a holder of the ``cqo`` role who is not in office (see test_rules_follow_appointment).
    inspector = member(R.INSPECTOR, unit=root, username="insp2")
    body = {"person": inspector.person.pk, "assessed_on": today.isoformat()}
    r = client_for(inspector).post(
        "/api/v1/post/assessments/", body, content_type="application/json"
    )
    assert r.status_code == 403
    cqo = member(R.CQO, unit=root, username="cqo_self")
    body = {"person": cqo.person.pk, "assessed_on": today.isoformat()}
    r = client_for(cqo).post("/api/v1/post/assessments/", body, content_type="application/json")
    assert r.status_code == 403
    body = {"person": appointed.person.pk, "assessed_on": today.isoformat()}
    r = client_for(appointed.person.user).post(
        "/api/v1/post/assessments/", body, content_type="application/json"
    )
    assert r.status_code == 201, r.content
