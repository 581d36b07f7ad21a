"""The one-vote veto (§6 i)) as a property of any decision the system records.

A model becomes vetoable by naming its flow, in one line::

    class LotRelease(VetoableMixin, Voidable):
        veto_flow = VetoFlow("status", ("draft", "submitted", "released"))

(or ``vetoable_register(Model, VetoFlow(...))`` for a model that cannot take the mixin). The
flow lists the statuses in the order a decision goes forward; a status not in the list (rejected,
withdrawn, deferred) is never "forward", so a vetoed decision may still be stopped. ``final`` names
the statuses a decision never leaves (accepted, rejected, in effect, closed, withdrawn); a veto is
refused only there, so a deferred proposal or a returned plan, which may still go forward, can be
vetoed. Without ``final`` the last status of the order is the only final one.

While a veto is active on a record, nothing may move it forward, whichever door the change comes
in by: the services check first (``veto_refuse_if_active``) for a clear message, and the model
layer checks again, so the web, the API, an import, a job or a direct ``save()`` all meet the
same refusal. ``pre_save`` sees every ``save()``; ``VetoableQuerySet`` covers ``update()`` and
``bulk_update()``, which do not send signals. A value that is not a literal status (``Value(...)``,
``F(...)``, ``Case(...)``, any expression) cannot be ranked, so while a veto is active it counts as
a forward move and is refused.

The veto record guards itself the same way: lifting it (``lifted_at``, ``lifted_by``,
``lift_reason``) or pointing it at another record (``content_type``, ``object_id``) happens only
inside ``services.veto_lift``, which opens ``veto_lifting(pk)`` for that one row. A ``save()``, an
import (``loaddata`` saves raw, and ``pre_save`` still runs), an ``update()`` or a
``bulk_update()`` that tries it anywhere else meets ``VetoTamperError`` (§6 i)). A new row
imported already lifted is allowed: it holds nothing (a restore into an empty database).

What is not covered: raw SQL, and ``Model._base_manager`` (a plain ``Manager`` that Django uses for
related lookups and that a caller can reach directly): ``_base_manager.filter(...).update(...)`` on
a decision or a veto sends no signal and does not go through these querysets. Both leave no audit
event, which the chain check and the record's story make visible; no service or view uses them to
write.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.signals import class_prepared, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from cqo.core.clauses import clause
from cqo.core.exceptions import ConflictError
from cqo.core.models import VoidableQuerySet

VETO_CLAUSE = clause("§6 i)")


class VetoActiveError(ConflictError):
    """A forward move refused because a one-vote veto (§6 i)) holds the decision: 409 on every
    API (``cqo.api.exceptions``), a message on the pages."""

    clause = VETO_CLAUSE

    def __init__(self, obj: Any = None, veto: Any = None) -> None:
        self.obj = obj
        self.veto = veto
        message = _(
            "This decision is held by a one-vote veto on quality safety (§6 i)): it cannot go "
            "forward until the CQO lifts the veto."
        )
        reason_text = str(getattr(veto, "reason", "") or "")
        if reason_text:
            reason = _("Reason for the veto: %(reason)s") % {"reason": reason_text}
            message = f"{message} {reason}"
        super().__init__(message)


class VetoTamperError(PermissionDenied):
    """A veto record changed outside ``services.veto_lift``: only the CQO lifts a veto (§6 i))."""

    clause = VETO_CLAUSE

    def __init__(self) -> None:
        message = _(
            "A one-vote veto (§6 i)) is lifted only by the CQO in office, with a reason and an "
            "e-signature; the veto record cannot be changed directly."
        )
        super().__init__(message)
        self.message = message


def _is_expression(value: Any) -> bool:
    return hasattr(value, "resolve_expression")


@dataclass(frozen=True)
class VetoFlow:
    """The status field of a decision, its statuses in the order the decision goes forward, and
    the statuses it never leaves (``final``)."""

    field: str
    order: Sequence[str]
    final: Sequence[str] = ()

    def rank(self, status: Any) -> int:
        try:
            return list(self.order).index(status)
        except ValueError:
            return -1

    def is_final(self, status: Any) -> bool:
        """True when a decision in ``status`` can go nowhere further: nothing to veto."""
        if self.final:
            return status in self.final
        return bool(self.order) and status == self.order[-1]

    def is_forward(self, old: Any, new: Any) -> bool:
        """True when ``new`` lies further along the flow than ``old``. A value that is not a
        literal status (an expression such as ``Value("approved")`` or ``F("status")``) cannot be
        ranked, so it counts as forward: under a veto it is refused rather than let through."""
        if _is_expression(new):
            return True
        if old == new:
            return False
        new_rank = self.rank(new)
        return new_rank >= 0 and new_rank > self.rank(old)


VETOABLE: dict[str, VetoFlow] = {}


def vetoable_register(model: type[models.Model], flow: VetoFlow) -> None:
    VETOABLE[model._meta.label_lower] = flow


def flow_for(model_or_obj: Any) -> VetoFlow | None:
    meta = getattr(model_or_obj, "_meta", None)
    if meta is None:
        return None
    return VETOABLE.get(meta.label_lower)


def is_vetoable(model_or_obj: Any) -> bool:
    return flow_for(model_or_obj) is not None


def vetoable_models() -> list[str]:
    return sorted(VETOABLE)


def veto_active_for(obj: Any) -> Any:
    """The active veto on ``obj``, or None."""
    from .models import Veto

    if obj is None or getattr(obj, "pk", None) is None:
        return None
    return Veto.objects.active_for(obj).first()


def veto_refusal_note(
    obj: Any, veto: Any = None, *, from_status: Any = None, to_status: Any = None
) -> None:
    """Leave an audit event saying that someone tried to move ``obj`` past its veto. The refusal
    rolls back the transaction it happens in, so the event is detached: it is written once the
    transaction has ended, naming the request's user and the request (``audit_record_detached``)."""
    from cqo.audit.services import audit_record_detached

    flow = flow_for(obj)
    parts = []
    if veto is not None:
        parts.append(f"veto={veto.pk}")
    if flow is not None:
        current = from_status if from_status is not None else getattr(obj, flow.field, "")
        parts.append(f"{flow.field}={current}")
    if to_status is not None and not _is_expression(to_status):
        parts.append(f"to={to_status}")
    audit_record_detached(
        actor=None,
        action="authorities.veto.refused",
        obj=obj,
        reason=" ".join(parts),
        clause=VETO_CLAUSE,
    )


