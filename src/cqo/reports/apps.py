from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """A domain app: the CQO's monthly, quarterly and annual reports to the decision layer
    (§7.1.6), printed from the sections the other domains register in ``core.report_sections``."""

    name = "cqo.reports"
    label = "reports"
    verbose_name = _("CQO reports")

    def ready(self) -> None:
        from . import registrations

        registrations.register(self.label)
