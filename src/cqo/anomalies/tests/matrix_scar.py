"""The SCAR part's rows of the permission matrix (merged by ``matrix.py``): an NCR on a
supplier's lot, a SCAR answered with an attachment, and a SCAR whose link is live.

SCARs are read by the readers of supplier quality (the principal, the CQO, the deputy, quality
engineers, inspectors, auditors) and handled by quality engineers, the CQO and the deputy. The
supplier's page (``scar_reply``) opens for anyone, signed in or not, with the live token of its
SCAR, and for nobody without it (``test_scar.py``: one 404 for every wrong link)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from cqo.testing.matrix import ANONYMOUS

READERS = ("principal", "cqo", "deputy", "quality_engineer", "inspector", "auditor")
WRITERS = ("quality_engineer", "cqo", "deputy")


def _page_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 403, **dict.fromkeys(roles, 200)}


def _api_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 403, "*": 403, **dict.fromkeys(roles, 200)}


# POST-only API actions: a GET is read as a read of SCARs (core.api_permissions), so it is 405
# for their readers and 403 for everyone else; the writers are checked by API_WRITERS.
_API_POST_FOR_WRITERS = {ANONYMOUS: 403, "*": 403, **dict.fromkeys(READERS, 405)}
_PAGE_POST_ONLY = {ANONYMOUS: 302, "*": 405}

EXPECTED: dict[str, dict[str, int]] = {
    "anomalies:scar_list": _page_for(*READERS),
    "anomalies:scar_detail": _page_for(*READERS),
    "anomalies:scar_answer_file": _page_for(*READERS),
    "anomalies:scar_issue": _page_for(*WRITERS),
    "anomalies:scar_accept": _PAGE_POST_ONLY,
    "anomalies:scar_return": _PAGE_POST_ONLY,
    "anomalies:scar_link_reissue": _PAGE_POST_ONLY,
    "anomalies:scar_link_revoke": _PAGE_POST_ONLY,
    "anomalies:scar_void": _PAGE_POST_ONLY,
    # The supplier's page: the token is the key, whoever holds it.
    "anomalies:scar_reply": {ANONYMOUS: 200, "*": 200},
    "api:anomalies:scar-list": _api_for(*READERS),
    "api:anomalies:scar-detail": _api_for(*READERS),
    "api:anomalies:scar-issue": _API_POST_FOR_WRITERS,
    "api:anomalies:scar-accept": _API_POST_FOR_WRITERS,
    "api:anomalies:scar-return": _API_POST_FOR_WRITERS,
    "api:anomalies:scar-link": _API_POST_FOR_WRITERS,
    "api:anomalies:scar-revoke": _API_POST_FOR_WRITERS,
    "api:anomalies:scar-void": _API_POST_FOR_WRITERS,
}

API_WRITERS: dict[str, tuple[str, ...]] = {
    name: WRITERS
    for name in (
        "api:anomalies:scar-issue", "api:anomalies:scar-accept", "api:anomalies:scar-return",
        "api:anomalies:scar-link", "api:anomalies:scar-revoke", "api:anomalies:scar-void",
    )
}  # fmt: skip

OBJECT_FOR_PK = {
    "anomalies:scar_answer_": "scar_answer",
    "anomalies:scar_issue": "scar_ncr",
    "anomalies:scar_": "scar",
    "api:anomalies:scar-": "scar",
}

KWARGS = {
    "anomalies:scar_reply": lambda world: {
        "pk": world.objects["scar_live"].pk,
        "token": world.objects["scar_live_token"],
    },
}

# Pages an anonymous visitor may write through (tests/security/matrix.py): the supplier's
# answer, with the live token. A matrix POST there carries no answer: refused by the form.
PUBLIC_WRITES = {"anomalies:scar_reply": "the supplier answers through its link"}


def build(world: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cqo.anomalies import link_scar
    from cqo.anomalies import services_scar as S
    from cqo.testing.scar import ANSWER, scar_make, supplier_ncr

    org = SimpleNamespace(
        engineer=world.users["quality_engineer"], inspector=world.users["inspector"]
    )
    ncr = supplier_ncr(org)
    answered = scar_make(org, anomaly=ncr)
    actor = link_scar.SupplierActor(
        scar_id=answered.scar.pk, supplier="matrix", number=answered.scar.number
    )
    pdf = SimpleUploadedFile("8d.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    answer = S.scar_answer_submit(actor=actor, scar=answered.scar, attachment=pdf, **ANSWER)
    live = scar_make(org, anomaly=ncr)
    world.objects.update(
        scar_ncr=ncr,
        scar=answered.scar,
        scar_answer=answer,
        scar_live=live.scar,
        scar_live_token=live.token,
    )
