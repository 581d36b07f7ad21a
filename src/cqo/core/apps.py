from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cqo.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        _admin_read_only_everywhere()
        _writes_forget_the_request_cache()


def _forget(**kwargs: object) -> None:
    from . import request_cache

    request_cache.forget()


def _writes_forget_the_request_cache() -> None:
    """Any saved, deleted or re-linked row may change a remembered answer (an appointment, a
    delegation, a role): the request that wrote it forgets them all. ``QuerySet.update`` sends no
    signal; a service that uses it on something a page remembers calls ``forget()`` itself."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_forget, dispatch_uid=f"core.request_cache.{id(signal)}")


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
