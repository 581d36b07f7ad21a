from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "cqo.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (registers the deploy check)
            history,
        )
        from .labels import actions_register

        actions_register({"signature.sign": _("Signed electronically")},
                         snapshot_model="audit.signature")  # fmt: skip
        history.connect()
