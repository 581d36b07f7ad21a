"""Set-up for corrective action (CAPA, §7.1.4) tests: a CAPA on an NCR, brought through the
services as far as a test needs.

``capa_on_ncr(org)`` opens one on a fresh NCR (``cqo.testing.anomalies.ncr_make``), owned by the
org's quality engineer. ``capa_ready_for_check(org)`` takes it through a 5-Why chain, the root
cause verified by the deputy and one permanent action owned by the head of production, done:
it then awaits its effectiveness check by someone other than the engineer and the head.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cqo.anomalies import services_capa as S
from cqo.anomalies.models import Capa
from cqo.anomalies.models_capa import ActionKind, FishboneCategory

from .anomalies import ncr_make

WHYS = ["镗刀磨损", "换刀周期按班次计", "作业指导书未规定刀具寿命"]


def capa_on_ncr(org: Any, *, anomaly: Any = None, **fields: Any) -> Capa:
    anomaly = anomaly if anomaly is not None else ncr_make(org)
    fields.setdefault("title", "阀杆外径超差的纠正措施")
    fields.setdefault("owner", org.engineer)
    return S.capa_create(actor=org.engineer, anomaly=anomaly, **fields)


def capa_analysed(org: Any, capa: Capa | None = None) -> Capa:
    """A 5-Why chain and the root cause written, verified by the deputy."""
    capa = capa or capa_on_ncr(org)
    S.capa_update(actor=org.engineer, capa=capa, root_cause="作业指导书未规定刀具寿命")
    S.why_chain_save(
        actor=org.engineer, capa=capa, problem="阀杆外径超差", steps=WHYS,
        root_cause="刀具寿命未受控", category=FishboneCategory.METHOD,
    )  # fmt: skip
    return S.root_cause_verify(actor=org.deputy, capa=capa, verification="换刀后连续200件合格")


def capa_ready_for_check(org: Any, capa: Capa | None = None) -> Capa:
    capa = capa_analysed(org, capa)
    action = S.action_add(
        actor=org.engineer, capa=capa, kind=ActionKind.PERMANENT,
        description="作业指导书规定刀具寿命为800件", owner=org.head,
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )  # fmt: skip
    S.action_complete(actor=org.head, action=action, note="WI-021 已换版")
    return Capa.objects.get(pk=capa.pk)
