"""A history snapshot names the person and the reason of the change that made it (issue 7 §3.6):
the demo's back-dating is its own snapshot, in the name of whoever it was done for, and never
shows up inside the CQO's approval."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cqo.authorities import services as S
from cqo.authorities.demo import _backdate
from cqo.authorities.models import ApprovalRequest
from cqo.decisions import services as DS
from cqo.testing.world import PASSWORD, Org

pytestmark = pytest.mark.django_db


def _snapshots(request: ApprovalRequest) -> list:
    return list(
        ApprovalRequest.history.filter(id=request.pk).order_by("history_date", "history_id")
    )


def test_a_snapshot_carries_the_actor_and_reason_of_the_audited_change(db) -> None:
    org = Org()
    decision = DS.decision_create(actor=org.head, kind="other", title="来料让步")
    request = S.approval_request_raise(
        actor=org.inspector, subject=decision, kind="concession", summary="让步接收"
    )
    S.approval_decide(
        actor=org.cqo, request=request, decision="reject", reason="数据不全", password=PASSWORD
    )
    raised, decided = _snapshots(request)
    assert raised.history_user == org.inspector
    assert "authorities.approval.raise" in raised.history_change_reason
    assert decided.history_user == org.cqo
    assert "数据不全" in decided.history_change_reason


def test_the_demo_back_dating_is_its_own_snapshot_not_part_of_the_approval(db) -> None:
    org = Org()
    decision = DS.decision_create(actor=org.head, kind="other", title="来料让步")
    request = S.approval_request_raise(
        actor=org.inspector, subject=decision, kind="concession", summary="让步接收"
    )
    earlier = timezone.now() - datetime.timedelta(days=9)
    _backdate(request, days=9, fields={"raised_at": earlier}, actor=org.inspector)
    S.approval_decide(
        actor=org.cqo, request=ApprovalRequest.objects.get(pk=request.pk), decision="approve",
        reason="可接受", password=PASSWORD,
    )  # fmt: skip
    _raised, backdated, decided = _snapshots(request)
    assert backdated.history_user == org.inspector
    assert "demo" in backdated.history_change_reason
    assert backdated.raised_at == earlier
    changed = {c.field for c in decided.diff_against(backdated).changes}
    assert "raised_at" not in changed and "status" in changed
    assert decided.history_user == org.cqo
