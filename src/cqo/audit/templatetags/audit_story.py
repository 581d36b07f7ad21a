"""``{% story_link obj %}``: a link from any record's page to its audit story, for those who may
read the trail (the CQO, a deputy, an auditor, the administrator)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def story_link(context: dict[str, Any], obj: Any) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(obj, models.Model) or obj.pk is None or user is None:
        return ""
    if not user.has_perm("audit.view_auditevent"):
        return ""
    url = reverse("audit:story", args=[obj._meta.label_lower, str(obj.pk)])
    return format_html(
        '<a class="story-link" href="{}">{}</a>', url, _("Audit story of this record")
    )
