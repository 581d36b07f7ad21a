"""Labels of the audit actions this app records (see ``cqo.audit.labels``). The actions keep the
``post.charter.`` codes they had when the charter lived in the post app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cqo.audit.labels import actions_register


def register() -> None:
    actions_register(
        {
            "post.charter.generate": _("Charter generated"),
            "post.charter.regenerate": _("Charter regenerated"),
            "post.charter.approve": _("Charter approved"),
            "post.charter.publish": _("Charter published"),
            "post.charter.supersede": _("Charter superseded"),
            "post.charter.outdated": _("Charter marked out of date"),
        }
    )
