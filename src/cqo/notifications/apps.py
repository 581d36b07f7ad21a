from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "cqo.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from cqo.api.registry import api_urls_register

        from . import api

        # Kept at /api/v1/authorities/notifications/, where clients found it before it moved here.
        api_urls_register("authorities/", api.urlpatterns, namespace="notifications")
