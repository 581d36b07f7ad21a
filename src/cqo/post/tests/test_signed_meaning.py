"""One source for the meaning of an e-signature: the principal signs the meaning the page showed
(appointment, removal, charter), in either language."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from cqo.audit.models import Signature
from cqo.charter import services as CS
from cqo.post import services as S
from cqo.post.models import Appointment
from cqo.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
SHOWN = re.compile(r'<p class="sign-meaning"[^>]*><strong>(.*?)</strong>', re.S)


def _client(user, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _shown(page: str) -> str:
    found = SHOWN.search(page)
    assert found is not None, "the page shows no signature meaning"
    return html.unescape(found.group(1))


def _signed(obj) -> str:
    sig = Signature.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).last()
    assert sig is not None
    return sig.meaning


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_principal_signs_the_appointment_meaning_the_page_showed(
    principal, candidate, today, language
):
    draft = S.appointment_create(actor=principal, person=candidate, effective_from=today)
    client = _client(principal, language)
    shown = _shown(client.get(reverse("post:appointment_detail", args=[draft.pk])).content.decode())
    client.post(
        reverse("post:appointment_sign", args=[draft.pk]),
        {"sig-password": TEST_PASSWORD, "sig-confirm": "on"},
    )
    assert _signed(draft) == shown
    assert "§3.1" in shown


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_principal_signs_the_charter_meaning_the_page_showed(
    principal, candidate, password, today, language
):
    S.appointment_create(actor=principal, person=candidate, effective_from=today, password=password)
    charter = CS.charter_generate(actor=principal)
    client = _client(principal, language)
    shown = _shown(
        client.get(reverse("charter:charter_detail", args=[charter.pk])).content.decode()
    )
    client.post(
        reverse("charter:charter_approve", args=[charter.pk]),
        {"sig-password": TEST_PASSWORD, "sig-confirm": "on"},
    )
    assert _signed(charter) == shown
    assert "§4.2" in shown


def test_the_removal_is_signed_with_the_meaning_the_page_showed(
    principal, candidate, password, today
):
    appointment: Appointment = S.appointment_create(
        actor=principal, person=candidate, effective_from=today, password=password
    )
    client = _client(principal, "en")
    url = reverse("post:appointment_remove", args=[appointment.pk])
    shown = _shown(client.get(url).content.decode())
    client.post(
        url,
        {"reason": "Retired", "last_day": today.isoformat(), "sig-password": TEST_PASSWORD,
         "sig-confirm": "on"},
    )  # fmt: skip
    assert _signed(appointment) == shown == "Removed from the CQO post by the principal under §3.1"
