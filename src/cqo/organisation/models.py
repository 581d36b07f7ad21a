"""The enterprise, its tree of units, its people and their posts.

The CQO post (§3.1, §4.1) and the quality-safety posts national rules require (质量安全总监,
质量安全员, key posts under §7.2.1.3) are ``Post`` rows; who holds them when is ``PostAssignment``.
People are never deleted: they leave (``Person.status``), and their history stays.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cqo.core.models import ProtectedRecordError, Voidable, VoidableQuerySet

from .validators import validate_credit_code


class SizeClass(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class Enterprise(models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        help_text=_("18 characters, checked by the GB 32100-2015 check character."),
    )
    size_class = models.CharField(
        _("size class"),
        max_length=10,
        choices=SizeClass.choices,
        help_text=_("Some regions set the CQO's qualification thresholds by enterprise size."),
    )
    industry_code = models.CharField(
        _("industry code"),
        max_length=5,
        blank=True,
        validators=[
            RegexValidator(
                r"^[A-T](\d{2,4})?$",
                _("An industry code is a GB/T 4754 section letter and 2 to 4 digits, e.g. C3752."),
            )
        ],
        help_text=_("GB/T 4754 industry class, e.g. C3752."),
    )
    industry_name = models.CharField(_("industry"), max_length=200, blank=True)
    region_code = models.CharField(
        _("region code"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("A region code has six digits, e.g. 500112."))],
        help_text=_("Six-digit administrative division code, e.g. 500112."),
    )
    region_name = models.CharField(_("region"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    legal_representative = models.ForeignKey(
        "Person",
        verbose_name=_("legal representative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Appoints or authorises the CQO (§3.1)."),
    )
    principal = models.ForeignKey(
        "Person",
        verbose_name=_("principal person in charge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Appoints or authorises the CQO (§3.1) and hears the CQO's reports."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ProtectedRecordError(_("An enterprise is never deleted."))


class UnitKind(models.TextChoices):
    COMPANY = "company", _("Company")
    DIVISION = "division", _("Division")
    DEPARTMENT = "department", _("Department")
    WORKSHOP = "workshop", _("Workshop")
    LINE = "line", _("Production line")
    TEAM = "team", _("Team")


class UnitQuerySet(VoidableQuerySet):
    def subtree_of(self, unit: Unit, *, include_self: bool = True) -> UnitQuerySet:
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)


class Unit(Voidable):
    """A node in the enterprise's tree of units.

    ``path`` is the chain of primary keys from the root, "/1/4/17/", so a whole subtree is one
    indexed prefix query; it is kept in step by ``save`` and by ``services.unit_move``.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    head = models.ForeignKey(
        "Person",
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units_headed",
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    path = models.CharField(_("path"), max_length=1000, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)

    objects = UnitQuerySet.as_manager()  # type: ignore[assignment,misc]
    # The path is derived from the tree; the parent change is what history should show.
    history = HistoricalRecords(excluded_fields=["path", "depth"])

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "code"],
                name="organisation_unit_code_unique_per_enterprise",
                violation_error_message=_("This enterprise already has a unit with this code."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="organisation_unit_not_own_parent",
                violation_error_message=_("A unit cannot be its own parent."),
            ),
        ]

    def __str__(self) -> str:
        # As Person: an English page shows the English name when one is recorded.
        name = self.name_en if self.name_en and (get_language() or "").startswith("en") else ""
        return f"{self.code} {name or self.name}"

    def path_expected(self) -> str:
        prefix = self.parent.path if self.parent_id and self.parent is not None else "/"
        return f"{prefix}{self.pk}/"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        expected = self.path_expected()
        if self.path != expected:
            self.path = expected
            self.depth = expected.count("/") - 2
            Unit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)

    def ancestors(self) -> UnitQuerySet:
        ids = [int(part) for part in self.path.strip("/").split("/") if part][:-1]
        return Unit.objects.filter(pk__in=ids).order_by("depth")

    def display_name(self) -> str:
        return self.name


class EducationLevel(models.TextChoices):
    BELOW_SECONDARY = "below_secondary", _("Junior secondary or below")
    SECONDARY = "secondary", _("Technical secondary / senior high school")
    JUNIOR_COLLEGE = "junior_college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTORATE = "doctorate", _("Doctorate")


# Ordered from lowest to highest, for "at least" checks (§5.1.2 asks junior college or above).
EDUCATION_RANK = {level: i for i, level in enumerate(EducationLevel.values)}


class TitleLevel(models.TextChoices):
    NONE = "none", _("None")
    JUNIOR = "junior", _("Junior")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ASSOCIATE_SENIOR = "associate_senior", _("Associate senior")
    SENIOR = "senior", _("Senior")


TITLE_RANK = {level: i for i, level in enumerate(TitleLevel.values)}


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    LEFT = "left", _("Left")


class PersonQuerySet(models.QuerySet):
    def active(self) -> PersonQuerySet:
        return self.filter(status=PersonStatus.ACTIVE)

    def delete(self) -> Any:  # type: ignore[override]
        raise ProtectedRecordError(_("People are never deleted; record that they left instead."))


