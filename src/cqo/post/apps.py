from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostConfig(AppConfig):
    name = "cqo.post"
    label = "post"
    verbose_name = _("The CQO post")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from cqo.api.registry import api_urls_register
        from cqo.core.demo import demo_builder_register
        from cqo.notifications.services import reminder_register
        from cqo.workbench.nav import nav_link

        from . import api_urls, audit_actions, demo, panels, tasks

        audit_actions.register()
        panels.register()
        nav_link("post.appointment", "post:appointment_list", perm="post.view_appointment")
        nav_link("post.qualification", "post:qualification_index", perm="post.view_qualification")
        nav_link("post.competence", "post:competence_list", perm="post.view_competenceassessment")
        # An appointment that changes changes who is the CQO: forget what any user object
        # remembers about it.
        for signal in (post_save, post_delete):
            signal.connect(_forget, sender="post.Appointment", dispatch_uid=f"post.{signal}")
        demo_builder_register("post", demo.build, after=("organisation",))
        reminder_register("post.competence", tasks.competence_remind)
        api_urls_register("post/", api_urls.urlpatterns, namespace="post")


def _forget(**kwargs: object) -> None:
    from . import office

    office.forget()
