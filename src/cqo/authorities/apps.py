from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuthoritiesConfig(AppConfig):
    name = "cqo.authorities"
    label = "authorities"
    verbose_name = _("Authorities")

    def ready(self) -> None:
        from cqo.api.registry import api_urls_register
        from cqo.audit.selectors import signed_act_register, signed_content_register
        from cqo.core.clause_index import clause_index_provider_register
        from cqo.core.clauses import clause
        from cqo.core.demo import demo_builder_register
        from cqo.notifications.services import reminder_register
        from cqo.workbench.nav import nav_link

        from . import api_urls, audit_actions, demo, panels, services, tasks
        from .catalogue import exercised_register
        from .kinds import approval_kind_register

        audit_actions.register()
        panels.register()
        # The approval inbox and the veto live in this app; the plans and decisions apps
        # register §6 a) and §6 b).
        exercised_register("c", "i")
        # Until the inspection, anomaly and fund apps register their own kinds (with their own
        # records as subjects), these general kinds may be raised about the records of the
        # plans and decisions apps. The labels are strings: this kernel app imports neither.
        # The ``quality_plan`` kind is registered by ``cqo.plans``, which owns its handlers.
        for code, label in (
            ("anomaly", _("Quality anomaly disposition")),
            ("concession", _("Concession")),
            ("deviation", _("Deviation permit")),
            ("spending", _("Spending")),
        ):
            approval_kind_register(
                code=code,
                label=label,
                clause=clause("§6 c)"),
                subject_models=[
                    "decisions.businessdecision",
                    "plans.qualityplan",
                    "decisions.proposal",
                ],
                app=self.label,
            )
        nav_link("authority.c", "authorities:approval_list")
        nav_link("authority.i", "authorities:veto_list")
        nav_link("authority.delegations", "authorities:delegation_list")
        clause_index_provider_register(_clause_registrations)
        # The approval page can then say whether a signature still matches the request.
        signed_content_register(
            "authorities.approvalrequest",
            services.approval_content,  # type: ignore[arg-type]
        )
        demo_builder_register("authorities", demo.build, after=("organisation", "post"))
        reminder_register("authorities.approvals", tasks.approvals_remind)
        api_urls_register("authorities/", api_urls.urlpatterns, namespace="authorities")
        # A veto is signed on the vetoed record; its signatures are checked against the veto.
        for action in ("authorities.veto.impose", "authorities.veto.lift"):
            signed_act_register(action, services.veto_signed_content)
        # The CQO's report to the decision layer (§7.1.6) carries the vetoes and approvals.
        from cqo.core.report_sections import report_section_register

        from . import sections_report

        report_section_register(
            code="authorities.vetoes", title=_("Vetoes and approvals"), clause=clause("§6 i)"),
            order=850, build=sections_report.vetoes_section, app=self.label,
        )  # fmt: skip


def _clause_registrations() -> list[tuple[str, str, str]]:
    """For ``cqo clauses``: the approval kinds and the vetoable records, under their clauses."""
    from .kinds import APPROVAL_KINDS
    from .vetoable import VETO_CLAUSE, vetoable_models

    found = [
        (
            spec.clause,
            "approval kind",
            f"{code} ({spec.app or '?'}: {', '.join(sorted(spec.subject_models))})",
        )
        for code, spec in APPROVAL_KINDS.items()
    ]
    found += [(VETO_CLAUSE, "vetoable", label) for label in vetoable_models()]
    return found
