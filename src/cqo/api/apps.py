from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "cqo.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from cqo.audit.labels import actions_register
        from cqo.core.clause_index import clause_index_provider_register

        from .webhooks import PING, webhook_event_register

        # The test event an administrator sends from the endpoint's page: no clause, it carries
        # nothing of the quality system.
        webhook_event_register(PING, _("Test event"))
        clause_index_provider_register(_webhook_events)
        actions_register(
            {
                "api.webhook.create": _("Webhook endpoint created"),
                "api.webhook.update": _("Webhook endpoint changed"),
                "api.webhook.deactivate": _("Webhook endpoint deactivated"),
                "api.webhook.rotate_secret": _("Webhook secret rotated"),
                "api.webhook.ping": _("Webhook test event sent"),
                "api.webhook.redeliver": _("Webhook delivery sent again"),
            }
        )


def _webhook_events() -> list[tuple[str, str, str]]:
    """For ``cqo clauses``: each webhook event under the clause it is about."""
    from .webhooks import webhook_events_registered

    return [(e.clause, "webhook", e.code) for e in webhook_events_registered() if e.clause]
