from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cqo.core.links import url_or_empty
from cqo.post.panels import appointment_panel_extend
from cqo.workbench.panels import Panel, PanelItem, PanelItems, panel_register

from . import selectors as sel
from .models import CharterStatus


def appointment_lines(user: Any) -> list[PanelItem]:
    """The charter's state under the CQO post panel."""
    items: list[PanelItem] = []
    charter = sel.charter_published()
    if charter is None:
        items.append(
            PanelItem(
                title=_("No charter published yet"),
                url=url_or_empty("charter:charter_list"),
                clause="§4.2",
                tone="warning",
            )
        )
    elif charter.is_outdated:
        items.append(
            PanelItem(
                title=_("Charter v%(v)s is out of date") % {"v": charter.version},
                url=url_or_empty("charter:charter_detail", charter.pk),
                meta=charter.outdated_reason.splitlines()[-1] if charter.outdated_reason else "",
                clause="§4.2",
                tone="danger",
            )
        )
    else:
        items.append(
            PanelItem(
                title=_("Charter v%(v)s in force") % {"v": charter.version},
                url=url_or_empty("charter:charter_detail", charter.pk),
                clause="§4.2",
            )
        )
    return items


def charter_to_approve(user: Any) -> PanelItems:
    charter = sel.charter_pending()
    items: list[PanelItem] = []
    if charter is not None:
        items.append(
            PanelItem(
                title=(
                    _("Charter v%(v)s waits for your approval") % {"v": charter.version}
                    if charter.status == CharterStatus.DRAFT
                    else _("Charter v%(v)s is approved; publish it") % {"v": charter.version}
                ),
                url=url_or_empty("charter:charter_detail", charter.pk),
                when=charter.created_at,
                clause="§4.2",
                tone="warning",
            )
        )
    published = sel.charter_published()
    if published is not None and published.is_outdated and charter is None:
        items.append(
            PanelItem(
                title=_("Charter v%(v)s is out of date; have a new version generated")
                % {"v": published.version},
                url=url_or_empty("charter:charter_list"),
                clause="§4.2",
                tone="danger",
            )
        )
    return PanelItems(items)


def register() -> None:
    appointment_panel_extend(appointment_lines)
    panel_register(
        Panel(
            "charter_to_approve",
            _lazy("Charter to approve"),
            "§4.2",
            _lazy("A new version of the CQO's charter of authorities and duties will appear here "
                  "when it is ready for your approval."),
            items=charter_to_approve,
            roles=frozenset({"principal"}),
            order=16,
            more_url_name="charter:charter_list",
        )
    )  # fmt: skip
