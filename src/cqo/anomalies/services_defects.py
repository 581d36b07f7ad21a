"""The defect catalogue per item family (§6 c)): add, change, void, and import from Excel (all
or nothing, each problem named by row and column)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cqo.audit.services import audit_record, audited_change, record_void, snapshot
from cqo.core.clauses import clause
from cqo.core.permissions import require
from cqo.masterdata.models import DefectClass

from .models_ncr import DefectCode

CLAUSE_NCR = clause("§6 c)")
FIELDS = ("family", "code", "name", "name_en", "defect_class", "description")
LIMITS = {"family": 60, "code": 30, "name": 200, "name_en": 200}


def _values(values: dict[str, Any]) -> dict[str, str]:
    """The catalogue row's values, trimmed and checked; a ValidationError names each field."""
    out = {k: str(values.get(k) or "").strip() for k in FIELDS}
    errors: dict[str, list[str]] = {}
    for key in ("family", "code", "name"):
        if not out[key]:
            errors.setdefault(key, []).append(
                _("This field is required (%(clause)s).") % {"clause": CLAUSE_NCR}
            )
    for key, limit in LIMITS.items():
        if len(out[key]) > limit:
            errors.setdefault(key, []).append(
                _("At most %(n)d characters (%(clause)s).") % {"n": limit, "clause": CLAUSE_NCR}
            )
    if out["defect_class"] not in DefectClass.values:
        errors.setdefault("defect_class", []).append(_("Choose a defect class from the list."))
    if errors:
        raise ValidationError(errors)
    return out


def _taken(family: str, code: str, *, other_than: int | None = None) -> bool:
    qs = DefectCode.objects.filter(family=family, code=code, voided_at__isnull=True)
    if other_than is not None:
        qs = qs.exclude(pk=other_than)
    return qs.exists()


def _duplicate() -> ValidationError:
    return ValidationError(
        {"code": _("This family already has this defect code.")}, code="duplicate"
    )


@transaction.atomic
def defect_code_create(*, actor: Any, **values: Any) -> DefectCode:
    require(actor, "anomalies.add_defectcode", clause=CLAUSE_NCR)
    clean = _values(values)
    if _taken(clean["family"], clean["code"]):
        raise _duplicate()
    code = DefectCode(**clean)
    code.save()
    audit_record(
        actor=actor, action="anomalies.defectcode.create", obj=code, after=snapshot(code),
        clause=CLAUSE_NCR,
    )  # fmt: skip
    return code


def defect_code_update(*, actor: Any, defect: DefectCode, **values: Any) -> DefectCode:
    require(actor, "anomalies.change_defectcode", defect, clause=CLAUSE_NCR)
    clean = _values({**{k: getattr(defect, k) for k in FIELDS}, **values})
    with audited_change(
        actor=actor, obj=defect, action="anomalies.defectcode.update", clause=CLAUSE_NCR
    ) as locked:
        if locked.voided_at is not None:
            raise ValidationError({"code": _("This defect code was voided.")})
        if _taken(clean["family"], clean["code"], other_than=locked.pk):
            raise _duplicate()
        for key, value in clean.items():
            setattr(locked, key, value)
    return locked


def defect_code_void(*, actor: Any, defect: DefectCode, reason: str) -> DefectCode:
    voided = record_void(
        actor=actor, record=defect, reason=reason, perm="anomalies.void_defectcode",
        clause=CLAUSE_NCR,
    )  # fmt: skip
    assert isinstance(voided, DefectCode)
    return voided


def defect_codes_import(
    *, actor: Any, rows: list[tuple[int, dict[str, Any]]], file_name: str = ""
) -> tuple[int, int]:
    """Rows of the catalogue (row number, values), all or nothing: a new (family, code) is
    added, a known one updated. Every problem is reported as ``{"file": ["Row 3, code: …"]}``.
    Answers (added, updated)."""
    require(actor, "anomalies.import_defectcode", clause=CLAUSE_NCR)
    problems: list[str] = []
    clean_rows: list[tuple[int, dict[str, str]]] = []
    seen: dict[tuple[str, str], int] = {}
    for row, values in rows:
        try:
            clean = _values(values)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                problems.extend(
                    _("Row %(row)d, %(field)s: %(message)s")
                    % {"row": row, "field": field, "message": m}
                    for m in messages
                )
            continue
        key = (clean["family"], clean["code"])
        if key in seen:
            problems.append(
                _("Row %(row)d, %(field)s: %(message)s")
                % {"row": row, "field": "code",
                   "message": _("the same family and code as row %(n)d.") % {"n": seen[key]}}
            )  # fmt: skip
            continue
        seen[key] = row
        clean_rows.append((row, clean))
    if not clean_rows and not problems:
        problems.append(_("The workbook has no defect codes."))
    if problems:
        raise ValidationError({"file": problems[:200]})
    existing = {
        (d.family, d.code): d
        for d in DefectCode.objects.filter(
            voided_at__isnull=True, family__in={c["family"] for _r, c in clean_rows}
        )
    }
    added = updated = 0
    with transaction.atomic():
        for _row, clean in clean_rows:
            known = existing.get((clean["family"], clean["code"]))
            if known is None:
                DefectCode(**clean).save()
                added += 1
            elif any(getattr(known, k) != v for k, v in clean.items()):
                for name, value in clean.items():
                    setattr(known, name, value)
                known.save()
                updated += 1
        audit_record(
            actor=actor, action="anomalies.defectcode.import",
            obj=("anomalies.defectcode", "catalogue", "defect catalogue"),
            after={"added": added, "updated": updated, "rows": len(clean_rows),
                   "file": file_name[:200]},
            clause=CLAUSE_NCR,
        )  # fmt: skip
    return added, updated
