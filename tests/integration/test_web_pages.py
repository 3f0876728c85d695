"""The pages render for every role, show windows in every party's clock, and leak nothing."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.factories import WINDOW, AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ROLES = (
    "ua_head",
    "ua_delegate",
    "ru_head",
    "ru_delegate",
    "secretariat",
    "icrc_liaison",
    "monitor_user",
    "observer_user",
)
# Version 1 of the factories' agreements: 1 March 2026, 08:00–14:00 Kyiv (winter, UTC+2).
WINDOW_LINE = "06:00–12:00 UTC · 08:00–14:00 Kyiv (EET) · 09:00–15:00 Moscow (MSK)"
# A window always ahead and always in winter: 15 January of next year, 08:00–12:00 Kyiv.
NEXT_WINTER_DAY = datetime.date(datetime.date.today().year + 1, 1, 15)
NEXT_WINTER_WINDOW = {"start": f"{NEXT_WINTER_DAY}T08:00:00", "end": f"{NEXT_WINTER_DAY}T12:00:00",
                      "tz": "Europe/Kyiv"}
NEXT_WINTER_LINE = "06:00–10:00 UTC · 08:00–12:00 Kyiv (EET) · 09:00–13:00 Moscow (MSK)"


def text_of(response) -> str:
    """The page's visible text with whitespace collapsed, for exact comparisons."""
    html = response.content.decode()
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def window_lines(response) -> list[str]:
    """Each window as printed: its readings in UTC and in the parties' clocks."""
    lines = re.findall(
        r'<span class="window-line" data-window>(.*?)</span></span>', response.content.decode()
    )
    return [re.sub(r"<[^>]+>", "", line) for line in lines]


@pytest.fixture
def world():
    people = cast()
    agreed = AgreementFactory(
        code="HP-2026-010", title="Orikhiv aid pause", owner=people.mediator,
        process=people.process, status="agreed", public=True,
        version__windows=[WINDOW, NEXT_WINTER_WINDOW],
    )
    ua_draft = AgreementFactory(
        code="HP-2026-011", title="Ukrainian draft about Kamianske", owner=people.ukraine,
        process=people.process,
    )
    ru_draft = AgreementFactory(
        code="HP-2026-012", title="Russian draft about Enerhodar", owner=people.russia,
        process=people.process,
    )
    return people, {"agreed": agreed, "ua_draft": ua_draft, "ru_draft": ru_draft}


@pytest.mark.parametrize("who", ROLES)
def test_every_role_sees_the_dashboard_calendar_map_and_an_agreed_pause(client, world, who):
    people, agreements = world
    client.force_login(getattr(people, who))

    pages = {
        "dashboard": client.get(reverse("ui:dashboard")),
        "calendar": client.get(reverse("agreements:calendar"),
                               {"start": "2026-03-01", "days": "7"}),
        "map": client.get(reverse("agreements:map")),
        "detail": client.get(reverse("agreements:agreement_detail",
                                     kwargs={"code": "HP-2026-010"})),
    }

    assert {name: page.status_code for name, page in pages.items()} == {
        "dashboard": 200, "calendar": 200, "map": 200, "detail": 200,
    }
    assert window_lines(pages["calendar"]) == [WINDOW_LINE]
    assert window_lines(pages["detail"]) == [NEXT_WINTER_LINE]
    assert "1 window has closed." in text_of(pages["detail"])


def test_the_calendar_shows_the_window_in_utc_kyiv_and_moscow(client, world):
    people, _ = world
    client.force_login(people.observer_user)

    page = client.get(reverse("agreements:calendar"), {"start": "2026-03-01", "days": "1"})

    assert "Sun 1 Mar 2026 " + WINDOW_LINE in text_of(page)


def test_another_partys_draft_is_not_found_by_page_with_its_own_draft_present(client, world):
    people, agreements = world
    client.force_login(people.ru_delegate)
    ua_code = agreements["ua_draft"].code

    detail = client.get(reverse("agreements:agreement_detail", kwargs={"code": ua_code}))
    counter = client.get(reverse("agreements:agreement_counter", kwargs={"code": ua_code}))
    propose = client.post(reverse("agreements:agreement_propose", kwargs={"code": ua_code}))
    own = client.get(reverse("agreements:agreement_detail", kwargs={"code": "HP-2026-012"}))

    assert (detail.status_code, counter.status_code, propose.status_code) == (404, 404, 404)
    assert own.status_code == 200
    assert "Kamianske" not in detail.content.decode()
    assert "It may not exist, or it may belong to another party." in text_of(detail)


@pytest.mark.parametrize("path", ["ui:dashboard", "agreements:calendar", "agreements:map"])
def test_lists_do_not_leak_another_partys_draft(client, world, path):
    people, agreements = world
    client.force_login(people.ru_head)

    page = text_of(client.get(reverse(path), {"start": "2026-03-01"}))
    ua_page_for_ukraine = client.get(reverse(path), {"start": "2026-03-01"})

    assert agreements["ua_draft"].code not in page
    assert "Kamianske" not in page
    assert ua_page_for_ukraine.status_code == 200


def test_the_owner_sees_its_draft_on_the_dashboard_and_may_propose_it(client, world):
    people, agreements = world
    client.force_login(people.ua_delegate)

    page = client.get(reverse("ui:dashboard"))
    detail = client.get(reverse("agreements:agreement_detail", kwargs={"code": "HP-2026-011"}))

    assert "HP-2026-011 Ukrainian draft about Kamianske" in text_of(page)
    assert "Russian draft" not in text_of(page)
    assert 'value="propose"' in detail.content.decode()


