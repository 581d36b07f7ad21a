"""The CQO post: appointment (§3.1, §4.1), qualification (§5.1), competence (§5.2, §5.3) and
the charter of authorities and duties (§4.2).

An appointment is a draft until the principal signs it; only a signed appointment can be in force,
and the day it takes effect is never earlier than the day it was signed. Appointments are not
edited once signed: renewal, handover and removal each leave a new record or an end date, so the
history of the post reads from the rows themselves as well as from the audit trail.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from cqo.core.models import Voidable
from cqo.core.uploads import validate_upload
from cqo.organisation.models import EducationLevel, SizeClass, TitleLevel

# --- appointment ----------------------------------------------------------------------------


class AppointmentKind(models.TextChoices):
    APPOINTMENT = "appointment", _("Appointment")
    AUTHORISATION = "authorisation", _("Authorisation")


class PostForm(models.TextChoices):
    DEDICATED = "dedicated", _("Dedicated post at decision level")
    CONCURRENT = "concurrent", _("Held concurrently by a deputy head or above")


class LedFunction(models.TextChoices):
    QUALITY_MANAGEMENT = "quality_management", _("Quality management")
    INSPECTION = "inspection", _("Quality inspection")
    QUALITY_SAFETY = "quality_safety", _("Quality safety")
    QUALITY_IMPROVEMENT = "quality_improvement", _("Quality improvement")


class AppointmentOrigin(models.TextChoices):
    NEW = "new", _("New appointment")
    RENEWAL = "renewal", _("Renewal")
    HANDOVER = "handover", _("Handover")


class AppointmentStatus(models.TextChoices):
    DRAFT = "draft", _("Awaiting the principal's signature")
    SIGNED = "signed", _("Signed")
    ENDED = "ended", _("Ended")


class EndKind(models.TextChoices):
    RENEWED = "renewed", _("Renewed")
    HANDED_OVER = "handed_over", _("Handed over")
    REMOVED = "removed", _("Removed")


class AppointmentQuerySet(models.QuerySet):
    def live(self) -> AppointmentQuerySet:
        """Not withdrawn: drafts, signed and ended ones all occupy the post's calendar."""
        return self.filter(voided_at__isnull=True)

    def in_force(self, on: datetime.date | None = None) -> AppointmentQuerySet:
        day = on or timezone.localdate()
        return (
            self.filter(
                voided_at__isnull=True,
                status__in=[AppointmentStatus.SIGNED, AppointmentStatus.ENDED],
                signed_at__isnull=False,
                effective_from__lte=day,
            )
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        )

    def delete(self) -> Any:  # type: ignore[override]
        from cqo.core.models import ProtectedRecordError

        raise ProtectedRecordError(_("Appointments are ended or withdrawn, never deleted."))


