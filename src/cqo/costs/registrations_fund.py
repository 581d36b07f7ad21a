"""What the fund part registers (decision 0005): its rules, the two approval kinds
(``quality_budget`` to the principal, ``fund_spending`` to the CQO, §6 f)/§8.1), the authority
§6 f) as exercised here, the navigation entries, the CQO's budget panel, the daily variance
reminder, the audit labels and the demo."""

from __future__ import annotations


def register(app_label: str) -> None:
    from django.utils.translation import gettext_lazy as _

    from cqo.audit.labels import actions_register
    from cqo.authorities.catalogue import exercised_register
    from cqo.authorities.kinds import approval_kind_register
    from cqo.core.clauses import clause
    from cqo.core.demo import demo_builder_register
    from cqo.notifications.services import reminder_register
    from cqo.workbench.nav import nav_link
    from cqo.workbench.panels import Panel, cqo_in_office, panel_register

    from . import demo_fund, panels_fund, services_fund
    from . import rules_fund as _rules  # noqa: F401 (the permissions, added on import)
    from . import tasks_fund as _tasks  # noqa: F401 (the queue's jobs, registered on import)

    actions_register(
        {
            "costs.budget.create": _("Quality budget started"),
            "costs.budgetline.create": _("Budget line added"),
            "costs.budgetline.update": _("Budget line changed"),
            "costs.budget.submit": _("Quality budget sent to the principal"),
            "costs.budget.approve": _("Quality budget approved by the principal"),
            "costs.budget.return": _("Quality budget returned by the principal"),
            "costs.budget.withdraw": _("Quality budget withdrawn from the principal"),
            "costs.budget.void": _("Quality budget voided"),
            "costs.fund.create": _("Special quality fund set up"),
            "costs.fundpurpose.create": _("Fund purpose added"),
            "costs.fundspending.create": _("Fund spending applied for"),
            "costs.fundspending.refuse": _("Fund spending refused"),
            "costs.fundspending.submitted": _("Fund spending sent on to the CQO"),
            "costs.fundspending.principal": _("Fund spending sent on to the principal"),
            "costs.fundspending.approved": _("Fund spending approved"),
            "costs.fundspending.rejected": _("Fund spending rejected"),
            "costs.fundspending.withdrawn": _("Fund spending withdrawn"),
            "costs.fundspending.paid": _("Fund spending paid in full"),
            "costs.fundpayment.create": _("Fund payment recorded"),
            "costs.fund.report.request": _("Fund year-end report asked for"),
            "costs.fund.report.build": _("Fund year-end report built"),
            "costs.fund.report.fail": _("Fund year-end report failed"),
        }
    )
    # §6 f) is exercised here: a delegate of it decides and pays spendings for their units.
    exercised_register("f")
    approval_kind_register(
        code=services_fund.KIND_BUDGET,
        label=_("Quality budget"),
        clause=clause("§6 f)"),
        subject_models=["costs.qualitybudget"],
        on_decided=services_fund.budget_approval_decided,
        on_withdrawn=services_fund.budget_approval_withdrawn,
        signed_content=services_fund.budget_content,
        app=app_label,
        raised_from_subject=True,
    )
    approval_kind_register(
        code=services_fund.KIND_SPENDING,
        label=_("Special quality fund spending"),
        clause=clause("§6 f)"),
        subject_models=["costs.fundspending"],
        on_decided=services_fund.spending_approval_decided,
        on_withdrawn=services_fund.spending_approval_withdrawn,
        signed_content=services_fund.spending_content,
        app=app_label,
        raised_from_subject=True,
    )
    nav_link("authority.f", "costs:budget_list")
    nav_link("fund.budget", "costs:fund_list")
    nav_link("fund.spending", "costs:spending_list")
    panel_register(
        Panel(
            "costs_budget_alerts",
            _("Quality budget alerts"),
            clause("§6 f)"),
            _("Lines of this year's approved quality budget whose actual cost and commitments "
              "reach the alert level will appear here."),
            items=panels_fund.budget_alert_items,
            roles=frozenset({"cqo", "principal"}),
            audience=cqo_in_office,
            perm="costs.view_qualitybudget",
            order=75,
            more_url_name="costs:budget_list",
        )
    )  # fmt: skip
    reminder_register("costs.budget_alerts", services_fund.budget_alerts_notify)
    demo_builder_register(
        "costs.fund", demo_fund.build, after=("organisation", "authorities"),
        present=demo_fund.present,
    )  # fmt: skip
