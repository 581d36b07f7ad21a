"""Clause references of DB50/T 1696-2024.

Features, help texts and audit events cite the clause they serve. The summaries are ours, written
in our own words; the standard's text is never reproduced in the product.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Summaries shown in help texts, keyed by the citation as we print it.
CLAUSES: dict[str, Promise] = {
    "§3.1": _(
        "The CQO is a senior manager appointed or authorised by the legal representative or principal."
    ),
    "§4.1": _("The post sits at decision level, dedicated or held by a deputy head or above."),
    "§4.2": _("The enterprise writes down the CQO's authorities and duties as a system document."),
    "§5.1": _(
        "Basic qualification: education, title, years in quality management, no disqualifying conduct."
    ),
    "§5.2": _("Knowledge the CQO should have."),
    "§5.3": _(
        "The five abilities: strategy, organisation, communication, coordination, innovation."
    ),
    "§6 a)": _("Proposing and carrying out quality strategy, programmes and plans."),
    "§6 b)": _(
        "Taking part in business decisions and proposing quality measures to the decision layer."
    ),
    "§6 c)": _("Approving quality plans and the handling of quality anomalies."),
    "§6 d)": _("Investigating quality incidents and problems; penalties by procedure."),
    "§6 e)": _("Gatekeeping incoming material, the production process and outgoing inspection."),
    "§6 f)": _("Managing the quality budget and quality funds."),
    "§6 g)": _("Appraising quality performance across the enterprise."),
    "§6 h)": _("Building the enterprise brand and quality culture."),
    "§6 i)": _("A one-vote veto on internal quality safety."),
    "§7.1.6": _(
        "Supervising each post's quality responsibility and reporting to the decision layer."
    ),
    "§7.1.8": _("Communication, training and external resources."),
    "§7.2.1.3": _("Quality-safety risk control, key posts and incident rules."),
    "§7.2.4.1": _("Building the quality workforce through training."),
    "§8": _("The special quality fund, spent at the CQO's direction."),
}


def clause_summary(citation: str) -> str:
    summary = CLAUSES.get(citation)
    return f"{citation} {summary}" if summary is not None else citation
