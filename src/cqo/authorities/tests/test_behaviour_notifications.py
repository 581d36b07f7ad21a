"""A request that is decided or withdrawn no longer waits in anyone's bell (issue 7 §3.11)."""

from __future__ import annotations

import pytest

from cqo.authorities import services as S
from cqo.authorities.models import ApprovalRequest
from cqo.decisions import services as DS
from cqo.notifications.models import Notification
from cqo.testing.world import PASSWORD, Org, days, today

pytestmark = pytest.mark.django_db


def _request(org: Org) -> ApprovalRequest:
    S.delegation_create(
        actor=org.cqo, authority="c", delegate=org.deputy.person, units=[org.inspection],
        start_date=today(), end_date=days(10),
    )  # fmt: skip
    decision = DS.decision_create(actor=org.head, kind="other", title="来料让步")
    return S.approval_request_raise(
        actor=org.inspector, subject=decision, kind="concession", unit=org.inspection,
        summary="让步接收", due=days(-0),
    )  # fmt: skip


def _awaiting(request: ApprovalRequest) -> list[str]:
    return sorted(
        n.recipient.username
        for n in Notification.objects.filter(
            read_at__isnull=True, message_en__startswith="Awaiting your approval"
        ).select_related("recipient")
        if n.url.rstrip("/").endswith(f"/{request.pk}")
    )


def test_deciding_a_request_clears_the_awaiting_notices_of_every_decider(org: Org) -> None:
    request = _request(org)
    assert _awaiting(request) == ["cqo", "deputy"]
    S.approval_decide(
        actor=org.deputy, request=request, decision="approve", reason="可接受", password=PASSWORD
    )
    assert _awaiting(request) == []
    # The raiser still hears the outcome.
    assert Notification.objects.filter(
        recipient=org.inspector, read_at__isnull=True, message_en__startswith="Approved"
    ).exists()


def test_withdrawing_a_request_clears_its_awaiting_notices(org: Org) -> None:
    request = _request(org)
    S.approval_withdraw(actor=org.inspector, request=request, reason="数据有误")
    assert _awaiting(request) == []


def test_another_request_s_notices_are_left_alone(org: Org) -> None:
    request = _request(org)
    decision = DS.decision_create(actor=org.head, kind="other", title="另一项")
    other = S.approval_request_raise(
        actor=org.inspector, subject=decision, kind="deviation", unit=org.inspection,
        summary="偏离",
    )  # fmt: skip
    S.approval_withdraw(actor=org.inspector, request=request, reason="重复")
    assert _awaiting(other) == ["cqo", "deputy"]
