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
            "authorities.delegation.create": _("Authority delegated"),
            "authorities.delegation.revoke": _("Delegation revoked"),
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
