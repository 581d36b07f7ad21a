"""The strategy page carries two forms; each must post as the page renders it (issue 7 §3.1)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cqo.authorities import services as S
from cqo.plans import services as PS
from cqo.plans.models import QualityPlan, QualityStrategy
from cqo.testing.world import Org, today

pytestmark = pytest.mark.django_db


class _Forms(HTMLParser):
    """The POST forms of a page: their fields as a browser would submit them (first option of a
    select, hidden and text values as rendered), and every id on the page."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.ids: list[str] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.forms.append({"fields": {}, "selects": {}})
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and a.get("name"):
            fields[a["name"]] = a.get("value") or ""
        elif tag == "select" and a.get("name"):
            self._select = str(a["name"])
            self.forms[-1]["selects"][self._select] = []
        elif tag == "option" and self._select is not None:
            self.forms[-1]["selects"][self._select].append(a.get("value") or "")
        elif tag == "textarea" and a.get("name"):
            fields[a["name"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _page_forms(client: Client) -> _Forms:
    parser = _Forms()
    parser.feed(client.get(reverse("plans:strategy_list")).content.decode())
    return parser


def _base(name: str) -> str:
    """A field's name without whatever prefix the page gave it."""
    return name.rsplit("-", 1)[-1]


def _form_with(parser: _Forms, field: str) -> dict[str, Any]:
    return next(f for f in parser.forms if any(_base(n) == field for n in f["fields"]))


def test_a_quality_plan_is_created_by_posting_the_plan_form_as_the_page_renders_it(
    org: Org,
) -> None:
    strategy = PS.strategy_create(
        actor=org.cqo, title="三年质量战略", start_year=today().year, end_year=today().year + 2
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(org.cqo)
    parser = _page_forms(client)
    plan_form = _form_with(parser, "year")
    data = dict(plan_form["fields"])
    # Fill what a user types or picks, under the names the page gave the fields.
    for name in data:
        if _base(name) == "title":
            data[name] = "2026 年度质量计划"
        elif _base(name) == "year":
            data[name] = str(today().year)
    for name in plan_form["selects"]:
        if _base(name) == "strategy":
            data[name] = str(strategy.pk)
    response = client.post(reverse("plans:strategy_list"), data)
    [plan] = list(QualityPlan.objects.all())
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:plan_detail", args=[plan.pk])
    assert plan.strategy == strategy and plan.title == "2026 年度质量计划"
    assert QualityStrategy.objects.count() == 1


def test_the_strategy_form_still_records_a_strategy(org: Org) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(org.cqo)
    data = dict(_form_with(_page_forms(client), "start_year")["fields"])
    for name in data:
        if _base(name) == "title":
            data[name] = "质量战略"
        elif _base(name) == "start_year":
            data[name] = str(today().year)
        elif _base(name) == "end_year":
            data[name] = str(today().year + 2)
    response = client.post(reverse("plans:strategy_list"), data)
    assert response.status_code == 302
    assert QualityStrategy.objects.get().title == "质量战略"
    assert not QualityPlan.objects.exists()


def test_no_two_fields_on_the_strategy_page_share_an_id(org: Org) -> None:
    client = Client()
    client.force_login(org.cqo)
    ids = _page_forms(client).ids
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_delegating_an_authority_no_module_exercises_yet_is_refused_naming_it(org: Org) -> None:
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from cqo.authorities.catalogue import AUTHORITIES, is_exercised
    from cqo.authorities.models import Delegation

    # The modules arrive one by one (§6 g) came with the appraisal): take one still unbuilt.
    unbuilt = next(a for a in AUTHORITIES if a.delegable and not is_exercised(a.code))
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        S.delegation_create(
            actor=org.cqo, authority=unbuilt.code, delegate=org.deputy.person, units=[org.qm],
            start_date=today(), end_date=today().replace(year=today().year + 1),
        )  # fmt: skip
    message = exc.value.message_dict["authority"][0]
    with translation.override("en"):
        assert unbuilt.clause in message and str(unbuilt.label) in message
    assert not Delegation.objects.exists()
