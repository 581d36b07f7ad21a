from django.apps import AppConfig


class ContractAppConfig(AppConfig):
    name = "tests.contract_app"
    label = "contract_app"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cqo.authorities.kinds import approval_kind_register
        from cqo.core.clauses import clause

        from . import services

        approval_kind_register(
            code="mrb_disposition",
            label="MRB disposition",
            clause=clause("§6 c)"),
            subject_models=["contract_app.nonconformance"],
            on_decided=services.disposition_decided,
            on_withdrawn=services.disposition_withdrawn,
            signed_content=services.disposition_signed_content,
            app=self.label,
        )
