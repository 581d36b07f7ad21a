from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CostsConfig(AppConfig):
    """A domain app: the quality-cost ledger and its reports (§7.1.5), the quality budget (§6 f))
    and the special quality fund (§8).
        Each part registers itself from ``registrations_<part>.py``."""

    name = "cqo.costs"
    label = "costs"
    verbose_name = _("Quality cost and fund")

    def ready(self) -> None:
        from . import registrations

        registrations.register(self.label)
