"""Labels of the audit actions this app records (see ``cqo.audit.labels``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cqo.audit.labels import actions_register, values_register


def register() -> None:
    actions_register(
        {
            "authorities.approval.raise": _("Approval requested"),
            "authorities.approval.approve": _("Request approved"),
            "authorities.approval.reject": _("Request rejected"),
            "authorities.approval.withdraw": _("Request withdrawn"),
            "authorities.decision.create": _("Business decision recorded"),
            "authorities.decision.submit": _("Business decision submitted"),
            "authorities.decision.approve": _("Business decision approved"),
            "authorities.decision.effect": _("Business decision put into effect"),
            "authorities.decision.withdraw": _("Business decision withdrawn"),
            "authorities.delegation.create": _("Authority delegated"),
            "authorities.delegation.revoke": _("Delegation revoked"),
            "authorities.strategy.create": _("Quality strategy drafted"),
            "authorities.strategy.status": _("Quality strategy status changed"),
            "authorities.plan.create": _("Quality plan drafted"),
            "authorities.plan.submitted": _("Quality plan submitted"),
            "authorities.plan.approved": _("Quality plan approved"),
            "authorities.plan.returned": _("Quality plan returned"),
            "authorities.plan.closed": _("Quality plan closed"),
            "authorities.plan.draft": _("Quality plan back to draft"),
            "authorities.planitem.create": _("Plan item added"),
            "authorities.planitem.progress": _("Plan item progress recorded"),
            "authorities.proposal.submit": _("Proposal submitted"),
            "authorities.proposal.accept": _("Proposal accepted"),
            "authorities.proposal.reject": _("Proposal rejected"),
            "authorities.proposal.defer": _("Proposal deferred"),
            "authorities.veto.refused": _("Attempt stopped by a one-vote veto"),
        }
    )
    actions_register(
        {
            "authorities.veto.impose": _("One-vote veto imposed"),
            "authorities.veto.lift": _("One-vote veto lifted"),
        },
        snapshot_model="authorities.veto",
    )
    # How a veto or a signature describes its signer (``engine.capacity``).
    values_register("authorities.veto", "capacity", {"cqo": _("CQO"), "delegate": _("delegate")})
