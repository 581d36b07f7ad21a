"""The one-vote veto (§6 i)) as a property of any decision the system records.

A model becomes vetoable by naming its flow, in one line::

    class LotRelease(VetoableMixin, Voidable):
        veto_flow = VetoFlow("status", ("draft", "submitted", "released"))

(or ``vetoable_register(Model, VetoFlow(...))`` for a model that cannot take the mixin). The
flow lists the statuses in the order a decision goes forward; a status not in the list (rejected,
withdrawn, deferred) is never "forward", so a vetoed decision may still be stopped.

While a veto is active on a record, nothing may move it forward, whichever door the change comes
in by: the services check first (``veto_refuse_if_active``) for a clear message, and the model
layer checks again, so the web, the API, an import, a job or a direct ``save()`` all meet the
same refusal. ``pre_save`` sees every ``save()``; ``VetoableQuerySet`` covers ``update()`` and
``bulk_update()``, which do not send signals. Only raw SQL goes around it, and that leaves no
audit event, which the chain check and the record's story make visible.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.signals import class_prepared, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from cqo.core.models import VoidableQuerySet

VETO_CLAUSE = "§6 i)"


class VetoActiveError(PermissionDenied):
    """A forward move refused because a one-vote veto (§6 i)) holds the decision."""

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
        self.message = message


@dataclass(frozen=True)
class VetoFlow:
    """The status field of a decision and its statuses in the order the decision goes forward."""

    field: str
    order: Sequence[str]

    def rank(self, status: Any) -> int:
        try:
            return list(self.order).index(status)
        except ValueError:
            return -1

    def is_forward(self, old: Any, new: Any) -> bool:
        """True when ``new`` lies further along the flow than ``old``."""
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


def veto_refuse_if_active(obj: Any) -> None:
    veto = veto_active_for(obj)
    if veto is not None:
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
            if moving and _vetoed_ids(self.model, moving):
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
    _guard(instance)
