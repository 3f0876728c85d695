"""Accessibility of the main pages (issue 12): axe-core, vendored under tests/e2e/vendor, runs in
chromium on every main page as five readers see them (the secretariat, a head of delegation, a
humanitarian organisation, the monitoring mission, an observer), in English and in Ukrainian or
Russian, and no violation of impact *serious* or *critical* may remain.

The demo is loaded once; one browser page walks everything (under three minutes under load).
A second test reaches the area editor's drawing tools with Tab and leaves one with Escape.
"""

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from parley import demo
from tests.factories import cast

pytestmark = [pytest.mark.e2e]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
BLOCKING = {"serious", "critical"}

# The pages, in order: a path, or (a list's path, the pattern of the first link on it to follow).
AGREEMENT = re.compile(r"^/agreements/(?!new/)[^/]+/$")
MOVEMENT = re.compile(r"^/access/movements/(?!new/|acknowledge/)[^/]+/$")
EVENT = re.compile(r"^/monitoring/events/(?!bulk/)[^/]+/$")
EXCHANGE = re.compile(
    r"^/exchanges/(?!figures/|lists/|persons/|reconcile|reconciliations/|pairs/|new/)[^/]+/$"
)
PAGES = [
    "/",
    ("/agreements/", AGREEMENT),
    "/calendar/",
    "/map/",
    ("/access/movements/", MOVEMENT),
    ("/monitoring/events/", EVENT),
    "/talks/",
    ("/exchanges/", EXCHANGE),
    "/record/",
    "/reports/daily/",
]
# reader -> (languages, extra pages); English for everyone, the reader's other language after.
READERS = {
    "secretariat": (["en", "uk"], ["/party/accounts/"]),
    "ua-head": (["en", "uk"], ["/party/accounts/", "/agreements/HP-2026-002/versions/2/"]),
    "wfp": (["en", "ru"], ["/access/movements/new/"]),
    "monitor": (["en", "ru"], []),
    "observer": (["en", "uk"], []),
}


FACTORY_PASSWORD = "correct horse battery staple"  # the factories' password


def sign_in_as(page, base: str, username: str, password: str = demo.PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page.locator(".whoami .username")).to_be_visible()


def set_language(page, base: str, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])


def audit(page, where: str) -> list[str]:
    """The serious and critical violations axe finds on the page as it stands."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    violations = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map("
        "v => ({id: v.id, impact: v.impact, help: v.help,"
        " targets: v.nodes.map(n => n.target.join(' '))})))"
    )
    return [
        f"{where}: {v['id']} [{v['impact']}] {v['help']} -> {'; '.join(v['targets'][:6])}"
        + (f" (+{len(v['targets']) - 6} more)" if len(v["targets"]) > 6 else "")
        for v in violations
        if v["impact"] in BLOCKING
    ]


def visit(page, url: str) -> None:
    page.goto(url, wait_until="load")
    # Maps draw after their GeoJSON arrives; axe should see the drawn map and its controls.
    if page.locator("[data-map]").count():
        page.wait_for_selector(".leaflet-control-zoom", state="attached")
        page.wait_for_load_state("networkidle")


def first_link(page, pattern: re.Pattern) -> str | None:
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    return next((href for href in hrefs if pattern.match(href.split("?")[0])), None)


def walk(page, base: str, reader: str, language: str, pages) -> tuple[list[str], list[str]]:
    found, seen = [], []
    for step in pages:
        path, follow = (step, None) if isinstance(step, str) else step
        visit(page, base + path)
        seen.append(path)
        found += audit(page, f"{reader} {language} {path}")
        if follow is not None:
            target = first_link(page, follow)
            if target is None:
                continue
            visit(page, base + target)
            seen.append(target)
            found += audit(page, f"{reader} {language} {target}")
    return found, seen


def test_the_main_pages_have_no_serious_or_critical_accessibility_violation(
    live_server, transactional_db, browser_page
):
    demo.load(stdout=io.StringIO())
    page, base = browser_page, live_server.url
    found: list[str] = []
    visited: dict[str, list[str]] = {}

    for language in ("en", "ru"):
        set_language(page, base, language)
        visit(page, f"{base}/accounts/login/")
        found += audit(page, f"anonymous {language} /accounts/login/")

    for reader, (languages, extra) in READERS.items():
        page.context.clear_cookies()
        sign_in_as(page, base, reader)
        for language in languages:
            set_language(page, base, language)
            problems, seen = walk(page, base, reader, language, PAGES + extra)
            found += problems
            visited[f"{reader} {language}"] = seen

    # Every reader reached a detail page of each kind it may see (the walk followed links).
    assert any(AGREEMENT.match(p) for p in visited["secretariat en"])
    assert any(MOVEMENT.match(p) for p in visited["wfp en"])
    assert any(EVENT.match(p) for p in visited["monitor en"])
    assert any(EXCHANGE.match(p) for p in visited["secretariat en"])
    assert found == [], "serious or critical violations:\n" + "\n".join(found)


def test_the_map_drawing_tools_are_reached_named_and_left_with_the_keyboard(
    live_server, transactional_db, browser_page
):
    cast()
    page, base = browser_page, live_server.url
    sign_in_as(page, base, "ru-delegate", FACTORY_PASSWORD)
    page.goto(f"{base}/agreements/new/")
    page.wait_for_selector(".leaflet-pm-toolbar .leaflet-buttons-control-button")

    # Tab from the top of the page until the first drawing tool has the focus.
    reached = None
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement; return {tool: e.matches("
            "'.leaflet-pm-toolbar .leaflet-buttons-control-button'), name: e.getAttribute("
            "'aria-label'), outline: getComputedStyle(e).outlineStyle} }"
        )
        if focused["tool"]:
            reached = focused
            break
    assert reached is not None, "Tab never reached the drawing tools"
    assert reached["outline"] != "none"

    tools = page.locator(".leaflet-pm-toolbar .leaflet-buttons-control-button")
    names = [tools.nth(i).get_attribute("aria-label") for i in range(tools.count())]
    assert "Draw Polyline" in names and all(names), names
    assert all(tools.nth(i).get_attribute("tabindex") == "0" for i in range(tools.count()))
    toolbar = page.locator(".leaflet-pm-toolbar").first
    assert toolbar.get_attribute("aria-label") == "Drawing tools"
    expect(page.locator("#id_areas-keyboard")).to_contain_text("GeoJSON")
    expect(page.get_by_label("Areas (GeoJSON)")).to_be_visible()

    # Enter picks the line tool, Escape leaves it without drawing anything; Space picks it too.
    line = page.locator(
        ".leaflet-pm-toolbar .button-container", has=page.locator(".leaflet-pm-icon-polyline")
    )
    line.locator(".leaflet-buttons-control-button").focus()
    page.keyboard.press("Enter")
    expect(line).to_have_class(re.compile(r"\bactive\b"))
    page.keyboard.press("Escape")
    expect(line).not_to_have_class(re.compile(r"\bactive\b"))
    line.locator(".leaflet-buttons-control-button").focus()
    page.keyboard.press(" ")
    expect(line).to_have_class(re.compile(r"\bactive\b"))
    page.keyboard.press("Escape")
    expect(line).not_to_have_class(re.compile(r"\bactive\b"))
    assert page.input_value("#id_areas") == ""

    # The editor page itself, with its drawing tools, passes axe like the main pages.
    assert audit(page, "ru-delegate en /agreements/new/") == []
    assert page.problems == []
