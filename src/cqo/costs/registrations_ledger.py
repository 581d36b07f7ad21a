"""What the ledger part registers (decision 0005): its rules, audit labels, navigation entry,
the authority it exercises (§6 f): a delegate keeps the ledger), its jobs, its demo part."""

from __future__ import annotations


def register(app_label: str) -> None:
    from django.utils.translation import gettext_lazy as _

    from cqo.audit.labels import actions_register
    from cqo.authorities.catalogue import exercised_register
    from cqo.core.demo import demo_builder_register
    from cqo.workbench.nav import nav_link

    from . import demo_ledger, rules_ledger, tasks_ledger

    del rules_ledger, tasks_ledger  # imported for their rules and their queue's jobs
    actions_register(
        {
            "costs.chartitem.create": _("Cost item added to the chart"),
            "costs.chartitem.void": _("Cost item voided"),
            "costs.ledgerline.create": _("Quality-cost line entered"),
            "costs.ledgerline.reverse": _("Quality-cost line reversed"),
            "costs.ledger.sync": _("Cost lines pulled from their sources"),
            "costs.ledger.import": _("Cost lines imported"),
            "costs.ledger.bulk": _("Cost lines written in bulk"),
            "costs.import.start": _("Import queued"),
            "costs.month.close": _("Month closed in the quality-cost ledger"),
            "costs.basefigure.set": _("Finance figure entered"),
            "costs.financekeeper.create": _("Finance keeper named"),
            "costs.financekeeper.void": _("Finance keeper removed"),
        }
    )
    exercised_register("f")
    nav_link("duty.7.2.3.7", "costs:ledger_report")
    demo_builder_register(
        "costs_ledger", demo_ledger.build,
        after=("organisation", "authorities", "masterdata", "anomalies_mrb", "incidents"),
    )  # fmt: skip
