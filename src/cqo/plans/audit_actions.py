"""Labels of the audit actions this app records (see ``cqo.audit.labels``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cqo.audit.labels import actions_register


def register() -> None:
    actions_register(
        {
            "plans.strategy.create": _("Quality strategy drafted"),
            "plans.strategy.status": _("Quality strategy status changed"),
            "plans.plan.create": _("Quality plan drafted"),
            "plans.plan.submitted": _("Quality plan submitted"),
            "plans.plan.approved": _("Quality plan approved"),
            "plans.plan.returned": _("Quality plan returned"),
            "plans.plan.closed": _("Quality plan closed"),
            "plans.plan.draft": _("Quality plan back to draft"),
            "plans.planitem.create": _("Plan item added"),
            "plans.planitem.progress": _("Plan item progress recorded"),
        }
    )
