from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from cqo.audit.models import AuditEvent, Signature
from cqo.audit.services import signatures_for, verify_chain
from cqo.authorities import selectors as sel
from cqo.authorities import services as S
from cqo.authorities.models import ApprovalRequest, ApprovalStatus, Delegation
from cqo.decisions import services as DS
from cqo.decisions.models import BusinessDecision
from cqo.notifications.models import Notification
from cqo.testing.world import PASSWORD, Org, days, today

pytestmark = pytest.mark.django_db


def _subject(org: Org, unit: Any = None) -> BusinessDecision:
    return DS.decision_create(
        actor=org.engineer, kind="other", title="让步接收 3 批缸体", unit=unit or org.inspection
    )


def _raise(org: Org, **overrides: Any) -> ApprovalRequest:
    kwargs: dict[str, Any] = {
        "actor": org.inspector,
        "kind": "concession",
        "authority": "c",
        "unit": org.inspection,
        "amount": "1200.50",
        "due": days(3),
        "summary": "缸体孔径超差 0.02 mm，申请让步接收",
    }
    kwargs.update(overrides)
    if "subject" not in kwargs:
        kwargs["subject"] = _subject(org)
    return S.approval_request_raise(**kwargs)


def _delegate(org: Org, end: int = 90) -> Delegation:
    return S.delegation_create(
        actor=org.cqo,
        authority="c",
        delegate=org.deputy.person,
        units=[org.inspection],
        start_date=today(),
        end_date=days(end),
    )


def test_a_request_is_routed_to_the_cqo_and_the_delegate_covering_its_unit(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    _delegate(org)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = _raise(org)
    assert request.amount == Decimal("1200.50")
    assert list(sel.approvals_awaiting(org.cqo)) == [request]
    assert list(sel.approvals_awaiting(org.deputy)) == [request]
    assert list(sel.approvals_awaiting(org.engineer)) == []
    other = _raise(org, subject=_subject(org, org.production), unit=org.production)
    assert list(sel.approvals_awaiting(org.deputy)) == [request]
    assert set(sel.approvals_awaiting(org.cqo)) == {request, other}
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"cqo", "deputy"}
    assert {m.to[0] for m in mail.outbox} == {"cqo@example.com", "deputy@example.com"}


def test_the_cqo_approves_with_a_reason_and_an_e_signature_as_cqo(org: Org) -> None:
    request = _raise(org)
    with translation.override("en"):
        decided = S.approval_decide(
            actor=org.cqo, request=request, decision="approve", reason="风险可控", password=PASSWORD
        )
    assert decided.status == ApprovalStatus.APPROVED
    signature = signatures_for(decided).get()
    assert signature.meaning == "Approved as CQO under §6 c)"
    assert signature.clause == "§6 c)"
    assert AuditEvent.objects.filter(action="authorities.approval.approve", clause="§6 c)").exists()
    assert Notification.objects.filter(recipient=org.inspector).exists()
    assert verify_chain() is None


def test_a_delegate_signs_as_delegate_of_the_cqo(org: Org) -> None:
    _delegate(org)
    request = _raise(org)
    with translation.override("en"):
        S.approval_decide(
            actor=org.deputy, request=request, decision="reject", reason="证据不足",
            password=PASSWORD,
        )  # fmt: skip
    assert signatures_for(request).get().meaning == ("Rejected as delegate of the CQO under §6 c)")


def test_an_approval_by_a_user_whose_delegation_expired_is_refused_and_changes_nothing(
    org: Org,
) -> None:
    delegation = _delegate(org)
    request = _raise(org)
    Delegation.objects.filter(pk=delegation.pk).update(start_date=days(-40), end_date=days(-1))
    events, signatures = AuditEvent.objects.count(), Signature.objects.count()
    with translation.override("en"), pytest.raises(PermissionDenied) as exc:
        S.approval_decide(
            actor=org.deputy, request=request, decision="approve", reason="ok", password=PASSWORD
        )
    assert "§6 c)" in str(exc.value)
    assert "expired on" in str(exc.value)
    assert (days(-1)).isoformat() in str(exc.value)
    request.refresh_from_db()
    assert request.status == ApprovalStatus.PENDING
    assert (AuditEvent.objects.count(), Signature.objects.count()) == (events, signatures)


def test_an_approval_after_the_delegation_was_revoked_says_so(org: Org) -> None:
    delegation = _delegate(org)
    request = _raise(org)
    S.delegation_revoke(actor=org.cqo, delegation=delegation, reason="调整")
    with translation.override("en"), pytest.raises(PermissionDenied) as exc:
        S.approval_decide(
            actor=org.deputy, request=request, decision="approve", reason="ok", password=PASSWORD
        )
    assert "revoked" in str(exc.value) and "§6 c)" in str(exc.value)


def test_someone_who_never_held_the_authority_is_refused_citing_the_clause(org: Org) -> None:
    request = _raise(org)
    with translation.override("en"), pytest.raises(PermissionDenied) as exc:
        S.approval_decide(
            actor=org.engineer, request=request, decision="approve", reason="ok",
            password=PASSWORD,
        )  # fmt: skip
    assert "§6 c)" in str(exc.value)


@pytest.mark.parametrize(
    ("decision", "reason", "password", "field"),
    [("maybe", "x", PASSWORD, "decision"), ("approve", " ", PASSWORD, "reason")],
)
def test_a_bad_decision_is_refused_naming_the_field(
    org: Org, decision: str, reason: str, password: str, field: str
) -> None:
    request = _raise(org)
    count = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        S.approval_decide(
            actor=org.cqo, request=request, decision=decision, reason=reason, password=password
        )
    assert field in exc.value.message_dict
    assert AuditEvent.objects.count() == count