def test_pages_need_a_login(client, world):
    response = client.get(reverse("agreements:agreement_detail", kwargs={"code": "HP-2026-010"}))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/agreements/HP-2026-010/"


def test_the_login_page_uses_the_base_layout_and_offers_no_sign_up(client):
    page = client.get(reverse("account_login"))

    assert page.status_code == 200
    assert "Accounts are created by your party's account administrators." in text_of(page)
    assert "sign up" not in text_of(page).lower()


def test_observers_cannot_open_the_propose_form(client, world):
    people, _ = world
    client.force_login(people.observer_user)

    assert client.get(reverse("agreements:agreement_new")).status_code == 404


def test_the_map_page_carries_the_visible_areas_coloured_by_phase(client, world):
    people, _ = world
    client.force_login(people.icrc_liaison)

    page = client.get(reverse("agreements:map"))
    areas = page.context["areas"]

    assert [
        (f["id"], f["properties"]["agreement"], f["properties"]["phase"])
        for f in areas["features"]
    ] == [("C1", "HP-2026-010", "in_force")]


def test_no_inline_script_is_served(client, world):
    people, _ = world
    client.force_login(people.secretariat)

    html = client.get(reverse("agreements:agreement_new")).content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)

    assert [attrs for attrs, body in scripts if body.strip() and "application/json" not in attrs] \
        == []


def test_htmx_gets_only_the_fragment_it_swaps(client, world):
    people, _ = world
    client.force_login(people.ua_head)

    calendar = client.get(reverse("agreements:calendar"), {"start": "2026-03-01", "days": "1"},
                          headers={"HX-Request": "true"})
    dashboard = client.get(reverse("ui:dashboard"), headers={"HX-Request": "true"})

    assert calendar.content.decode().lstrip().startswith('<section id="timeline" class="card">')
    assert window_lines(calendar) == [WINDOW_LINE]
    # A party's dashboard opens with what awaits its consent.
    assert dashboard.content.decode().lstrip().startswith(
        '<section class="card" id="consent-panel"')
    assert "<html" not in dashboard.content.decode()


def test_the_audit_trail_names_each_step(client, world):
    people, _ = world
    agreement = AgreementFactory(code="HP-2026-030", owner=people.mediator,
                                 process=people.process)
    client.force_login(people.secretariat)
    client.post(reverse("agreements:agreement_propose", kwargs={"code": agreement.code}))

    page = client.get(reverse("agreements:agreement_detail", kwargs={"code": agreement.code}))

    assert [row["entry"].action for row in page.context["audit"]] == ["agreement.propose"]
    assert "secretariat (Switzerland) proposed (Draft → Proposed)" in text_of(page)


@pytest.mark.parametrize(
    ("language", "heading", "kyiv"),
    [("uk", "Календар пауз", "Київ"), ("ru", "Календарь пауз", "Киев")],
)
def test_the_calendar_speaks_ukrainian_and_russian(client, world, language, heading, kyiv):
    people, _ = world
    client.force_login(people.ua_head)
    client.cookies["django_language"] = language

    page = client.get(reverse("agreements:calendar"), {"start": "2026-03-01", "days": "1"})

    assert f"<h1>{heading}</h1>" in page.content.decode()
    # The axis is named by the reader's clock, in the reader's language.
    assert (f'<div class="lane lane-axis" data-axis="Europe/Kyiv">\n      '
            f'<div class="lane-label"><strong>{kyiv}</strong></div>') in page.content.decode()
    assert window_lines(page) == [WINDOW_LINE.replace("Kyiv", kyiv).replace(
        "Moscow", "Москва")]


def test_a_daily_kyiv_pause_is_shown_right_across_the_spring_clock_change(client, world):
    people, _ = world
    AgreementFactory(
        code="HP-2027-001", owner=people.mediator, process=people.process, status="agreed",
        version__windows=[{"rrule": "FREQ=DAILY;COUNT=3", "dtstart": "2027-03-27T10:00:00",
                           "tz": "Europe/Kyiv", "duration": "PT4H"}],
    )
    client.force_login(people.ru_head)

    page = client.get(reverse("agreements:calendar"), {"start": "2027-03-27", "days": "3"})

    assert window_lines(page) == [
        "08:00–12:00 UTC · 10:00–14:00 Kyiv (EET) · 11:00–15:00 Moscow (MSK)",
        "07:00–11:00 UTC · 10:00–14:00 Kyiv (EEST) · 10:00–14:00 Moscow (MSK)",
        "07:00–11:00 UTC · 10:00–14:00 Kyiv (EEST) · 10:00–14:00 Moscow (MSK)",
    ]


def test_a_calendar_range_it_cannot_read_falls_back_to_two_weeks_from_today(client, world):
    people, _ = world
    client.force_login(people.ua_head)

    page = client.get(reverse("agreements:calendar"), {"start": "next tuesday", "days": "1000"})

    days = re.findall(r'<div class="calendar-day[^"]*" data-day="([0-9-]+)"', page.content.decode())
    today_in_kyiv = datetime.datetime.now(ZoneInfo("Europe/Kyiv")).date().isoformat()
    assert page.status_code == 200
    assert (len(days), days[0]) == (14, today_in_kyiv)
