from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecallConfig(AppConfig):
    """A domain app: recalls of defective products led by the CQO (§7.2.1.4), with the regulator's
    clocks counted in working days.
        Each part registers itself from ``registrations_<part>.py``."""

    name = "cqo.recall"
    label = "recall"
    verbose_name = _("Defective-product recall")

    def ready(self) -> None:
        from . import registrations

        registrations.register(self.label)
