"""The shell's pieces kept across requests (the side navigation's HTML per rights, current entry
and language; the resolved navigation; the user's groups under the database's version) must
never show one user what another may open, a stale right, a wrong current entry or another
language (docs/ARCHITECTURE.md, "The shell's caches")."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cqo.core import request_cache
from cqo.core.predicates import user_groups
from cqo.organisation import roles as R

pytestmark = pytest.mark.django_db

AUDIT = reverse("audit:event_list")


def _sidenav(html: str) -> str:
    return html.split('<nav id="sidenav"', 1)[1].split("</nav>", 1)[0]


def _current(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)" aria-current="page"', _sidenav(html))


def test_it_never_serves_one_users_navigation_to_another(signed_in) -> None:
    cqo, _ = signed_in(R.CQO)
    employee, _ = signed_in(R.EMPLOYEE)
    for _round in range(2):  # the second round is answered from what the first kept
        assert f'href="{AUDIT}"' in _sidenav(cqo.get("/").content.decode())
        assert f'href="{AUDIT}"' not in _sidenav(employee.get("/").content.decode())


def test_the_navigation_marks_the_page_being_shown_and_only_it(signed_in) -> None:
    client, _ = signed_in(R.CQO)
    units = reverse("organisation:unit_tree")
    people = reverse("organisation:person_list")
    for _round in range(2):
        assert _current(client.get(units).content.decode()) == [units]
        assert _current(client.get(people).content.decode()) == [people]
        dashboard = reverse("workbench:dashboard")
        assert _current(client.get(dashboard).content.decode()) == [dashboard]


def test_the_navigation_is_in_the_language_just_chosen(signed_in) -> None:
    client, _ = signed_in(R.CQO)
    assert "工作权限" in _sidenav(client.get("/").content.decode())
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = _sidenav(client.get("/").content.decode())
    assert "Authorities" in english and "工作权限" not in english
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "工作权限" in _sidenav(client.get("/").content.decode())


def test_a_user_who_loses_a_role_loses_its_entries_on_the_next_page(signed_in) -> None:
    client, user = signed_in(R.CQO)
    assert f'href="{AUDIT}"' in _sidenav(client.get("/").content.decode())
    user.groups.remove(Group.objects.get(name=R.CQO))
    assert f'href="{AUDIT}"' not in _sidenav(client.get("/").content.decode())
    assert client.get(AUDIT).status_code == 403


def test_a_role_given_or_taken_is_read_on_the_next_request(signed_in) -> None:
    _client, user = signed_in(R.EMPLOYEE)
    with request_cache.scope(fresh=True):
        assert R.CQO not in user_groups(user)
    user.groups.add(Group.objects.get(name=R.CQO))
    with request_cache.scope(fresh=True):
        assert R.CQO in user_groups(user)
    user.groups.remove(Group.objects.get(name=R.CQO))
    with request_cache.scope(fresh=True):
        assert R.CQO not in user_groups(user)
