from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    name = "cqo.workbench"
    label = "workbench"
    verbose_name = _("Workbench")

    def ready(self) -> None:
        from cqo.core.clause_index import clause_index_provider_register

        clause_index_provider_register(_nav_entries)


def _nav_entries() -> list[tuple[str, str, str]]:
    """For ``cqo clauses``: each navigation entry that leads to a page, under its clauses."""
    from .nav import NAV

    return [
        (item.clause, "nav", f"{item.key} -> {item.url_name}")
        for section in NAV
        for group in section.groups
        for item in group.items
        if item.url_name and item.clause
    ]
