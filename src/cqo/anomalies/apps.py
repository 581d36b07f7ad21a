from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnomaliesConfig(AppConfig):
    """A domain app: quality anomalies and nonconformance reports with containment and the
    review board's dispositions (§6 c)), corrective action and 8D (§7.1.4), supplier corrective
    action, and customer complaints. It registers each part from that part's module, so the
    engineers of each part do not edit one list."""

    name = "cqo.anomalies"
    label = "anomalies"
    verbose_name = _("Quality anomalies")

    def ready(self) -> None:
        from . import registrations

        registrations.register(self.label)
