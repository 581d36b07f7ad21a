"""Labels of the audit actions this app records (see ``cqo.audit.labels``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cqo.audit.labels import actions_register


def register() -> None:
    actions_register(
        {
            "decisions.decision.create": _("Business decision recorded"),
            "decisions.decision.submit": _("Business decision submitted"),
            "decisions.decision.approve": _("Business decision approved"),
            "decisions.decision.effect": _("Business decision put into effect"),
            "decisions.decision.withdraw": _("Business decision withdrawn"),
            "decisions.proposal.submit": _("Proposal submitted"),
            "decisions.proposal.accept": _("Proposal accepted"),
            "decisions.proposal.reject": _("Proposal rejected"),
            "decisions.proposal.defer": _("Proposal deferred"),
        }
    )
