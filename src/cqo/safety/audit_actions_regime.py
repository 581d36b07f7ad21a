"""Labels of the audit actions the regime part records (see ``cqo.audit.labels``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise | str] = {
    "safety.regimepolicy.set": _("Record schedule of the daily, weekly and monthly records set"),
    "safety.daily.record": _("Daily quality-safety control recorded (§7.2.1.2)"),
    "safety.dailyrecord.void": _("Daily quality-safety control record voided"),
    "safety.weekly.write": _("Weekly quality-safety check report written (§7.2.1.2)"),
    "safety.weeklyreport.void": _("Weekly quality-safety check report voided"),
    "safety.monthly.report": _("Monthly quality-safety report submitted to the principal (§7.2.1)"),
    "safety.monthly.hold": _("Monthly quality-safety dispatch meeting recorded (§7.2.1)"),
    "safety.monthlydispatch.void": _("Monthly quality-safety dispatch record voided"),
    "safety.task.raise": _("Rectification task raised"),
    "safety.task.close": _("Rectification task closed with evidence"),
    "safety.rectificationtask.void": _("Rectification task voided"),
}