class Appointment(Voidable):
    """One appointment or authorisation of a person to the enterprise's CQO post (§3.1)."""

    enterprise = models.ForeignKey(
        "organisation.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="cqo_appointments",
    )
    number = models.CharField(_("letter number"), max_length=40, unique=True)
    person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("CQO"),
        on_delete=models.PROTECT,
        related_name="cqo_appointments",
    )
    principal = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("appointing principal"),
        on_delete=models.PROTECT,
        related_name="cqo_appointments_made",
        help_text=_("The legal representative or principal person in charge who appoints (§3.1)."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=AppointmentKind.choices,
        default=AppointmentKind.APPOINTMENT,
    )
    effective_from = models.DateField(
        _("effective from"),
        help_text=_(
            "Never earlier than the day the principal signs: an unsigned appointment is not in "
            "force."
        ),
    )
    effective_to = models.DateField(
        _("effective until"), null=True, blank=True, help_text=_("Leave empty for an open term.")
    )
    post_form = models.CharField(
        _("form of the post"),
        max_length=20,
        choices=PostForm.choices,
        default=PostForm.DEDICATED,
        help_text=_("§4.1: a dedicated post at decision level, or held by a deputy head or above."),
    )
    holder_position = models.CharField(
        _("position held"),
        max_length=100,
        blank=True,
        help_text=_(
            "For a concurrent post: the senior position the CQO also holds, e.g. deputy general "
            "manager."
        ),
    )
    functions = models.JSONField(
        _("functions led directly"),
        default=list,
        help_text=_("§4.1: quality management, inspection, quality safety, quality improvement."),
    )
    also_quality_safety_director = models.BooleanField(
        _("also Quality Safety Director"),
        default=False,
        help_text=_(
            "The same person also holds the Quality Safety Director post of SAMR Order 75."
        ),
    )
    origin = models.CharField(
        _("origin"), max_length=20, choices=AppointmentOrigin.choices, default=AppointmentOrigin.NEW
    )
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("follows"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.DRAFT,
    )
    rule_set = models.ForeignKey(
        "QualificationRuleSet",
        verbose_name=_("qualification rules"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    qualification = models.JSONField(
        _("qualification at signing"), null=True, blank=True, editable=False
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True, editable=False)
    signature = models.ForeignKey(
        "audit.Signature",
        verbose_name=_("signature"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    ended_on = models.DateField(_("last day in office"), null=True, blank=True, editable=False)
    end_kind = models.CharField(
        _("ended by"), max_length=20, choices=EndKind.choices, blank=True, editable=False
    )
    end_reason = models.TextField(_("reason for ending"), blank=True, editable=False)
    end_signature = models.ForeignKey(
        "audit.Signature",
        verbose_name=_("signature of the removal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AppointmentQuerySet.as_manager()  # type: ignore[assignment,misc]
    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_from", "-id"]
        verbose_name = _("CQO appointment")
        verbose_name_plural = _("CQO appointments")
        permissions = [
            ("sign_appointment", "Sign a CQO appointment"),
            ("renew_appointment", "Renew a CQO appointment"),
            ("handover_appointment", "Hand over the CQO post"),
            ("remove_appointment", "Remove the CQO"),
            ("withdraw_appointment", "Withdraw a draft appointment"),
            ("export_appointment", "Print or export the letter and filing record"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="post_appointment_ends_after_start",
                violation_error_message=_("The end of the term cannot be before its start."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.person}"

    @property
    def last_day(self) -> datetime.date | None:
        """The last day in office: the earlier of the term's end and an early end."""
        days = [d for d in (self.effective_to, self.ended_on) if d is not None]
        return min(days) if days else None

    def in_force_on(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        last = self.last_day
        return (
            self.voided_at is None
            and self.signed_at is not None
            and self.effective_from <= day
            and (last is None or last >= day)
        )

    @property
    def is_draft(self) -> bool:
        return self.status == AppointmentStatus.DRAFT and self.voided_at is None

    def function_labels(self) -> list[str]:
        labels = dict(LedFunction.choices)
        return [str(labels.get(code, code)) for code in self.functions or []]


# --- qualification --------------------------------------------------------------------------


class TrainingRequirement(models.TextChoices):
    REQUIRED = "required", _("Required (blocks the appointment)")
    RECOMMENDED = "recommended", _("Recommended (a warning)")
    NONE = "none", _("Not asked")


class QualificationRuleSet(models.Model):
    """A named set of qualification thresholds; rows by firm size (§5.1, regional variants)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    basis = models.CharField(_("basis"), max_length=200, blank=True)
    is_default = models.BooleanField(_("default"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_default", "code"]
        verbose_name = _("qualification rule set")
        verbose_name_plural = _("qualification rule sets")

    def __str__(self) -> str:
        return self.name

    def rule_for(self, size_class: str) -> QualificationRule | None:
        rows = list(self.rules.all())
        return next((r for r in rows if r.size_class == size_class), None) or next(
            (r for r in rows if r.size_class == ""), None
        )


class QualificationRule(models.Model):
    rule_set = models.ForeignKey(
        QualificationRuleSet,
        verbose_name=_("rule set"),
        on_delete=models.CASCADE,
        related_name="rules",
    )
    size_class = models.CharField(
        _("firm size"),
        max_length=10,
        choices=SizeClass.choices,
        blank=True,
        help_text=_("Empty: every size not listed in its own row."),
    )
    min_education = models.CharField(
        _("minimum education"), max_length=20, choices=EducationLevel.choices
    )
    min_title = models.CharField(
        _("minimum professional title"), max_length=20, choices=TitleLevel.choices
    )
    min_years = models.PositiveSmallIntegerField(
        _("minimum years in enterprise quality management")
    )
    training = models.CharField(
        _("training certificate or authorisation letter"),
        max_length=20,
        choices=TrainingRequirement.choices,
        default=TrainingRequirement.RECOMMENDED,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["rule_set", "size_class"]
        verbose_name = _("qualification rule")
        verbose_name_plural = _("qualification rules")
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "size_class"],
                name="post_rule_one_row_per_size",
                violation_error_message=_("This rule set already has a row for this firm size."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_set} · {self.get_size_class_display() or '*'}"


class QualificationPolicy(models.Model):
    """Which rule set an enterprise applies; without a row the default set applies."""

    enterprise = models.OneToOneField(
        "organisation.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="qualification_policy",
    )
    rule_set = models.ForeignKey(
        QualificationRuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("qualification policy")
        verbose_name_plural = _("qualification policies")

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.rule_set}"


class EvidenceKind(models.TextChoices):
    DIPLOMA = "diploma", _("Diploma")
    TITLE_CERTIFICATE = "title_certificate", _("Professional title certificate")
    TRAINING_CERTIFICATE = "training_certificate", _("Training certificate")
    AUTHORISATION_LETTER = "authorisation_letter", _("Appointment authorisation letter")
    WORK_RECORD = "work_record", _("Record of quality work (employer's certificate)")
    OTHER = "other", _("Other")


def evidence_path(instance: EvidenceDocument, filename: str) -> str:
    return f"post/evidence/{instance.person_id}/{filename}"


class EvidenceDocument(Voidable):
    """A document on file that supports a qualification result (§5.1.2, §5.1.3)."""

    person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="qualification_evidence",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    education = models.CharField(
        _("education shown"),
        max_length=20,
        choices=EducationLevel.choices,
        blank=True,
        help_text=_("For a diploma: the level it certifies."),
    )
    title_level = models.CharField(
        _("title level shown"),
        max_length=20,
        choices=TitleLevel.choices,
        blank=True,
        help_text=_("For a title certificate: the level it certifies."),
    )
    quality_years = models.PositiveSmallIntegerField(
        _("years of quality work shown"),
        null=True,
        blank=True,
        help_text=_("For a record of quality work: the years of enterprise quality management it "
                    "certifies (§5.1.2)."),
    )  # fmt: skip
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    number = models.CharField(_("certificate number"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    file = models.FileField(
        _("file"),
        upload_to=evidence_path,
        blank=True,
        max_length=300,
        validators=[validate_upload],
    )
    note = models.TextField(_("note"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "kind", "-issued_on", "id"]
        verbose_name = _("qualification evidence")
        verbose_name_plural = _("qualification evidence")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="post_evidence_expires_after_issue",
                violation_error_message=_("A document cannot expire before it was issued."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number or self.title}"

    def valid_on(self, day: datetime.date) -> bool:
        return self.voided_at is None and (self.expires_on is None or self.expires_on >= day)


class Disqualification(models.TextChoices):
    SERIOUS_ERROR = (
        "serious_error",
        _(
            "Broke laws or regulations, causing a serious error in a quality post or a criminal "
            "penalty"
        ),
    )
    ABUSE_OF_OFFICE = "abuse_of_office", _("Used the office for improper gain")
    LEAKED_SECRETS = (
        "leaked_secrets",
        _("Leaked enterprise or partner secrets to a third party while in office"),
    )


class DisqualificationDeclaration(models.Model):
    """The principal's declaration on one condition of §5.1.4; the latest per condition counts."""

    person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="disqualification_declarations",
    )
    condition = models.CharField(_("condition"), max_length=30, choices=Disqualification.choices)
    applies = models.BooleanField(_("applies"))
    note = models.TextField(_("note"), blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "condition", "-declared_at", "-id"]
        verbose_name = _("disqualification declaration")
        verbose_name_plural = _("disqualification declarations")

    def __str__(self) -> str:
        return f"{self.person} · {self.condition} · {self.applies}"


# --- competence -----------------------------------------------------------------------------


class CompetenceArea(models.TextChoices):
    K_THEORY = "k1", _("Quality management theory, trends, methods and tools")
    K_SKILLS = "k2", _("Quality engineering, quality cost control and performance excellence")
    K_BUSINESS = "k3", _("Business, strategy and change management")
    A_STRATEGY = "a1", _("Strategic thinking")
    A_ORGANISATION = "a2", pgettext_lazy("ability area", "Organisation")
    A_COMMUNICATION = "a3", _("Communication")
    A_COORDINATION = "a4", _("Coordination")
    A_INNOVATION = "a5", _("Innovation")


AREA_CLAUSES = {
    "k1": "§5.2.1", "k2": "§5.2.2", "k3": "§5.2.3",
    "a1": "§5.3.1", "a2": "§5.3.2", "a3": "§5.3.3", "a4": "§5.3.4", "a5": "§5.3.5",
}  # fmt: skip


class AssessmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETED = "completed", _("Completed")


class CompetenceAssessment(models.Model):
    """A yearly assessment of the CQO's knowledge (§5.2) and abilities (§5.3)."""

    person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("CQO"),
        on_delete=models.PROTECT,
        related_name="competence_assessments",
    )
    assessed_on = models.DateField(_("assessment date"))
    status = models.CharField(
        _("status"), max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.OPEN
    )
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("competence assessment")
        verbose_name_plural = _("competence assessments")

    def __str__(self) -> str:
        return f"{self.person} · {self.assessed_on}"


SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class CompetenceScore(models.Model):
    assessment = models.ForeignKey(
        CompetenceAssessment,
        verbose_name=_("assessment"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    area = models.CharField(_("area"), max_length=4, choices=CompetenceArea.choices)
    self_score = models.PositiveSmallIntegerField(
        _("self-assessment"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    principal_score = models.PositiveSmallIntegerField(
        _("principal's assessment"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    comment = models.TextField(_("comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "area"]
        verbose_name = _("competence score")
        verbose_name_plural = _("competence scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "area"], name="post_score_one_per_area"),
            models.CheckConstraint(
                condition=(Q(self_score__isnull=True) | Q(self_score__gte=1, self_score__lte=5))
                & (
                    Q(principal_score__isnull=True)
                    | Q(principal_score__gte=1, principal_score__lte=5)
                ),
                name="post_score_between_1_and_5",
                violation_error_message=_("A score is a whole number from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.area}"

    @property
    def clause(self) -> str:
        return AREA_CLAUSES.get(self.area, "")


class DevelopmentAction(models.Model):
    assessment = models.ForeignKey(
        CompetenceAssessment,
        verbose_name=_("assessment"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    area = models.CharField(_("area"), max_length=4, choices=CompetenceArea.choices, blank=True)
    action = models.CharField(pgettext_lazy("development action", "action"), max_length=300)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "due_on", "id"]
        verbose_name = _("development action")
        verbose_name_plural = _("development actions")

    def __str__(self) -> str:
        return self.action
