from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharterConfig(AppConfig):
    name = "cqo.charter"
    label = "charter"
    verbose_name = _("CQO charter")

    def ready(self) -> None:
        from cqo.api.registry import api_urls_register
        from cqo.audit.selectors import signed_content_register
        from cqo.authorities.signals import delegation_changed
        from cqo.core.demo import demo_builder_register
        from cqo.post.signals import appointment_changed
        from cqo.workbench.nav import nav_link

        from . import api, audit_actions, demo, panels

        audit_actions.register()

        panels.register()
        nav_link("post.charter", "charter:charter_list", perm="charter.view_charter")
        # The charter's signature is over its version and content hash; the audit pages can then
        # say whether a version still matches what the principal signed.
        signed_content_register("charter.charter", _signed_content)
        # A change to what the charter lists makes the published version out of date (§4.2).
        appointment_changed.connect(_outdated, dispatch_uid="charter.appointment_changed")
        delegation_changed.connect(_outdated, dispatch_uid="charter.delegation_changed")
        demo_builder_register("charter", demo.build, after=("post", "authorities"))
        api_urls_register("post/", api.urlpatterns, namespace="charter")


def _signed_content(charter: Any) -> dict[str, Any]:
    return {"version": charter.version, "content_hash": charter.content_hash}


def _outdated(
    sender: Any, *, reason: str, actor: Any = None, continues_post: bool = False, **kwargs: Any
) -> None:
    from .models import Charter, CharterStatus
    from .services import charter_mark_outdated, charter_matches_data

    # A renewal continues the post: the published charter stays current while it still says what
    # the data says, and the daily check marks it once the new term is the one in force.
    if continues_post:
        published = (
            Charter.objects.filter(status=CharterStatus.PUBLISHED).order_by("-version").first()
        )
        if published is None or charter_matches_data(published):
            return
    charter_mark_outdated(reason=reason, actor=actor)
