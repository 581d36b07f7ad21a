"""The content of the charter of authorities and duties (§4.2), built from the data.

The content is a frozen snapshot in both languages, so a published version reads the same years
later whatever changes in the catalogue or the translations; its SHA-256 is what the principal
signs. Duties are our own short summaries of §7, never the standard's words.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cqo.audit.chain import content_hash
from cqo.authorities.catalogue import AUTHORITIES
from cqo.authorities.selectors import delegations_in_force

LANGS = ("zh-hans", "en")

DUTIES: list[tuple[str, Any]] = [
    (
        "§7.1.1",
        _("Put national quality laws, regulations and policies into effect in the enterprise."),
    ),
    (
        "§7.1.2",
        _(
            "Lead the building of the quality culture, keep the quality commitments, reach the "
            "quality objectives."
        ),
    ),
    (
        "§7.1.3",
        _(
            "Draw up the quality development strategy and the quality-safety safeguards, and see "
            "them through."
        ),
    ),
    (
        "§7.1.4",
        _(
            "Adopt advanced management systems and methods; run improvement, breakthrough and "
            "upgrade activities."
        ),
    ),
    ("§7.1.5", _("Manage quality cost and improve quality statistics and analysis.")),
    (
        "§7.1.6",
        _(
            "Check that every post carries its quality responsibility; report results and "
            "improvements to the decision layer."
        ),
    ),
    ("§7.1.7", _("Set up and run the quality appraisal, reward and penalty rules.")),
    (
        "§7.1.8",
        _(
            "Communicate, train, bring in outside resources and plan the enterprise's quality "
            "competitiveness."
        ),
    ),
    (
        "§7.2.1.1",
        _(
            "Carry the enterprise's primary quality responsibility: products, works and services "
            "meet laws and mandatory standards."
        ),
    ),
    (
        "§7.2.1.2",
        _(
            "Identify legal, standard, market and customer safety requirements; assess "
            "quality-safety risks; keep the management system sound."
        ),
    ),
    (
        "§7.2.1.3",
        _(
            "Control quality-safety risks, set post quality rules, hold key posts responsible, "
            "keep incident reporting and investigation rules."
        ),
    ),
    ("§7.2.1.4", _("Lead the recall of defective products.")),
    (
        "§7.2.2.1",
        _(
            "Keep metrology, inspection and testing sound so that their data are true, accurate "
            "and reliable."
        ),
    ),
    (
        "§7.2.2.2",
        _(
            "Apply mandatory standards, adopt advanced standards, self-declare enterprise "
            "standards and benchmark."
        ),
    ),
    (
        "§7.2.2.3",
        _("Take part in drafting standards and turn own innovations into enterprise standards."),
    ),
    (
        "§7.2.2.4",
        _("Pursue quality certification and compulsory product certification where it applies."),
    ),
    ("§7.2.2.5", _("Build the enterprise's laboratories and obtain their accreditation.")),
    (
        "§7.2.3.1",
        _(
            "Drive innovation in products, processes, technology and management; organise quality "
            "breakthroughs."
        ),
    ),
    (
        "§7.2.3.2",
        _(
            "Run total quality management: risk control, quality cost, online monitoring, "
            "traceability, FMEA, Six Sigma, QFD."
        ),
    ),
    (
        "§7.2.3.3",
        _(
            "Run QC circles, improvement suggestions and skill contests; reward and spread the "
            "results."
        ),
    ),
    ("§7.2.3.4", _("Plan and build the quality brand and its reputation.")),
    ("§7.2.3.5", _("Lead by example along the supply chain, or learn from the benchmark firms.")),
    ("§7.2.3.6", _("Build the quality culture with the leadership taking part.")),
    (
        "§7.2.3.7",
        _(
            "Analyse and control quality cost across prevention, appraisal and internal and "
            "external failure."
        ),
    ),
    ("§7.2.4.1", _("Train and build the quality workforce.")),
    (
        "§7.2.4.2",
        _("Put quality into every unit's performance appraisal and build quality incentives."),
    ),
]


def _both(text: Callable[[], Any] | Any) -> dict[str, str]:
    out = {}
    for lang in LANGS:
        with translation.override(lang):
            out[lang] = str(text() if callable(text) else text)
    return out


def _delegations(on: datetime.date) -> list[dict[str, Any]]:
    """The delegations in force on ``on``."""
    rows: list[dict[str, Any]] = []
    for d in delegations_in_force(on=on):
        units = getattr(d, "units", None)
        unit_names = (
            [str(u) for u in units.all()] if units is not None and hasattr(units, "all") else []
        )
        rows.append(
            {
                "id": getattr(d, "pk", None),
                "authority": str(getattr(d, "authority", "")),
                "delegator": str(getattr(d, "delegator", "")),
                "delegate": str(getattr(d, "delegate", "")),
                "units": unit_names,
                "from": str(getattr(d, "start_date", "") or ""),
                "until": str(getattr(d, "end_date", "") or ""),
                "scope": str(getattr(d, "scope_note", "") or ""),
            }
        )
    rows.sort(key=lambda r: (r["authority"], r["from"], r["id"] or 0))
    return rows


def _authorities() -> list[dict[str, Any]]:
    return [
        {
            "code": a.code,
            "clause": a.clause,
            "label": _both(a.label),
            "delegable": bool(a.delegable),
        }
        for a in AUTHORITIES
    ]


def charter_content(
    *, enterprise: Any, appointment: Any, version: int, veto_delegable: bool
) -> dict[str, Any]:
    today = timezone.localdate()
    from cqo.post.models import LedFunction, PostForm

    appt: dict[str, Any] | None = None
    if appointment is not None:
        forms = dict(PostForm.choices)
        functions = dict(LedFunction.choices)
        appt = {
            "id": appointment.pk,
            "number": appointment.number,
            "person": appointment.person.name,
            "person_en": appointment.person.name_en,
            "principal": appointment.principal.name,
            "principal_en": appointment.principal.name_en,
            "kind": appointment.kind,
            "effective_from": appointment.effective_from.isoformat(),
            "effective_to": appointment.effective_to.isoformat()
            if appointment.effective_to
            else None,
            "post_form": appointment.post_form,
            "post_form_label": _both(forms[appointment.post_form]),
            "holder_position": appointment.holder_position,
            "functions": [
                {"code": f, "label": _both(functions.get(f, f))} for f in appointment.functions
            ],
            "also_quality_safety_director": appointment.also_quality_safety_director,
        }
    authorities = _authorities()
    for a in authorities:
        if a["code"] == "i":
            a["delegable"] = bool(veto_delegable)
    return {
        "title": _both(_("Charter of the Chief Quality Officer's authorities and duties")),
        "enterprise": {
            "name": enterprise.name,
            "name_en": enterprise.name_en,
            "credit_code": enterprise.credit_code,
        },
        "version": version,
        "as_of": today.isoformat(),
        "appointment": appt,
        "authorities": authorities,
        "duties": [{"clause": clause, "text": _both(text)} for clause, text in DUTIES],
        "delegations": _delegations(today),
        "veto_delegable": bool(veto_delegable),
        "basis": "DB50/T 1696-2024 §4.2, §6, §7",
    }


def charter_hash(content: dict[str, Any]) -> str:
    return content_hash(content)
