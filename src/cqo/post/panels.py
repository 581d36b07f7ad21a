"""The workbench panels of the CQO post (§3–§5): the appointment in force, what §5 asks for now,
and the charter waiting for the principal (§4.2).

Registered from ``PostConfig.ready``; the two placeholders of the workbench with the same keys
are replaced. The CQO's side is seen by the CQO in office (and, for the post panel, a delegate in
force), not by whoever is in the ``cqo`` group: a removed CQO keeps the group, not the post.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cqo.workbench.panels import Panel, PanelItem, PanelItems, cqo_in_office, panel_register
from cqo.workbench.templatetags.workbench import url_or_empty

from . import selectors as sel
from .models import CharterStatus

LIMIT = 6


def _current(user: Any) -> Any:
    # Both panels ask on the same dashboard view; the selector remembers it for the request.
    return sel.cqo_current()


def cqo_or_delegate(user: Any) -> bool:
    """The CQO in office, or someone holding one of the CQO's authorities by delegation."""
    if cqo_in_office(user):
        return True
    try:
        delegated = importlib.import_module("cqo.authorities.panels").delegated_codes
    except (ImportError, AttributeError):  # pragma: no cover - the authorities app is installed
        return False
    return bool(delegated(user))


def current_appointment(user: Any) -> PanelItems:
    appointment = _current(user)
    if appointment is None:
        return PanelItems(())
    last = appointment.last_day
    items = [
        PanelItem(
            title=_("%(person)s, CQO under %(number)s")
            % {"person": appointment.person, "number": appointment.number},
            url=url_or_empty("post:appointment_detail", appointment.pk)
            if user.has_perm("post.view_appointment", appointment)
            else "",
            meta=(
                _("in force %(start)s – %(end)s")
                % {"start": appointment.effective_from, "end": last}
                if last
                else _("in force from %(start)s, open-ended")
                % {"start": appointment.effective_from}
            ),
            clause="§3.1, §4.1",
            tone="ok",
        )
    ]
    charter = sel.charter_published()
    if charter is None:
        items.append(
            PanelItem(
                title=_("No charter published yet"),
                url=url_or_empty("post:charter_list"),
                clause="§4.2",
                tone="warning",
            )
        )
    elif charter.is_outdated:
        items.append(
            PanelItem(
                title=_("Charter v%(v)s is out of date") % {"v": charter.version},
                url=url_or_empty("post:charter_detail", charter.pk),
                meta=charter.outdated_reason.splitlines()[-1] if charter.outdated_reason else "",
                clause="§4.2",
                tone="danger",
            )
        )
    else:
        items.append(
            PanelItem(
                title=_("Charter v%(v)s in force") % {"v": charter.version},
                url=url_or_empty("post:charter_detail", charter.pk),
                clause="§4.2",
            )
        )
    return PanelItems(items)


def actions_due(user: Any) -> PanelItems:
    if _current(user) is None:
        return PanelItems(())
    rows = sel.competence_due_remembered()
    items = [
        PanelItem(
            title=row.title,
            url=row.url,
            meta=_("due %(date)s") % {"date": row.due} if row.due else "",
            clause=row.clause,
            tone="danger" if row.overdue else "warning",
        )
        for row in rows[:LIMIT]
    ]
    return PanelItems(items, total=len(rows))


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
                url=url_or_empty("post:charter_detail", charter.pk),
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
                url=url_or_empty("post:charter_list"),
                clause="§4.2",
                tone="danger",
            )
        )
    return PanelItems(items)


def register() -> None:
    panel_register(
        Panel(
            "cqo_appointment",
            _lazy("The CQO post"),
            "§3.1, §4.1",
            _lazy(
                "No signed appointment is in force: the enterprise has no CQO and nobody holds the "
                "§6 authorities."
            ),
            items=current_appointment,
            roles=frozenset({"principal", "auditor"}),
            audience=cqo_or_delegate,
            order=5,
            more_url_name="post:appointment_list",
        )
    )
    panel_register(
        Panel(
            "qualification_due",
            _lazy("Qualification and competence actions due"),
            "§5",
            _lazy("Missing qualification evidence and the yearly knowledge and ability assessment "
                  "will appear here when they fall due."),
            items=actions_due,
            roles=frozenset({"principal"}),
            audience=cqo_in_office,
            order=50,
            more_url_name="post:competence_list",
        )
    )  # fmt: skip
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
            more_url_name="post:charter_list",
        )
    )  # fmt: skip
