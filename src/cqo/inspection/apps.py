from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    """A domain app: inspection at the incoming, in-process and outgoing gates (§6 e)), GB/T
    2828.1 sampling with switching at every lot, usage decisions, concessions (§6 c)) and SPC on
    the measurements (§7.1.5, §7.2.3.2). It registers each part from that part's module, so the
    engineers of each part do not edit one list."""

    name = "cqo.inspection"
    label = "inspection"
    verbose_name = _("Inspection")

    def ready(self) -> None:
        from . import registrations

        registrations.register(self.label)
