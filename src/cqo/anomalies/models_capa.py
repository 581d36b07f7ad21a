"""Corrective and preventive action (§7.1.4), with the 8D form when the source or the severity
of the NCR asks for it.

One ``Capa`` carries the 8D's single-valued sections (D2 problem as 5W2H, D3 containment, D4
root cause and its verification, D8 effectiveness and closure); the repeated parts are child
records: the team (D1), the 5-Why chains and the fishbone causes by 5M1E (D4), the actions with
owners and due dates (D3 containment, D5/D6 permanent, D7 preventive: which document, FMEA or
control plan must change), and the repeats of the defect after closure.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cqo.core.models import Voidable

USER = settings.AUTH_USER_MODEL

__all__ = [
    "ActionKind",
    "ActionStatus",
    "Capa",
    "CapaAction",
    "CapaKind",
    "CapaMember",
    "CapaRepeat",
    "CapaStatus",
    "DocumentKind",
    "EffectivenessBasis",
    "EffectivenessResult",
    "FishboneCategory",
    "FishboneCause",
    "MemberRole",
    "WhyChain",
    "repeat_window_default",
]


def repeat_window_default() -> int:
    """Days after closure in which the same defect on the same item counts as a repeat."""
    return int(getattr(settings, "CQO_CAPA_REPEAT_DAYS", 180))


class CapaKind(models.TextChoices):
    CORRECTIVE = "corrective", _("Corrective action")
    PREVENTIVE = "preventive", _("Preventive action")


class CapaStatus(models.TextChoices):
    OPEN = "open", _("Open: problem and root cause")
    ACTIONS = "actions", _("Actions under way")
    VERIFICATION = "verification", _("Awaiting the effectiveness check")
    EFFECTIVE = "effective", _("Effective: awaiting closure")
    CLOSED = "closed", _("Closed")


class EffectivenessBasis(models.TextChoices):
    LOTS = "lots", _("After a number of lots")
    DAYS = "days", _("After a period of days")


class EffectivenessResult(models.TextChoices):
    EFFECTIVE = "effective", _("Effective")
    NOT_EFFECTIVE = "not_effective", _("Not effective")


class Capa(Voidable):
    """A corrective or preventive action, optionally as an 8D (§7.1.4)."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=CapaKind.choices, default=CapaKind.CORRECTIVE
    )
    is_8d = models.BooleanField(_("8D report"), default=False)
    anomaly = models.ForeignKey(
        "anomalies.Anomaly",
        verbose_name=_("nonconformance report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="capas",
    )
    title = models.CharField(_("title"), max_length=200)
    item = models.ForeignKey(
        "masterdata.Item",
        verbose_name=_("item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    defect_code = models.CharField(_("defect code"), max_length=40, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=CapaStatus.choices, default=CapaStatus.OPEN
    )
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    raised_by = models.ForeignKey(
        USER, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised at"), db_index=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    # D2: the problem as 5W2H.
    problem_what = models.TextField(_("What happened"), blank=True)
    problem_why = models.TextField(_("Why it is a problem"), blank=True)
    problem_where = models.TextField(_("Where it was found"), blank=True)
    problem_when = models.TextField(_("When it was found"), blank=True)
    problem_who = models.TextField(_("Who found it or is affected"), blank=True)
    problem_how = models.TextField(_("How it was found"), blank=True)
    problem_how_many = models.TextField(_("How many are affected"), blank=True)
    # D3: interim containment (the NCR's holds and sorting are recorded on the NCR).
    containment = models.TextField(_("containment"), blank=True)
    # D4: root cause and its verification by someone other than the owner.
    root_cause = models.TextField(_("root cause"), blank=True)
    root_cause_verification = models.TextField(_("how the root cause was verified"), blank=True)
    root_cause_verified_by = models.ForeignKey(
        USER,
        verbose_name=_("root cause verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    root_cause_verified_at = models.DateTimeField(
        _("root cause verified at"), null=True, blank=True
    )
    # D8: effectiveness, checked after a number of lots or days from the end of the actions.
    effectiveness_basis = models.CharField(
        _("effectiveness checked"),
        max_length=5,
        choices=EffectivenessBasis.choices,
        default=EffectivenessBasis.LOTS,
    )
    effectiveness_lots = models.PositiveIntegerField(_("lots to watch"), default=3)
    effectiveness_days = models.PositiveIntegerField(_("days to watch"), default=30)
    repeat_window_days = models.PositiveIntegerField(
        _("repeat window (days)"),
        default=repeat_window_default,
        help_text=_("The same defect on the same item within this many days after closure "
                    "reopens the question of effectiveness."),
    )  # fmt: skip
    actions_done_at = models.DateTimeField(_("actions completed at"), null=True, blank=True)
    effectiveness_result = models.CharField(
        _("effectiveness"), max_length=14, choices=EffectivenessResult.choices, blank=True
    )
    effectiveness_note = models.TextField(_("effectiveness evidence"), blank=True)
    effectiveness_checked_by = models.ForeignKey(
        USER,
        verbose_name=_("effectiveness checked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    effectiveness_checked_at = models.DateTimeField(
        _("effectiveness checked at"), null=True, blank=True
    )
    effectiveness_signature = models.ForeignKey(
        "audit.Signature",
        verbose_name=_("effectiveness signature"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closure_note = models.TextField(_("closure note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, verbose_name=_("closed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    closure_signature = models.ForeignKey(
        "audit.Signature",
        verbose_name=_("closure signature"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reopened_count = models.PositiveIntegerField(_("times reopened"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        permissions = [
            ("verify_capa", "Can verify a root cause or the effectiveness of a CAPA"),
            ("close_capa", "Can close a CAPA with a signature"),
            ("void_capa", "Can void a CAPA"),
        ]
        indexes = [models.Index(fields=["status", "raised_at"], name="anomalies_capa_status")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def problem_fields(self) -> list[tuple[str, Any]]:
        return [
            (str(getattr(self._meta.get_field(name), "verbose_name", name)), getattr(self, name))
            for name in PROBLEM_FIELDS
        ]


PROBLEM_FIELDS = (
    "problem_what", "problem_why", "problem_where", "problem_when", "problem_who",
    "problem_how", "problem_how_many",
)  # fmt: skip


class MemberRole(models.TextChoices):
    LEADER = "leader", _("Team leader")
    MEMBER = "member", _("Member")
    CHAMPION = "champion", _("Champion")


class CapaMember(Voidable):
    """D1: a member of the team."""

    capa = models.ForeignKey(Capa, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(
        USER, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(
        _("role in the team"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    duty = models.CharField(_("duty"), max_length=120, blank=True)

    class Meta:
        ordering = ["capa_id", "role", "id"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")


class FishboneCategory(models.TextChoices):
    MAN = "man", _("Man (people)")
    MACHINE = "machine", _("Machine")
    MATERIAL = "material", _("Material")
    METHOD = "method", _("Method")
    MEASUREMENT = "measurement", _("Measurement")
    ENVIRONMENT = "environment", _("Environment")


class WhyChain(Voidable):
    """D4: a 5-Why chain from the effect down to a cause; the steps are edited in place."""

    capa = models.ForeignKey(Capa, on_delete=models.PROTECT, related_name="why_chains")
    problem = models.CharField(_("effect"), max_length=300)
    steps = models.JSONField(_("whys"), default=list)
    root_cause = models.CharField(_("cause reached"), max_length=300, blank=True)
    category = models.CharField(
        _("5M1E category"), max_length=12, choices=FishboneCategory.choices, blank=True
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["capa_id", "id"]
        verbose_name = _("5-Why chain")
        verbose_name_plural = _("5-Why chains")


class FishboneCause(Voidable):
    """D4: a possible cause on the fishbone, under one of 5M1E."""

    capa = models.ForeignKey(Capa, on_delete=models.PROTECT, related_name="causes")
    category = models.CharField(_("5M1E category"), max_length=12, choices=FishboneCategory.choices)
    cause = models.CharField(_("cause"), max_length=300)
    is_root = models.BooleanField(_("confirmed as a root cause"), default=False)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["capa_id", "category", "id"]
        verbose_name = _("fishbone cause")
        verbose_name_plural = _("fishbone causes")


class ActionKind(models.TextChoices):
    CONTAINMENT = "containment", _("Containment (D3)")
    PERMANENT = "permanent", _("Permanent corrective action (D5/D6)")
    PREVENTIVE = "preventive", _("Preventive action (D7)")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class DocumentKind(models.TextChoices):
    DOCUMENT = "document", _("Procedure or work instruction")
    FMEA = "fmea", _("FMEA")
    CONTROL_PLAN = "control_plan", _("Control plan")
    DRAWING = "drawing", _("Drawing or specification")
    TRAINING = "training", _("Training")


class CapaAction(Voidable):
    """An action with an owner and a due date; a preventive action names what must change."""

    capa = models.ForeignKey(Capa, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(_("kind"), max_length=12, choices=ActionKind.choices)
    description = models.TextField(_("what is to be done"))
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due date"))
    document_kind = models.CharField(
        _("what must change"), max_length=12, choices=DocumentKind.choices, blank=True
    )
    document_ref = models.CharField(_("document reference"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=5, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = models.TextField(_("what was done"), blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["capa_id", "due_on", "id"]
        verbose_name = _("CAPA action")
        verbose_name_plural = _("CAPA actions")
        permissions = [("complete_capaaction", "Can mark a CAPA action done")]


class CapaRepeat(Voidable):
    """The same defect on the same item again, within the window after the CAPA's closure."""

    capa = models.ForeignKey(Capa, on_delete=models.PROTECT, related_name="repeats")
    anomaly = models.ForeignKey(
        "anomalies.Anomaly", on_delete=models.PROTECT, related_name="capa_repeats"
    )
    defect_code = models.CharField(_("defect code"), max_length=40)
    detected_at = models.DateTimeField(_("detected at"))

    class Meta:
        ordering = ["-detected_at"]
        verbose_name = _("repeat after closure")
        verbose_name_plural = _("repeats after closure")
        constraints = [
            models.UniqueConstraint(fields=["capa", "anomaly"], name="anomalies_capa_repeat_once")
        ]