def veto_blocked_message(what: str) -> str:
    """Why ``what`` ("Approval", "Putting into effect") is not offered on a vetoed record: the
    page says so beside where the button would be, instead of a button the service refuses."""
    return _(
        "%(what)s is unavailable: a one-vote veto (§6 i)) holds this record until the CQO lifts it."
    ) % {"what": what}


def veto_refuse_if_active(obj: Any) -> None:
    veto = veto_active_for(obj)
    if veto is not None:
        veto_refusal_note(obj, veto)
        raise VetoActiveError(obj, veto)


def _vetoed_ids(model: type[models.Model], ids: Iterable[Any]) -> set[str]:
    from django.contrib.contenttypes.models import ContentType

    from .models import Veto

    ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
    keys = [str(i) for i in ids]
    return set(
        Veto.objects.filter(
            content_type=ct, object_id__in=keys, lifted_at__isnull=True
        ).values_list("object_id", flat=True)
    )


class VetoableQuerySet(VoidableQuerySet):
    """Refuses an ``update()`` or ``bulk_update()`` that moves a vetoed record forward."""

    def update(self, **kwargs: Any) -> int:
        flow = flow_for(self.model)
        if flow is not None and flow.field in kwargs:
            new = kwargs[flow.field]
            rows = list(self.values_list("pk", flow.field))
            moving = [pk for pk, old in rows if flow.is_forward(old, new)]
            vetoed = _vetoed_ids(self.model, moving) if moving else set()
            if vetoed:
                for obj in self.model._base_manager.filter(pk__in=vetoed):
                    veto_refusal_note(obj, to_status=new)
                raise VetoActiveError()
        return super().update(**kwargs)

    def bulk_update(
        self, objs: Iterable[Any], fields: Iterable[str], batch_size: int | None = None
    ) -> int:
        objs = list(objs)
        fields = list(fields)
        flow = flow_for(self.model)
        if flow is not None and flow.field in fields:
            for obj in objs:
                _guard(obj)
        return super().bulk_update(objs, fields, batch_size=batch_size)


