from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    """A domain app: proposals to the decision layer (§6 b)) and business decisions, which the
    CQO may veto (§6 i)). It registers everything it brings with the kernel and the platform
    here, and imports no other domain app."""

    name = "cqo.decisions"
    label = "decisions"
    verbose_name = _("Proposals and business decisions")

    def ready(self) -> None:
        from cqo.api.registry import api_urls_register
        from cqo.authorities.catalogue import exercised_register
        from cqo.core.demo import demo_builder_register
        from cqo.workbench.nav import NavItem, nav_item_register, nav_link

        from . import api, audit_actions, demo, panels

        audit_actions.register()

        panels.register()
        # §6 b) is exercised here: a delegation of it hands over this app's work.
        exercised_register("b")
        nav_link("authority.b", "decisions:proposal_list")
        nav_item_register(
            "authorities",
            NavItem(
                "authority.decisions",
                _("Business decisions"),
                "§6 b), §6 i)",
                "decisions:decision_list",
                "decisions.view_businessdecision",
            ),
        )
        demo_builder_register("decisions", demo.build, after=("organisation", "authorities"))
        api_urls_register("authorities/", api.urlpatterns, namespace="decisions")
        register_report_sections(self.label)


def register_report_sections(app_label: str) -> None:
    """The app's parts of the CQO's report to the decision layer (§7.1.6)."""
    from django.utils.translation import gettext_lazy as _

    from cqo.core.clauses import clauses
    from cqo.core.report_sections import report_section_register

    from . import sections_report

    report_section_register(
        code="decisions.proposals", title=_("Proposals to the decision layer and their answers"), clause=clauses("§6 b)"),
        order=800, build=sections_report.proposals_section, app=app_label,
    )  # fmt: skip
