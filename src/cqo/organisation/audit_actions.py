"""Labels of the audit actions this app records (see ``cqo.audit.labels``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cqo.audit.labels import actions_register


def register() -> None:
    actions_register(
        {
            "organisation.enterprise.create": _("Enterprise recorded"),
            "organisation.enterprise.update": _("Enterprise details changed"),
            "organisation.unit.create": _("Unit created"),
            "organisation.unit.update": _("Unit changed"),
            "organisation.unit.change": _("Unit changed"),
            "organisation.unit.move": _("Unit moved"),
            "organisation.unit.void": _("Unit voided"),
            "organisation.person.create": _("Person recorded"),
            "organisation.person.update": _("Person's details changed"),
            "organisation.person.account": _("Sign-in account linked"),
            "organisation.person.leave": _("Person left the enterprise"),
            "organisation.post.create": _("Post created"),
            "organisation.post.update": _("Post changed"),
            "organisation.postassignment.create": _("Assigned to a post"),
            "organisation.postassignment.end": _("Post assignment ended"),
            "organisation.authority.propose": _("Authority change proposed"),
            "organisation.authority.confirm": _("Authority change signed and applied"),
            "organisation.authority.withdraw": _("Authority change withdrawn"),
        }
    )
