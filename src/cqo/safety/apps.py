from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    """A domain app: quality safety (§7.2.1): the requirements register, the risk register and its
    risk-control list, key posts, and the daily control, weekly check and monthly dispatch records.
        Each part registers itself from ``registrations_<part>.py``."""

    name = "cqo.safety"
    label = "safety"
    verbose_name = _("Quality safety")

    def ready(self) -> None:
        from . import registrations

        registrations.register(self.label)
