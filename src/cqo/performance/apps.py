from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    """A domain app: quality objectives cascaded to units with actuals computed from the metric
    registry (§7.1.2) and the appraisal of units and people (§6 g), §7.1.7)."""

    name = "cqo.performance"
    label = "performance"
    verbose_name = _("Objectives and appraisal")

    def ready(self) -> None:
        from . import registrations

        registrations.register(self.label)
