"""Labels of the audit actions this app records (see ``cqo.audit.labels``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cqo.audit.labels import actions_register


def register() -> None:
    actions_register(
        {
            "post.appointment.new": _("CQO appointment drafted"),
            "post.appointment.renewal": _("CQO appointment renewal drafted"),
            "post.appointment.handover": _("CQO handover drafted"),
            "post.appointment.sign": _("CQO appointment signed"),
            "post.appointment.end": _("CQO appointment ended"),
            "post.appointment.continue": _("CQO appointment continued by a renewal"),
            "post.appointment.remove": _("CQO removed from office"),
            "post.appointment.withdraw": _("Draft appointment withdrawn"),
            "post.competence.create": _("Competence assessment started"),
            "post.competence.score_self": _("Self-assessment scored"),
            "post.competence.score_principal": _("Principal's assessment scored"),
            "post.competence.complete": _("Competence assessment completed"),
            "post.competence.action_add": _("Development action added"),
            "post.competence.action_done": _("Development action done"),
            "post.evidence.add": _("Qualification evidence added"),
            "post.qualification.policy": _("Qualification rule set chosen"),
            "post.disqualification.declare": _("Disqualification declared"),
        }
    )
