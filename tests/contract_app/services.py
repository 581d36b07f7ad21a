from typing import Any

from cqo.audit.services import audit_record, snapshot


def disposition_decided(*, actor: Any, request: Any, subject: Any) -> None:
    before = snapshot(subject)
    subject.status = "accepted" if request.status == "approved" else "scrapped"
    subject.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="contract_app.nonconformance.dispose",
        obj=subject,
        before=before,
        after=snapshot(subject),
        clause="§6 c)",
    )


def disposition_withdrawn(*, actor: Any, request: Any, subject: Any) -> None:
    subject.status = "open"
    subject.save(update_fields=["status"])


def disposition_signed_content(subject: Any) -> dict[str, Any]:
    return {"title": subject.title, "quantity": subject.quantity}
