from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "cqo.organisation"
    label = "organisation"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from cqo.core.demo import demo_builder_register

        from . import demo

        demo_builder_register(
            "organisation", demo.build, present=demo.present, accounts=demo.accounts_present
        )

        from . import audit_actions

        audit_actions.register()
