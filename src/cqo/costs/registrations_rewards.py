"""What the rewards part registers (decision 0005): its rules, the audit labels, the quality-record
source (a decided penalty goes on the person's or unit's record, so the appraisal deducts it),
the navigation entry of §7.2.4.2 and the demo."""

from __future__ import annotations


def register(app_label: str) -> None:
    from django.utils.translation import gettext_lazy as _

    from cqo.audit.labels import actions_register
    from cqo.core.demo import demo_builder_register
    from cqo.organisation.quality_record import quality_record_source_register
    from cqo.workbench.nav import nav_link

    from . import demo_rewards, selectors_rewards
    from . import rules_rewards as _rules  # noqa: F401 (the permissions, added on import)

    actions_register(
        {
            "costs.rewardrule.create": _("Reward or penalty rule set"),
            "costs.rewardrule.void": _("Reward or penalty rule voided"),
            "costs.rewarddecision.create": _("Reward or penalty raised"),
            "costs.rewarddecision.decide": _("Reward or penalty decided"),
            "costs.rewarddecision.reject": _("Reward or penalty rejected"),
            "costs.rewarddecision.fund": _("Reward sent to the special quality fund"),
        }
    )
    # The appraisal reads the quality record without importing this app.
    quality_record_source_register("costs.rewards", selectors_rewards.quality_record_entries)
    nav_link("duty.7.2.4.2", "costs:reward_decision_list")
    demo_builder_register(
        "costs.rewards", demo_rewards.build, after=("costs.fund",), present=demo_rewards.present,
    )  # fmt: skip
