from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostConfig(AppConfig):
    name = "cqo.post"
    label = "post"
    verbose_name = _("The CQO post")

    def ready(self) -> None:
        from cqo.api.registry import api_urls_register
        from cqo.audit.selectors import signed_act_register
        from cqo.core.demo import demo_builder_register
        from cqo.notifications.services import reminder_register
        from cqo.workbench.nav import nav_link

        from . import api_urls, audit_actions, demo, panels, tasks

        audit_actions.register()
        panels.register()
        nav_link("post.appointment", "post:appointment_list", perm="post.view_appointment")
        nav_link("post.qualification", "post:qualification_index", perm="post.view_qualification")
        nav_link("post.competence", "post:competence_list", perm="post.view_competenceassessment")
        demo_builder_register("post", demo.build, after=("organisation",))
        reminder_register("post.competence", tasks.competence_remind)
        api_urls_register("post/", api_urls.urlpatterns, namespace="post")
        # The principal's signature that put an appointment in force is over its terms; the
        # other signatures on it (a removal) are not rebuilt here.
        signed_act_register("post.appointment.sign", _appointment_signed_content)
        # What §5 still asks (the dashboard's list) is remembered across requests until one of
        # the records it reads changes.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(_due_source_changed, dispatch_uid=f"post.due.{id(signal)}")


def _due_source_changed(sender: Any, **kwargs: Any) -> None:
    from cqo.core.commit_hooks import on_commit_once

    from . import selectors

    meta = getattr(sender, "_meta", None)
    if meta is None or not (meta.app_label == "post" or meta.label_lower in selectors.DUE_SOURCES):
        return
    # Now, for this process's next question; and again once the change is committed, so a
    # request that read the old rows between the two cannot keep its answer under the new name.
    selectors.competence_due_changed()
    on_commit_once(selectors.competence_due_changed)


def _appointment_signed_content(appointment: Any, event: Any) -> dict[str, Any]:
    from .services import appointment_content

    return appointment_content(appointment)
