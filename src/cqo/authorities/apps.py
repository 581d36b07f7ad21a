from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuthoritiesConfig(AppConfig):
    name = "cqo.authorities"
    label = "authorities"
    verbose_name = _("Authorities")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from cqo.audit.selectors import signed_content_register
        from cqo.workbench.nav import NavItem, nav_item_register, nav_link

        from . import audit_actions, panels, services

        # An appointment that changes changes who holds the nine authorities: forget what any
        # user object remembers about it.
        for signal in (post_save, post_delete):
            signal.connect(_forget, sender="post.Appointment", dispatch_uid=f"authorities.{signal}")

        audit_actions.register()
        panels.register()
        nav_link("authority.a", "authorities:strategy_list")
        nav_link("authority.b", "authorities:proposal_list")
        nav_link("authority.c", "authorities:approval_list")
        nav_link("authority.i", "authorities:veto_list")
        nav_link("authority.delegations", "authorities:delegation_list")
        nav_item_register(
            "authorities",
            NavItem(
                "authority.decisions",
                _("Business decisions"),
                "§6 b), §6 i)",
                "authorities:decision_list",
                "authorities.view_businessdecision",
            ),
        )
        # The approval page can then say whether a signature still matches the request.
        signed_content_register(
            "authorities.approvalrequest",
            services.approval_content,  # type: ignore[arg-type]
        )


def _forget(**kwargs: object) -> None:
    from . import engine

    engine.forget()
