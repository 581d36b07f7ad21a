from django.conf import settings
from django.db import models

from cqo.authorities.vetoable import VetoableMixin, VetoFlow
from cqo.core.models import Voidable


class Nonconformance(VetoableMixin, Voidable):
    veto_flow = VetoFlow(
        "status", ("open", "submitted", "accepted"), final=("accepted", "scrapped")
    )

    title = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, default="open")
    # Read by its reporter alone: a record out of the CQO's sight, for the subject tests.
    confidential = models.BooleanField(default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return self.title