def test_a_wrong_password_signs_nothing_and_decides_nothing(org: Org) -> None:
    request = _raise(org)
    count = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        S.approval_decide(
            actor=org.cqo, request=request, decision="approve", reason="ok", password="wrong"
        )
    request.refresh_from_db()
    assert request.status == ApprovalStatus.PENDING
    assert AuditEvent.objects.count() == count


def test_a_decided_request_cannot_be_decided_again(org: Org) -> None:
    request = _raise(org)
    S.approval_decide(
        actor=org.cqo, request=request, decision="reject", reason="no", password=PASSWORD
    )
    with pytest.raises(ValidationError) as exc:
        S.approval_decide(
            actor=org.cqo, request=request, decision="approve", reason="ok", password=PASSWORD
        )
    assert "status" in exc.value.message_dict


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "bribe"}, "kind"),
        ({"summary": ""}, "summary"),
        ({"amount": "-3"}, "amount"),
        ({"amount": "lots"}, "amount"),
        ({"due": "past"}, "due_date"),
        ({"authority": "q"}, "authority"),
    ],
)
def test_raising_a_bad_request_is_refused_naming_the_field(
    org: Org, overrides: dict, field: str
) -> None:
    subject = _subject(org)
    values = dict(overrides)
    if values.get("due") == "past":
        values["due"] = days(-1)
    count = (AuditEvent.objects.count(), ApprovalRequest.objects.count())
    with pytest.raises(ValidationError) as exc:
        _raise(org, subject=subject, **values)
    assert field in exc.value.message_dict
    assert (AuditEvent.objects.count(), ApprovalRequest.objects.count()) == count


def test_a_second_open_request_for_the_same_record_is_refused(org: Org) -> None:
    request = _raise(org)
    with pytest.raises(ValidationError) as exc:
        _raise(org, subject=request.subject)
    assert "subject" in exc.value.message_dict


def test_the_raiser_withdraws_a_pending_request_with_a_reason(org: Org) -> None:
    request = _raise(org)
    with pytest.raises(PermissionDenied):
        S.approval_withdraw(actor=org.engineer, request=request, reason="x")
    S.approval_withdraw(actor=org.inspector, request=request, reason="重新检验后合格")
    request.refresh_from_db()
    assert request.status == ApprovalStatus.WITHDRAWN
    assert list(sel.approvals_awaiting(org.cqo)) == []


def test_overdue_requests_are_reminded_once_a_day(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    request = _raise(org, due=None)
    ApprovalRequest.objects.filter(pk=request.pk).update(due_date=days(-2))
    request.refresh_from_db()
    assert request.is_overdue and request.days_overdue == 2
    Notification.objects.all().delete()
    mail.outbox.clear()
    from cqo.authorities.tasks import approvals_remind

    with django_capture_on_commit_callbacks(execute=True):
        assert approvals_remind()["reminded"] == 1
    assert Notification.objects.filter(recipient=org.cqo).count() == 1
    assert "2" in Notification.objects.get(recipient=org.cqo).message_en
    assert len(mail.outbox) == 1
    assert approvals_remind()["reminded"] == 0


def test_ageing_counts_days_since_raised(org: Org) -> None:
    request = _raise(org)
    ApprovalRequest.objects.filter(pk=request.pk).update(
        raised_at=request.raised_at - datetime.timedelta(days=6)
    )
    request.refresh_from_db()
    assert request.age_days == 6


def _age(request: ApprovalRequest, days_ago: int) -> None:
    ApprovalRequest.objects.filter(pk=request.pk).update(
        raised_at=request.raised_at - datetime.timedelta(days=days_ago)
    )


def test_a_request_without_a_due_date_is_reminded_daily_once_it_has_waited_three_days(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    from django.utils import timezone

    from cqo.authorities.tasks import approvals_remind

    _delegate(org)
    request = _raise(org, due=None)
    young = _raise(org, due=None, subject=_subject(org))
    _age(request, 3)
    _age(young, 2)
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert approvals_remind()["reminded"] == 1
    # Whoever may decide it: the CQO, and the delegate whose units cover the request.
    reminded = Notification.objects.filter(url__endswith=f"/{request.pk}/")
    assert set(reminded.values_list("recipient__username", flat=True)) == {"cqo", "deputy"}
    assert "3" in reminded.first().message_en and "§6 c)" in reminded.first().message
    assert {m.to[0] for m in mail.outbox} == {"cqo@example.com", "deputy@example.com"}
    assert not Notification.objects.filter(url__endswith=f"/{young.pk}/").exists()
    # Not twice on the same day; again the next day.
    with django_capture_on_commit_callbacks(execute=True):
        assert approvals_remind()["reminded"] == 0
    assert Notification.objects.count() == 2
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert S.approvals_remind_due(now=tomorrow) == 2  # and the younger one turns three
    assert Notification.objects.filter(url__endswith=f"/{request.pk}/").count() == 4


def test_the_wait_before_an_undated_request_is_reminded_is_a_setting(org: Org, settings) -> None:
    from cqo.authorities.tasks import approvals_remind

    request = _raise(org, due=None)
    _age(request, 1)
    assert approvals_remind()["reminded"] == 0
    settings.CQO_APPROVAL_REMIND_AFTER_DAYS = 1
    assert approvals_remind()["reminded"] == 1


def test_a_decided_or_dated_request_gets_no_age_reminder(org: Org) -> None:
    from cqo.authorities.tasks import approvals_remind

    dated = _raise(org)  # due in three days: reminded once overdue, not for its age
    decided = _raise(org, due=None, subject=_subject(org))
    _age(dated, 10)
    _age(decided, 10)
    S.approval_decide(
        actor=org.cqo, request=decided, decision="reject", reason="资料不全", password=PASSWORD
    )
    assert approvals_remind()["reminded"] == 0
