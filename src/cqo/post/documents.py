"""The post's printable documents: the appointment letter (任命授权书), the filing record for the
market regulator (备案), the qualification report and the charter, as PDF; the filing record
also as an Excel workbook, one row per appointment, for a regulator's own list.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cqo.audit.services import signature_matches, signatures_for
from cqo.core.exports import sheet_append, workbook_new, xlsx_bytes
from cqo.core.pdf import render_pdf

from .models import Appointment, EvidenceDocument
from .qualification import qualification_check
from .services import appointment_content


def _signatures(obj: Any, content: dict[str, Any] | None) -> list[dict[str, Any]]:
    rows = []
    for sig in signatures_for(obj).select_related("signer"):
        rows.append(
            {
                "signature": sig,
                "matches": signature_matches(sig, content) if content is not None else None,
            }
        )
    return rows


def _local(obj: Any, field: str, language: str) -> str:
    native = getattr(obj, field, "") or ""
    if language.startswith("en"):
        return getattr(obj, f"{field}_en", "") or native
    return native


def appointment_context(appointment: Appointment, language: str) -> dict[str, Any]:
    content = appointment_content(appointment)
    sigs = [
        s
        for s in _signatures(appointment, content)
        if s["signature"].pk == appointment.signature_id
    ]
    removal = (
        [
            s
            for s in _signatures(appointment, None)
            if s["signature"].pk == appointment.end_signature_id
        ]
        if appointment.end_signature_id
        else []
    )
    evidence = EvidenceDocument.objects.active().filter(person=appointment.person)
    person = appointment.person
    return {
        "appointment": appointment,
        "enterprise": appointment.enterprise,
        "enterprise_name": _local(appointment.enterprise, "name", language),
        "person": person,
        "person_name": _local(person, "name", language),
        "job_title": _local(person, "job_title", language),
        "principal_name": _local(appointment.principal, "name", language),
        "signatures": sigs,
        "removal_signatures": removal,
        "evidence": evidence,
        "qualification": appointment.qualification,
        "document_id": appointment.number,
    }


def letter_pdf(appointment: Appointment, *, language: str = "zh-hans") -> bytes:
    return render_pdf(
        "post/pdf/letter.html", appointment_context(appointment, language), language=language
    )


def filing_pdf(appointment: Appointment, *, language: str = "zh-hans") -> bytes:
    ctx = appointment_context(appointment, language)
    ctx["document_id"] = f"{appointment.number}-F"
    return render_pdf("post/pdf/filing.html", ctx, language=language)


def qualification_pdf(person: Any, *, language: str = "zh-hans") -> bytes:
    with translation.override(language):
        report = qualification_check(person)
    return render_pdf(
        "post/pdf/qualification.html",
        {"report": report, "person": person, "person_name": _local(person, "name", language)},
        language=language,
    )


FILING_COLUMNS = [
    ("enterprise", lambda a: a.enterprise.name),
    ("credit_code", lambda a: a.enterprise.credit_code),
    ("size_class", lambda a: a.enterprise.get_size_class_display()),
    (
        "industry",
        lambda a: " ".join(filter(None, [a.enterprise.industry_code, a.enterprise.industry_name])),
    ),
    ("region", lambda a: a.enterprise.region_name),
    ("address", lambda a: a.enterprise.address),
    ("number", lambda a: a.number),
    ("kind", lambda a: a.get_kind_display()),
    ("cqo", lambda a: a.person.name),
    ("job_title", lambda a: a.person.job_title),
    ("education", lambda a: a.person.get_education_display()),
    ("title_level", lambda a: a.person.get_title_level_display()),
    ("quality_years", lambda a: a.person.quality_years),
    ("phone", lambda a: a.person.phone),
    ("email", lambda a: a.person.email),
    ("post_form", lambda a: a.get_post_form_display()),
    ("holder_position", lambda a: a.holder_position),
    ("functions", lambda a: "、".join(a.function_labels())),
    ("qsd", lambda a: _("yes") if a.also_quality_safety_director else _("no")),
    ("effective_from", lambda a: a.effective_from),
    ("effective_to", lambda a: a.effective_to or ""),
    ("ended_on", lambda a: a.ended_on or ""),
    ("status", lambda a: a.get_status_display()),
    ("principal", lambda a: a.principal.name),
    (
        "signed_at",
        lambda a: timezone.localtime(a.signed_at).replace(tzinfo=None) if a.signed_at else "",
    ),
    ("signature_hash", lambda a: a.signature.content_hash if a.signature_id else ""),
]


def filing_headers() -> list[str]:
    labels = {
        "enterprise": _("Enterprise"),
        "credit_code": _("Unified social credit code"),
        "size_class": _("Size class"),
        "industry": _("Industry"),
        "region": _("Region"),
        "address": _("Address"),
        "number": _("Letter number"),
        "kind": _("Appointment or authorisation"),
        "cqo": _("CQO"),
        "job_title": _("Job title"),
        "education": _("Education"),
        "title_level": _("Professional title"),
        "quality_years": _("Years in quality management"),
        "phone": _("Phone"),
        "email": _("E-mail"),
        "post_form": _("Form of the post"),
        "holder_position": _("Position held"),
        "functions": _("Functions led directly"),
        "qsd": _("Also Quality Safety Director"),
        "effective_from": _("Effective from"),
        "effective_to": _("Effective until"),
        "ended_on": _("Last day in office"),
        "status": _("Status"),
        "principal": _("Appointing principal"),
        "signed_at": _("Signed at"),
        "signature_hash": _("Signature content hash"),
    }
    return [str(labels[key]) for key, _fn in FILING_COLUMNS]


def filing_xlsx(appointments: list[Appointment], *, language: str = "zh-hans") -> bytes:
    """The filing record as a workbook: a header row and one row per appointment."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    with translation.override(language):
        wb = workbook_new()
        ws = wb.active
        assert ws is not None
        ws.title = _("CQO filing")[:31]
        headers = filing_headers()
        sheet_append(ws, headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for appointment in appointments:
            sheet_append(ws, [fn(appointment) for _key, fn in FILING_COLUMNS])
        for index, header in enumerate(headers, start=1):
            ws.column_dimensions[get_column_letter(index)].width = max(
                12, min(40, len(header) * 2 + 2)
            )
        ws.freeze_panes = "A2"
        meta = wb.create_sheet(_("About")[:31])
        sheet_append(meta, [_("Generated at"), timezone.localtime().replace(tzinfo=None)])
        sheet_append(meta, [_("Basis"), "DB50/T 1696-2024 §3.1, §4.1, §5.1"])
        return xlsx_bytes(wb)