# --- the veto record guards itself --------------------------------------------------------

# The fields whose change lifts a veto or moves it off its decision.
VETO_LOCKED_FIELDS = ("content_type", "object_id", "lifted_at", "lifted_by", "lift_reason")
_LIFTING: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar(
    "authorities_veto_lifting", default=frozenset()
)


@contextlib.contextmanager
def veto_lifting(pk: Any) -> Iterator[None]:
    """Opened by ``services.veto_lift`` (after the CQO's check and e-signature) around the save of
    the one veto row it lifts; nothing else may change that row's lift fields."""
    token = _LIFTING.set(_LIFTING.get() | {str(pk)})
    try:
        yield
    finally:
        _LIFTING.reset(token)


def _lifting(pk: Any) -> bool:
    return str(pk) in _LIFTING.get()


def veto_locked_columns(fields: Iterable[str]) -> set[str]:
    names = set(VETO_LOCKED_FIELDS)
    return {f for f in fields if f in names or f.removesuffix("_id") in names}


def veto_row_guard(instance: Any) -> None:
    """Refuse a save that lifts or moves an existing veto outside the service."""
    if instance.pk is None or _lifting(instance.pk):
        return
    columns = [
        "content_type_id", "object_id", "lifted_at", "lifted_by_id", "lift_reason",
    ]  # fmt: skip
    old = type(instance)._base_manager.filter(pk=instance.pk).values(*columns).first()
    if old is None:
        return  # a new row (an import into an empty table): it lifts nothing
    if any(old[c] != getattr(instance, c) for c in columns):
        raise VetoTamperError()


def veto_rows_guard_update(queryset: Any, fields: Iterable[str]) -> None:
    """Refuse an ``update()`` or ``bulk_update()`` touching a veto's lift or subject fields, unless
    it is the service lifting exactly those rows."""
    if not veto_locked_columns(fields):
        return
    pks = {str(pk) for pk in queryset.values_list("pk", flat=True)}
    if pks and not pks <= _LIFTING.get():
        raise VetoTamperError()


class VetoableMixin(models.Model):
    """A decision the CQO may veto. Subclasses set ``veto_flow``; it is registered when the
    model class is prepared."""

    veto_flow: VetoFlow | None = None

    objects = VetoableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def veto_active(self) -> Any:
        return veto_active_for(self)


def _guard(instance: Any) -> None:
    flow = flow_for(instance)
    if flow is None or instance.pk is None:
        return
    old = (
        type(instance)
        ._base_manager.filter(pk=instance.pk)
        .values_list(flow.field, flat=True)
        .first()
    )
    new = getattr(instance, flow.field)
    if old is not None and flow.is_forward(old, new):
        veto = veto_active_for(instance)
        if veto is not None:
            veto_refusal_note(instance, veto, from_status=old, to_status=new)
            raise VetoActiveError(instance, veto)


@receiver(class_prepared, dispatch_uid="authorities.veto_register")
def _register_on_prepare(sender: Any, **kwargs: Any) -> None:
    flow = getattr(sender, "veto_flow", None)
    if flow is not None and issubclass(sender, VetoableMixin) and not sender._meta.abstract:
        vetoable_register(sender, flow)


@receiver(pre_save, dispatch_uid="authorities.veto_guard")
def veto_guard(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Raw saves (loaddata) are checked too: an import is one of the doors. A restore into an
    # empty database has no earlier status to move forward from, so it passes.
    if sender._meta.label_lower == "authorities.veto":
        veto_row_guard(instance)
        return
    _guard(instance)
