"""Roles: Django groups named by a fixed code.

A role says what kind of work someone does in the system; what it allows is written as rules in
``rules.py`` (never as static group permissions), so the matrix lives in one readable place.
Authority that comes from holding a post (the CQO's nine authorities, §6) is granted by the
appointment, in a later issue; the ``cqo`` role marks the account that uses it.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PRINCIPAL = "principal"
CQO = "cqo"
DEPUTY = "deputy"
QUALITY_ENGINEER = "quality_engineer"
INSPECTOR = "inspector"
METROLOGY_OFFICER = "metrology_officer"
DEPARTMENT_HEAD = "department_head"
EMPLOYEE = "employee"
AUDITOR = "auditor"
ADMIN = "admin"

ROLE_LABELS: dict[str, Promise] = {
    PRINCIPAL: _("Legal representative / principal person in charge"),
    CQO: _("Chief Quality Officer"),
    DEPUTY: _("CQO deputy"),
    QUALITY_ENGINEER: _("Quality engineer"),
    INSPECTOR: _("Inspector"),
    METROLOGY_OFFICER: _("Metrology officer"),
    DEPARTMENT_HEAD: _("Department head"),
    EMPLOYEE: _("Employee"),
    AUDITOR: _("Auditor (read-only)"),
    ADMIN: _("System administrator"),
}

ROLES: tuple[str, ...] = tuple(ROLE_LABELS)

# The roles that carry authority under the standard: the principal appoints and hears the CQO
# (§3.1), the CQO and deputy exercise the authorities (§6), the auditor reads the whole trail. No
# administrator grants or takes them alone (decision 0006).
AUTHORITY_ROLES: frozenset[str] = frozenset({PRINCIPAL, CQO, DEPUTY, AUDITOR})
ROLE_CHOICES: list[tuple[str, Promise]] = list(ROLE_LABELS.items())


def role_label(code: str) -> str:
    label = ROLE_LABELS.get(code)
    return str(label) if label is not None else code


def roles_ensure(group_model: Any = None) -> list[Any]:
    """Create the role groups that are missing; safe to call any number of times.

    ``group_model`` lets a data migration pass its historical Group model.
    """
    if group_model is None:
        from django.contrib.auth.models import Group

        group_model = Group
    return [group_model.objects.get_or_create(name=code)[0] for code in ROLES]
