from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuthoritiesConfig(AppConfig):
    name = "cqo.authorities"
    label = "authorities"
    verbose_name = _("Authorities")

    def ready(self) -> None:
        from cqo.api.registry import api_urls_register
        from cqo.audit.selectors import signed_content_register
        from cqo.core.demo import demo_builder_register
        from cqo.notifications.services import reminder_register
        from cqo.workbench.nav import nav_link

        from . import api_urls, audit_actions, demo, panels, services, tasks

        audit_actions.register()
        panels.register()
        nav_link("authority.c", "authorities:approval_list")
        nav_link("authority.i", "authorities:veto_list")
        nav_link("authority.delegations", "authorities:delegation_list")
        # The approval page can then say whether a signature still matches the request.
        signed_content_register(
            "authorities.approvalrequest",
            services.approval_content,  # type: ignore[arg-type]
        )
        demo_builder_register("authorities", demo.build, after=("organisation", "post"))
        reminder_register("authorities.approvals", tasks.approvals_remind)
        api_urls_register("authorities/", api_urls.urlpatterns, namespace="authorities")
