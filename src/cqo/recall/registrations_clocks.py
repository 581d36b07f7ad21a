"""What the clocks part registers (decision 0005): its rules, the CQO's panel of clocks due, the
daily reminder, navigation, audit labels and its demo part."""

from __future__ import annotations


def register(app_label: str) -> None:
    from django.utils.translation import gettext_lazy as _

    from cqo.audit.labels import actions_register
    from cqo.core.clauses import clause
    from cqo.core.demo import demo_builder_register, demo_builders
    from cqo.notifications.services import reminder_register
    from cqo.workbench.nav import NavItem, nav_item_register

    from . import demo_clocks, panels_clocks, rules_clocks, services_clocks

    assert rules_clocks  # the permission table is added on import
    actions_register({
        "recall.clock_profile.create": _("Recall clock profile added"),
        "recall.clock_profile.revise": _("Recall clock profile: new version"),
        "recall.clock_profile.choose": _("Clock profile chosen for a recall case"),
        "recall.clock.start": _("Recall clock started"),
        "recall.clock.stop": _("Recall clock stopped"),
        "recall.clock.waive": _("Recall clock marked not applicable"),
        "recall.calendar.day_set": _("Working-day calendar: day set"),
        "recall.calendar.day_clear": _("Working-day calendar: day correction undone"),
        "recall.calendar.year_add": _("Working-day calendar: year added"),
    })  # fmt: skip
    panels_clocks.register()
    reminder_register("recall.clocks", services_clocks.clocks_remind)
    nav_item_register(
        "duties",
        NavItem("duty.7.2.1.4.clocks", _("Recall clocks"), clause("§7.2.1.4"),
                "recall:clocks_due", "recall.view_recallclock"),
        group_key="duties.safety",
    )  # fmt: skip
    nav_item_register(
        "organisation",
        NavItem("org.calendar", _("Working-day calendar"), "", "recall:calendar",
                "recall.view_workcalendar"),
    )  # fmt: skip
    after = ["organisation", "post", "authorities"]
    for case_builder in ("recall_case", "recall"):
        try:
            demo_builders([case_builder])
        except KeyError:
            continue
        after.append(case_builder)
    demo_builder_register("recall_clocks", demo_clocks.build, after=tuple(after),
                          present=demo_clocks.present)  # fmt: skip
