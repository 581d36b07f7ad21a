"""Reads of customer complaints and their response policies, scoped to the user."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from cqo.masterdata.models import Customer

from .models_complaints import (
    DEFAULT_CONTAINMENT_HOURS,
    DEFAULT_EIGHTD_DAYS,
    OPEN_STATUSES,
    Complaint,
    ComplaintPolicy,
    ComplaintStatus,
)

PERM_VIEW = "anomalies.view_complaint"
# "Due soon": a deadline within this window is shown ahead of time on the list.
DUE_SOON = datetime.timedelta(hours=48)
DUE_FILTERS = ("overdue", "due_soon", "open")


def policy_for(customer: Customer | None) -> ComplaintPolicy:
    """The customer's own policy, else the enterprise's default, else the built-in default
    (an unsaved policy: 24 hours, 14 days, an 8D report for every complaint)."""
    policies = {
        p.customer_id: p
        for p in ComplaintPolicy.objects.filter(
            Q(customer__isnull=True) | Q(customer=customer), voided_at__isnull=True
        )
    }
    if customer is not None and customer.pk in policies:
        return policies[customer.pk]
    if None in policies:
        return policies[None]
    return ComplaintPolicy(
        customer=None,
        containment_hours=DEFAULT_CONTAINMENT_HOURS,
        eightd_days=DEFAULT_EIGHTD_DAYS,
        eightd_always=True,
    )


def policies_visible(user: Any) -> QuerySet[ComplaintPolicy]:
    if user is None or not user.has_perm("anomalies.view_complaintpolicy"):
        return ComplaintPolicy.objects.none()
    return (
        ComplaintPolicy.objects.filter(voided_at__isnull=True)
        .select_related("customer")
        .order_by(F("customer__code").asc(nulls_first=True))
    )


def complaints_visible(user: Any) -> QuerySet[Complaint]:
    if user is None or not user.has_perm(PERM_VIEW):
        return Complaint.objects.none()
    return Complaint.objects.filter(voided_at__isnull=True).select_related(
        "customer", "item", "lot", "owner", "anomaly"
    )


def _overdue_q(now: datetime.datetime) -> Q:
    return Q(status=ComplaintStatus.RECEIVED, containment_due__lt=now) | Q(
        status__in=(ComplaintStatus.RECEIVED, ComplaintStatus.CONTAINED),
        eightd_required=True,
        eightd_due__lt=now,
    )


def _due_soon_q(now: datetime.datetime) -> Q:
    soon = now + DUE_SOON
    return Q(status=ComplaintStatus.RECEIVED, containment_due__lt=soon) | Q(
        status__in=(ComplaintStatus.RECEIVED, ComplaintStatus.CONTAINED),
        eightd_required=True,
        eightd_due__lt=soon,
    )


def complaints_filtered(
    user: Any,
    *,
    status: str = "",
    due: str = "",
    customer: int | None = None,
    query: str = "",
    now: datetime.datetime | None = None,
) -> QuerySet[Complaint]:
    now = now or timezone.now()
    qs = complaints_visible(user)
    if status in ComplaintStatus.values:
        qs = qs.filter(status=status)
    if due == "overdue":
        qs = qs.filter(_overdue_q(now))
    elif due == "due_soon":
        qs = qs.filter(_due_soon_q(now)).exclude(_overdue_q(now))
    elif due == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    if customer:
        qs = qs.filter(customer_id=customer)
    if query:
        qs = qs.filter(
            Q(number__icontains=query)
            | Q(item__part_number__icontains=query)
            | Q(serial__icontains=query)
            | Q(customer_ref__icontains=query)
            | Q(customer__name__icontains=query)
        )
    return qs.order_by("-received_at", "-id")


def complaints_overdue(*, now: datetime.datetime | None = None) -> QuerySet[Complaint]:
    """Every open complaint past a response deadline, unscoped: the reminder job reads it."""
    now = now or timezone.now()
    return (
        Complaint.objects.filter(voided_at__isnull=True)
        .filter(_overdue_q(now))
        .select_related("customer", "owner", "item")
        .order_by("containment_due", "id")
    )


def complaints_overdue_visible(user: Any, *, now: datetime.datetime | None = None) -> Any:
    now = now or timezone.now()
    return complaints_visible(user).filter(_overdue_q(now)).order_by("containment_due", "id")


@dataclass(frozen=True)
class Deadline:
    """One response deadline of a complaint and where it stands."""

    key: str  # "containment" or "8d"
    due: datetime.datetime | None
    done: datetime.datetime | None
    state: str  # "done", "late" (done after the deadline), "overdue", "due", "none"

    @property
    def tone(self) -> str:
        return {"done": "ok", "late": "warning", "overdue": "danger"}.get(self.state, "")


def _deadline(
    key: str,
    due: datetime.datetime | None,
    done: datetime.datetime | None,
    ended: bool,
    now: datetime.datetime,
) -> Deadline:
    if due is None:
        return Deadline(key, None, done, "none")
    if done is not None:
        return Deadline(key, due, done, "late" if done > due else "done")
    if ended:
        return Deadline(key, due, None, "none")
    return Deadline(key, due, None, "overdue" if now > due else "due")


def complaint_deadlines(
    complaint: Complaint, *, now: datetime.datetime | None = None
) -> list[Deadline]:
    now = now or timezone.now()
    ended = complaint.status not in OPEN_STATUSES or complaint.voided_at is not None
    rows = [
        _deadline("containment", complaint.containment_due, complaint.contained_at, ended, now),
    ]
    if complaint.eightd_required:
        rows.append(
            _deadline("8d", complaint.eightd_due, complaint.eightd_submitted_at, ended, now)
        )
    return rows


def complaint_next_deadline(
    complaint: Complaint, *, now: datetime.datetime | None = None
) -> Deadline | None:
    """The first deadline still to meet, for the list's "due" column."""
    waiting = [d for d in complaint_deadlines(complaint, now=now) if d.state in ("due", "overdue")]
    return waiting[0] if waiting else None


def complaints_of_anomaly(user: Any, anomaly: Any) -> list[Complaint]:
    """The complaint(s) that opened a nonconformance report, for its page's section."""
    return list(complaints_visible(user).filter(anomaly=anomaly).order_by("received_at", "id"))
