"""The product shell as a new user meets it (issue 2): the demo enterprise, a Chinese sign-in page,
the demo CQO signs in, lands on the workbench in Chinese, switches to English and stays there; no
asset is fetched from anywhere but the server itself."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from cqo.core.demo import DEMO_PASSWORD
from cqo.post.models import Appointment


def test_the_demo_cqo_signs_in_in_chinese_and_switches_to_english(
    page: Any, live_server: Any, full_demo: Any
) -> None:
    base = live_server.url
    host = urlsplit(base).netloc
    foreign: list[str] = []
    page.on(
        "request",
        lambda request: (
            foreign.append(request.url)
            if urlsplit(request.url).netloc not in (host, "")
            and not request.url.startswith("data:")
            else None
        ),
    )

    # An anonymous visitor is sent to sign in, and the page speaks Chinese first.
    page.goto(f"{base}/")
    page.wait_for_url(f"{base}/accounts/login/**")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("heading", name="登录").is_visible()

    page.fill("input[name=username]", "cqo")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator('form[action$="/accounts/login/"] button[type=submit]').click()
    page.wait_for_url(f"{base}/")
    assert page.get_by_role("heading", name="工作台").is_visible()
    nav = page.locator("#sidenav").inner_text()
    for label in ("岗位设置", "工作权限", "工作职责", "经费保障"):
        assert label in nav
    assert page.locator(".panels .panel").count() >= 1

    # The language switch: every page after it is in English, until switched back.
    page.locator(".lang-switch button[value=en]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Workbench").is_visible()
    assert "Welcome, Liu Xiaomei." in page.locator("main").inner_text()
    page.goto(f"{base}/audit/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Audit trail" in page.locator("main").inner_text()

    # A phone-sized screen: the menu folds behind its button and opens on a tap.
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{base}/")
    toggle = page.locator("[data-nav-toggle]")
    assert toggle.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    # Nothing widens the page past the screen: wide tables scroll inside it.
    appointment = Appointment.objects.order_by("pk").first()
    assert appointment is not None
    for path in ("/", f"/post/appointments/{appointment.pk}/", "/authorities/"):
        page.goto(f"{base}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide on a 390px screen"

    assert foreign == [], f"assets loaded from elsewhere: {foreign}"