class Person(models.Model):
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    employee_no = models.CharField(_("employee number"), max_length=40, unique=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people"
    )
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    job_title_en = models.CharField(_("job title (English)"), max_length=100, blank=True)
    education = models.CharField(
        _("education"),
        max_length=20,
        choices=EducationLevel.choices,
        blank=True,
        help_text=_("Part of the CQO's basic qualification (§5.1)."),
    )
    title_level = models.CharField(
        _("professional title"),
        max_length=20,
        choices=TitleLevel.choices,
        default=TitleLevel.NONE,
        help_text=_("Part of the CQO's basic qualification (§5.1)."),
    )
    quality_years = models.PositiveSmallIntegerField(
        _("years in enterprise quality management"),
        default=0,
        help_text=_("Part of the CQO's basic qualification (§5.1)."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="person",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["employee_no"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["unit", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active", left_on__isnull=True)
                | Q(status="left", left_on__isnull=False),
                name="organisation_person_left_has_date",
                violation_error_message=_(
                    "A person who left needs the date they left, and only then."
                ),
            )
        ]

    def __str__(self) -> str:
        # The name as the reader's language writes it: an English page shows "Liu Xiaomei".
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == PersonStatus.ACTIVE

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ProtectedRecordError(_("People are never deleted; record that they left instead."))


class PostKind(models.TextChoices):
    CQO = "cqo", _("Chief Quality Officer")
    QUALITY_SAFETY_DIRECTOR = "quality_safety_director", _("Quality Safety Director")
    QUALITY_SAFETY_OFFICER = "quality_safety_officer", _("Quality Safety Officer")
    KEY_POST = "key_post", _("Quality-safety key post")
    OTHER = "other", _("Other post")


# Posts one person holds at a time unless the post says otherwise.
SINGLE_HOLDER_KINDS = {PostKind.CQO, PostKind.QUALITY_SAFETY_DIRECTOR}


class Post(Voidable):
    """A post (岗位) and its written quality responsibilities (§7.1.6, §7.2.1.3)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="posts"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="posts"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=30, choices=PostKind.choices, default=PostKind.OTHER
    )
    single_holder = models.BooleanField(
        _("one holder at a time"),
        default=False,
        help_text=_("When set, two assignments to this post may not overlap in time."),
    )
    responsibilities = models.TextField(
        _("quality responsibilities"),
        blank=True,
        help_text=_("What this post answers for in quality (§7.1.6; key posts §7.2.1.3)."),
    )
    responsibilities_en = models.TextField(_("quality responsibilities (English)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "code"],
                name="organisation_post_code_unique_per_enterprise",
                violation_error_message=_("This enterprise already has a post with this code."),
            )
        ]

    def __str__(self) -> str:
        name = self.name_en if self.name_en and (get_language() or "").startswith("en") else ""
        return f"{self.code} {name or self.name}"


class PostAssignmentQuerySet(models.QuerySet):
    def current(self, on: Any = None) -> PostAssignmentQuerySet:
        day = on or timezone.localdate()
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )

    def delete(self) -> Any:  # type: ignore[override]
        raise ProtectedRecordError(_("Assignments are ended, never deleted."))


class PostAssignment(models.Model):
    """Who held a post from when to when. ``end_date`` empty: still holds it."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="assignments"
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="assignments"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    end_reason = models.TextField(_("reason for ending"), blank=True)

    objects = PostAssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["post__code", "start_date", "id"]
        verbose_name = _("post assignment")
        verbose_name_plural = _("post assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="organisation_assignment_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.post}"

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ProtectedRecordError(_("Assignments are ended, never deleted."))


class AuthorityChangeKind(models.TextChoices):
    ROLES = "roles", _("Authority roles of an account")
    PRINCIPAL = "principal", _("Principal person in charge")
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")


class AuthorityChangeStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    APPLIED = "applied", _("Applied")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AuthorityChangeMode(models.TextChoices):
    PRINCIPAL = "principal", _("Signed by the principal")
    TWO_ADMINS = "two_admins", _("Signed by a second administrator")


class AuthorityChange(models.Model):
    """A change to who holds authority under the standard: the principal, CQO, deputy and auditor
    roles of an account, or the person recorded as the enterprise's principal or legal
    representative (§3.1, §4.2). One person proposes it; it takes effect only when the current
    principal signs it, or a second, independent administrator where there is no current
    principal (decision 0006)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=AuthorityChangeKind.choices)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    roles = models.JSONField(_("roles after the change"), default=list, blank=True)
    roles_before = models.JSONField(_("roles before the change"), default=list, blank=True)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AuthorityChangeStatus.choices,
        default=AuthorityChangeStatus.PENDING,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    mode = models.CharField(
        _("confirmed as"), max_length=12, choices=AuthorityChangeMode.choices, blank=True
    )
    signature = models.ForeignKey(
        "audit.Signature",
        verbose_name=_("signature"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_reason = models.TextField(_("reason for withdrawing"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("authority change")
        verbose_name_plural = _("authority changes")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person}"

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ProtectedRecordError(_("Authority changes are withdrawn, never deleted."))
