from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views import defaults

from cqo.organisation import roles as R
from cqo.workbench.nav import NAV, NavItem, nav_changed, nav_item_register, nav_link

pytestmark = pytest.mark.django_db

ASSET = re.compile(
    r"<(script|link|img|iframe|source)\b[^>]*?\b(src|href)\s*=\s*[\"']([^\"']*)[\"']", re.I
)
# A script element without src runs inline, which the CSP forbids; JSON data blocks do not run.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.I)


def _assets(html: str) -> list[str]:
    return [m.group(3) for m in ASSET.finditer(html)]


def _pages(signed_in) -> dict[str, str]:
    cqo, _ = signed_in(R.CQO)
    employee, _ = signed_in(R.EMPLOYEE)
    anonymous = Client()
    request = RequestFactory().get("/")
    pages = {
        "dashboard": cqo.get("/").content.decode(),
        "audit": cqo.get(reverse("audit:event_list")).content.decode(),
        "story": cqo.get(reverse("audit:story", args=["accounts.user", "1"])).content.decode(),
        "organisation": cqo.get(reverse("organisation:person_list")).content.decode(),
        "403": employee.get(reverse("audit:event_list")).content.decode(),
        "404": anonymous.get("/no-such-page/").content.decode(),
        "500": defaults.server_error(request).content.decode(),
        "400": defaults.bad_request(request, Exception("bad")).content.decode(),
    }
    return pages


def test_no_page_loads_anything_from_another_site_or_runs_inline_script(signed_in) -> None:
    for name, html in _pages(signed_in).items():
        assets = _assets(html)
        assert assets, name
        external = [a for a in assets if re.match(r"^(https?:)?//", a, re.I)]
        assert external == [], (name, external)
        assert INLINE_SCRIPT.findall(html) == [], name


def test_every_asset_the_shell_references_is_a_local_static_file(signed_in) -> None:
    html = _pages(signed_in)["dashboard"]
    statics = [a for a in _assets(html) if a.startswith("/static/")]
    assert any(a.endswith("htmx.min.js") for a in statics)
    assert any(a.endswith("cqo.css") for a in statics)
    for url in statics:
        assert finders.find(url.removeprefix("/static/")), url
    for vendored in (
        "workbench/vendor/echarts/echarts.min.js",
        "workbench/vendor/htmx/htmx.min.js",
    ):
        assert finders.find(vendored)


def test_a_chart_page_loads_echarts_from_our_static_files_and_no_inline_script() -> None:
    html = Template(
        "{% include 'workbench/_charts_head.html' %}{{ option|json_script:'c1' }}"
        '<div class="chart" data-chart="c1"></div>'
    ).render(Context({"option": {"series": [{"type": "bar", "data": [1, 2]}]}}))
    assert "/static/workbench/vendor/echarts/echarts.min.js" in html
    assert '<script id="c1" type="application/json">' in html
    assert INLINE_SCRIPT.findall(html) == []
    for url in _assets(html):
        assert finders.find(url.removeprefix("/static/")), url


def test_the_page_is_chinese_by_default_and_switches_to_english_and_back(signed_in) -> None:
    client, _user = signed_in(R.PRINCIPAL)
    html = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "工作台" in html

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Workbench" in html and "Proposals to answer" in html
    assert "工作台" not in html

    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "待答复的建议" in html


def test_the_language_switch_is_on_public_pages_too(db) -> None:
    html = Client().get("/no-such-page/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'name="language" value="en"' in html
    assert "没有这个页面" in html


def test_the_navigation_follows_the_standard_and_marks_unbuilt_modules(signed_in) -> None:
    client, _user = signed_in(R.CQO)
    html = client.get("/").content.decode()
    positions = [html.index(label) for label in ("岗位设置", "工作权限", "工作职责", "经费保障")]
    assert positions == sorted(positions)
    for clause in ("§6 i)", "§7.2.1", "§7.2.2", "§7.2.3", "§7.2.4", "§8"):
        assert clause in html
    # The metrology module is not built yet: shown, disabled, said so; no link.
    metrology = re.search(
        r'<span class="nav-link disabled" aria-disabled="true" title="([^"]*)">计量与检验检测', html
    )
    assert metrology is not None and "后续版本" in metrology.group(1)
    # The veto module exists: a real link.
    assert f'href="{reverse("authorities:veto_list")}"' in html
    # Organisation pages exist: real links.
    assert f'href="{reverse("organisation:unit_tree")}"' in html
    assert f'href="{reverse("audit:event_list")}"' in html


def test_an_employee_is_not_offered_the_audit_trail(signed_in) -> None:
    client, _user = signed_in(R.EMPLOYEE)
    html = client.get("/").content.decode()
    assert f'href="{reverse("audit:event_list")}"' not in html


def test_a_module_that_arrives_turns_its_entry_into_a_link(signed_in) -> None:
    client, _user = signed_in(R.CQO)
    original = [(g, list(g.items)) for s in NAV for g in s.groups]
    try:
        nav_link("authority.i", "organisation:post_list")
        nav_item_register(
            "fund", NavItem("fund.test", "Test entry", "§8", "organisation:unit_tree")
        )
        html = client.get("/").content.decode()
    finally:
        for group, items in original:
            group.items[:] = items
        nav_changed()
    assert re.search(
        rf'<a class="nav-link" href="{reverse("organisation:post_list")}"[^>]*>i\) 一票否决', html
    )
    assert "Test entry" in html


def test_the_user_menu_shows_the_name_roles_and_a_sign_out_form(signed_in) -> None:
    client, _user = signed_in(R.CQO, display_name="张质量", display_name_en="Zhang Zhiliang")
    html = client.get("/").content.decode()
    assert "张质量" in html
    assert "首席质量官" in html  # the role, in Chinese
    logout = Template("{% load workbench %}{% url_or_none 'accounts:logout' %}").render(Context())
    if logout:
        assert re.search(rf'<form method="post" action="{logout}">', html)
    else:
        assert "退出登录" in html and 'aria-disabled="true"' in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Zhang Zhiliang" in client.get("/").content.decode()


def test_url_or_none_gives_an_empty_string_for_a_url_that_does_not_exist_yet() -> None:
    template = Template(
        "{% load workbench %}[{% url_or_none 'nowhere:at_all' %}]"
        "[{% url_or_none 'audit:story' 'a.b' 3 %}]"
    )
    assert template.render(Context()) == "[][/audit/story/a.b/3/]"


def test_error_pages_render_in_the_users_language(db) -> None:
    client = Client(headers={"accept-language": "en"})
    assert "There is no such page" in client.get("/no-such-page/").content.decode()
    request = RequestFactory().get("/")
    with translation.override("zh-hans"):
        response = defaults.server_error(request)
        assert "服务器出错了" in response.content.decode()
        assert "无法理解该请求" in defaults.bad_request(request, Exception()).content.decode()
    assert response.status_code == 500
    with translation.override("en"):
        assert "Something went wrong on our side" in defaults.server_error(request).content.decode()


def test_a_refusal_shows_the_reason_on_the_403_page(signed_in) -> None:
    client, _user = signed_in(R.EMPLOYEE)
    response = client.get(reverse("audit:event_list"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "无权" in html or "不能" in html
    assert "审核员" in html  # the reason names who may read the audit trail
