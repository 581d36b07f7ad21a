from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuthoritiesConfig(AppConfig):
    name = "cqo.authorities"
    label = "authorities"
    verbose_name = _("Authorities")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from cqo.audit.selectors import signed_act_register, signed_content_register
        from cqo.core.clause_index import clause_index_provider_register
        from cqo.core.clauses import clause
        from cqo.workbench.nav import NavItem, nav_item_register, nav_link

        from . import audit_actions, panels, services
        from .catalogue import exercised_register
        from .kinds import approval_kind_register

        # An appointment that changes changes who holds the nine authorities: forget what any
        # user object remembers about it.
        for signal in (post_save, post_delete):
            signal.connect(_forget, sender="post.Appointment", dispatch_uid=f"authorities.{signal}")

        audit_actions.register()
        panels.register()
        # Strategy and plans, proposals, the approval inbox and the veto live in this app.
        exercised_register("a", "b", "c", "i")
        # §6 c): the kinds of approval this app owns. Domain apps register theirs the same way.
        approval_kind_register(
            code=services.KIND_QUALITY_PLAN,
            label=_("Quality plan"),
            clause=clause("§6 c)"),
            subject_models=["authorities.qualityplan"],
            on_decided=services.plan_approval_decided,
            on_withdrawn=services.plan_approval_withdrawn,
            app=self.label,
        )
        # Until the inspection, anomaly and fund apps register their own kinds (with their own
        # records as subjects), these general kinds are raised about this app's records.
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
                    "authorities.businessdecision",
                    "authorities.qualityplan",
                    "authorities.proposal",
                ],
                app=self.label,
            )
        nav_link("authority.a", "authorities:strategy_list")
        nav_link("authority.b", "authorities:proposal_list")
        nav_link("authority.c", "authorities:approval_list")
        nav_link("authority.i", "authorities:veto_list")
        nav_link("authority.delegations", "authorities:delegation_list")
        nav_item_register(
            "authorities",
            NavItem(
                "authority.decisions",
                _("Business decisions"),
                "§6 b), §6 i)",
                "authorities:decision_list",
                "authorities.view_businessdecision",
            ),
        )
        clause_index_provider_register(_clause_registrations)
        # The approval page can then say whether a signature still matches the request.
        signed_content_register(
            "authorities.approvalrequest",
            services.approval_content,  # type: ignore[arg-type]
        )
        # A veto is signed on the vetoed record; its signatures are checked against the veto.
        for action in ("authorities.veto.impose", "authorities.veto.lift"):
            signed_act_register(action, services.veto_signed_content)


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


def _forget(**kwargs: object) -> None:
    from . import engine

    engine.forget()
