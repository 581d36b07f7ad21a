from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cqo.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        _admin_read_only_everywhere()


def _admin_read_only_everywhere() -> None:
    """Third-party models registered with a writable admin (groups, API tokens) become read-only:
    a group or a token made in the admin would skip the services and their audit events. The
    admin site has run its autodiscovery by now (it is the first installed app)."""
    from django.contrib import admin

    from .admin import ReadOnlyAdmin

    for model, klass in list(admin.site._registry.items()):
        if isinstance(klass, ReadOnlyAdmin):
            continue
        admin.site.unregister(model)
        read_only = type(f"ReadOnly{type(klass).__name__}", (ReadOnlyAdmin, type(klass)), {})
        admin.site.register(model, read_only)
