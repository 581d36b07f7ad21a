from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """A domain app: the quality strategy and plans (§6 a)). It registers everything it brings
    with the kernel and the platform here, and imports no other domain app."""

    name = "cqo.plans"
    label = "plans"
    verbose_name = _("Quality strategy and plans")

    def ready(self) -> None:
        from cqo.api.registry import api_urls_register
        from cqo.authorities.catalogue import exercised_register
        from cqo.authorities.kinds import approval_kind_register
        from cqo.core.clauses import clause
        from cqo.core.demo import demo_builder_register
        from cqo.workbench.nav import nav_link

        from . import api, audit_actions, demo, services

        audit_actions.register()

        nav_link("authority.a", "plans:strategy_list")
        # §6 a) is exercised here: a delegation of it hands over this app's work.
        exercised_register("a")
        # §6 c): the plan's kind of approval, with the handlers that move the plan.
        approval_kind_register(
            code=services.KIND_QUALITY_PLAN,
            label=_("Quality plan"),
            clause=clause("§6 c)"),
            subject_models=["plans.qualityplan"],
            on_decided=services.plan_approval_decided,
            on_withdrawn=services.plan_approval_withdrawn,
            app=self.label,
            raised_from_subject=True,
        )
        demo_builder_register("plans", demo.build, after=("organisation", "authorities"))
        api_urls_register("authorities/", api.urlpatterns, namespace="plans")
