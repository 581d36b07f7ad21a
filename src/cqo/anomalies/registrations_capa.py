"""What the CAPA part registers (decision 0005), called from ``registrations.register()``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise | str] = {
    "anomalies.capa.create": _("Corrective action opened"),
    "anomalies.capa.update": _("Corrective action edited"),
    "anomalies.capa.root_cause_verify": _("Root cause of a corrective action verified"),
    "anomalies.capa.actions_done": _("Every action of a corrective action done"),
    "anomalies.capa.actions_reopen": _("Corrective action back to its actions"),
    "anomalies.capa.effectiveness": _("Effectiveness of a corrective action checked"),
    "anomalies.capa.close": _("Corrective action closed"),
    "anomalies.capa.repeat": _("Defect repeated after a corrective action"),
    "anomalies.capa.void": _("Corrective action voided"),
    "anomalies.capamember.add": _("Team member added to a corrective action"),
    "anomalies.capamember.void": _("Team member removed from a corrective action"),
    "anomalies.whychain.create": _("5-Why chain recorded"),
    "anomalies.whychain.update": _("5-Why chain edited"),
    "anomalies.whychain.void": _("5-Why chain voided"),
    "anomalies.fishbonecause.create": _("Fishbone cause recorded"),
    "anomalies.fishbonecause.void": _("Fishbone cause voided"),
    "anomalies.capaaction.create": _("Corrective action step planned"),
    "anomalies.capaaction.complete": _("Corrective action step done"),
    "anomalies.capaaction.void": _("Corrective action step voided"),
    "anomalies.demo.capa": _("Demo corrective actions written"),
}


def ncr_section_context(request: HttpRequest, anomaly: Any) -> dict[str, Any] | None:
    """The CAPAs of an NCR on its page, with the button to open one."""
    from . import selectors_capa, services_capa

    if not request.user.has_perm("anomalies.view_capa"):
        return None
    return {
        "capas": selectors_capa.capas_of_anomaly(anomaly),
        "required_8d": services_capa.eight_d_required(anomaly),
        "may_add": request.user.has_perm("anomalies.add_capa")
        and getattr(anomaly, "status", "") != "closed"
        and anomaly.voided_at is None,
    }


def register_capa(app_label: str) -> None:
    from django.db.models.signals import post_save

    from cqo.audit.labels import actions_register
    from cqo.audit.selectors import signed_content_register
    from cqo.core.demo import demo_builder_register
    from cqo.workbench.nav import nav_link

    from . import demo_capa, selectors_capa, services_capa, signals
    from .closure import closure_obstacle_register
    from .models import AnomalyDefect
    from .sections import section_register

    actions_register(ACTIONS)
    signed_content_register("anomalies.capa", services_capa.capa_content_of)
    nav_link("duty.7.1.4", "anomalies:capa_list")
    section_register(
        "capa", order=50, template="anomalies/capa/_ncr_section.html",
        context_fn=ncr_section_context,
    )  # fmt: skip
    closure_obstacle_register("capa", selectors_capa.closure_obstacles)
    # A repeat is found when an NCR is raised with the defect, or the defect added to it later.
    signals.anomaly_raised.connect(
        services_capa.anomaly_raised_receiver, dispatch_uid="anomalies.capa.repeat_on_raise"
    )
    post_save.connect(
        services_capa.anomaly_defect_added, sender=AnomalyDefect,
        dispatch_uid="anomalies.capa.repeat_detect",
    )  # fmt: skip
    demo_builder_register(
        "anomalies.capa", demo_capa.build,
        # On the demo year's NCRs (the analysis part's), so the 8Ds sit on complaints and CR
        # defects and the repeat rate has CAPAs to count.
        after=("organisation", "authorities", "masterdata", "inspection", "anomalies_year"),
        present=demo_capa.present,
    )  # fmt: skip
