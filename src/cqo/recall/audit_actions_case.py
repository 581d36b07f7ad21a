"""Labels of the audit actions the case part records (see ``cqo.audit.labels``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise | str] = {
    "recall.case.open": _("Recall case opened"),
    "recall.case.investigate": _("Recall investigation recorded"),
    "recall.case.scope": _("Suspect lots of a recall named"),
    "recall.case.defect": _("Recall defect decided"),
    "recall.decision.propose": _("Recall decision proposed"),
    "recall.decision.agree": _("Recall decision agreed by the principal"),
    "recall.decision.return": _("Recall decision sent back by the principal"),
    "recall.case.stop": _("Recall stop: affected lots held"),
    "recall.plan.file": _("Recall plan filed"),
    "recall.notice.publish": _("Recall notice published"),
    "recall.report.file": _("Recall report filed"),
    "recall.target.update": _("Recall target corrected"),
    "recall.progress.record": _("Recalled units recorded"),
    "recall.case.closed": _("Recall closed"),
    "recall.case.active_stopped": _("Active recall stopped"),
}
