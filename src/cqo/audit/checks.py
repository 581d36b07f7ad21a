"""``cqo check --deploy``: production needs one audit key shared by every app server."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

from .anchors import KEY_ENV


@register(Tags.security, deploy=True)
def audit_key_from_the_environment(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    if not getattr(settings, "PRODUCTION", False) or os.environ.get(KEY_ENV, "").strip():
        return []
    return [
        Warning(
            f"{KEY_ENV} is not set: each app server makes its own key in its var dir, and events "
            "one server seals fail verification on another.",
            hint=f"Set {KEY_ENV} to the same secret (e.g. 64 hex digits) on every app server and "
            "keep a copy apart from the backups (decision 0007).",
            id="cqo.audit.W001",
        )
    ]
