from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "cqo.organisation"
    label = "organisation"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from . import audit_actions

        audit_actions.register()
