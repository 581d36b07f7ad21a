from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    """A domain app: quality incidents, their investigation led by the CQO or a delegate, and
    penalties decided by procedure after the person was heard (§6 d), §7.2.1.3)."""

    name = "cqo.incidents"
    label = "incidents"
    verbose_name = _("Quality incidents")

    def ready(self) -> None:
        from . import registrations

        registrations.register(self.label)
