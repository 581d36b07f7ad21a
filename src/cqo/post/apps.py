from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostConfig(AppConfig):
    name = "cqo.post"
    label = "post"
    verbose_name = _("The CQO post")

    def ready(self) -> None:
        from cqo.audit.selectors import signed_content_register
        from cqo.workbench.nav import nav_link

        from . import audit_actions, panels

        audit_actions.register()
        panels.register()
        nav_link("post.appointment", "post:appointment_list", perm="post.view_appointment")
        nav_link("post.charter", "post:charter_list", perm="post.view_charter")
        nav_link("post.qualification", "post:qualification_index", perm="post.view_qualification")
        nav_link("post.competence", "post:competence_list", perm="post.view_competenceassessment")
        # The charter's signature is over its version and content hash; the audit pages can then
        # say whether a version still matches what the principal signed.
        signed_content_register("post.charter", _charter_signed_content)


def _charter_signed_content(charter: Any) -> dict[str, Any]:
    return {"version": charter.version, "content_hash": charter.content_hash}
