"""The calendar: one lane per agreement the reader may see, an axis on the reader's clock with
UTC beside it, and the clock-change days of the reader's and the parties' zones marked."""

import re

import pytest
from django.urls import reverse

from tests.factories import AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

# 1 March 2026, 08:00–14:00 Kyiv (winter, UTC+2): 06:00–12:00 UTC.
WINDOW = {"start": "2026-03-01T08:00:00+02:00", "end": "2026-03-01T14:00:00+02:00"}
# Overlapping it: 11:00–16:00 Kyiv.
OVERLAPPING = {"start": "2026-03-01T11:00:00+02:00", "end": "2026-03-01T16:00:00+02:00"}


def calendar(client, user, **query):
    client.force_login(user)
    return client.get(reverse("agreements:calendar"), query).content.decode()


def lanes(html: str) -> list[str]:
    return re.findall(r'<div class="lane" data-lane="([^"]+)">', html)


def bars(html: str, code: str) -> list[tuple[str, str, str]]:
    lane = re.split(r'<div class="lane[ "]', html.split(f'data-lane="{code}"', 1)[1], maxsplit=1)[0]
    return re.findall(
        r'class="timeline-bar phase-\w+" style="left: ([0-9.]+)%; width: ([0-9.]+)%" '
        r'title="([^"]+)"', lane)


def axis(html: str, zone: str) -> list[str]:
    row = re.split(r'<div class="lane[ "]', html.split(f'data-axis="{zone}"', 1)[1], maxsplit=1)[0]
    return re.findall(r'<span class="axis-tick[^"]*" style="[^"]+">([^<]+)</span>', row)


def clock_changes(html: str) -> list[str]:
    items = re.findall(r'<li data-clock-change="[^"]+">(.*?)</li>', html, flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip() for item in items]


@pytest.fixture
def world():
    people = cast()
    for code, title, window, public in (
            ("HP-2026-010", "Orikhiv aid pause", WINDOW, True),
            ("HP-2026-013", "Vasylivka evacuation", OVERLAPPING, False)):
        AgreementFactory(code=code, title=title, owner=people.mediator, process=people.process,
                         status="agreed", public=public, version__windows=[window])
    AgreementFactory(code="HP-2026-011", title="Ukrainian draft about Kamianske",
                     owner=people.ukraine, process=people.process, version__windows=[WINDOW])
    AgreementFactory(code="HP-2026-012", title="Russian draft about Enerhodar",
                     owner=people.russia, process=people.process, version__windows=[WINDOW])
    return people


def test_overlapping_windows_of_two_agreements_each_have_their_own_lane(client, world):
    html = calendar(client, world.ua_head, start="2026-03-01", days="1")

    assert lanes(html) == ["HP-2026-010", "HP-2026-013"]
    assert '<strong>HP-2026-013</strong> <span class="lane-title">Vasylivka evacuation</span>' \
        in html
    # A Kyiv day from 00:00 to 24:00: 08:00 is a third of it, six hours a quarter.
    assert bars(html, "HP-2026-010") == [
        ("33.333", "25.0", "HP-2026-010 · 1 Mar 08:00–14:00 Kyiv · 06:00–12:00 UTC")]
    assert bars(html, "HP-2026-013") == [
        ("45.833", "20.833", "HP-2026-013 · 1 Mar 11:00–16:00 Kyiv · 09:00–14:00 UTC")]


def test_another_partys_draft_gets_no_lane(client, world):
    for_russia = calendar(client, world.ru_head, start="2026-03-01", days="1")
    for_observer = calendar(client, world.observer_user, start="2026-03-01", days="1")

    assert lanes(for_russia) == ["HP-2026-010", "HP-2026-013"]
    assert "HP-2026-011" not in for_russia
    assert "Kamianske" not in for_russia
    # An observer sees the public pause only.
    assert lanes(for_observer) == ["HP-2026-010"]


def test_the_axis_reads_the_readers_clock_with_utc_beside_it(client, world):
    in_kyiv = calendar(client, world.ua_head, start="2026-03-01", days="1")
    in_moscow = calendar(client, world.ru_head, start="2026-03-01", days="1")

    # Kyiv's day 1 March runs from 28 Feb 22:00 UTC: the UTC row (a tick every 3 hours) names
    # 1 Mar at its midnight, two hours into Kyiv's day.
    assert axis(in_kyiv, "Europe/Kyiv") == [f"{hour:02d}" for hour in range(1, 24)]
    assert axis(in_kyiv, "UTC") == ["1 Mar", "03", "06", "09", "12", "15", "18", "21"]
    assert 'class="axis-tick axis-midnight" style="left: 8.333%">1 Mar<' in in_kyiv
    assert '<div class="lane-label"><strong>Kyiv</strong></div>' in in_kyiv
    assert 'data-day="2026-03-01"' in in_kyiv
    # Moscow's day starts at 21:00 UTC; the same window is 09:00–15:00 there.
    assert axis(in_moscow, "UTC")[:3] == ["21", "1 Mar", "03"]
    assert bars(in_moscow, "HP-2026-010")[0][2] == \
        "HP-2026-010 · 1 Mar 09:00–15:00 Moscow · 06:00–12:00 UTC"


@pytest.mark.parametrize(("start", "day", "hours", "change"), [
    ("2026-03-28", "2026-03-29", "23",
     "Sun 29 Mar 2026 01:00 UTC · Kyiv: clocks go forward from 03:00 to 04:00 (EET → EEST); "
     "the day is 23 h long."),
    ("2026-10-24", "2026-10-25", "25",
     "Sun 25 Oct 2026 01:00 UTC · Kyiv: clocks go back from 04:00 to 03:00 (EEST → EET); "
     "the day is 25 h long."),
])
def test_a_kyiv_clock_change_day_is_marked_with_its_length(client, world, start, day, hours,
                                                            change):
    AgreementFactory(code="HP-2026-020", owner=world.mediator, process=world.process,
                     status="agreed",
                     version__windows=[{"rrule": "FREQ=DAILY;COUNT=3",
                                        "dtstart": f"{start}T10:00:00", "tz": "Europe/Kyiv",
                                        "duration": "PT4H"}])

    in_kyiv = calendar(client, world.ua_head, start=start, days="3")
    in_moscow = calendar(client, world.ru_head, start=start, days="3")

    assert re.findall(r'class="calendar-day clock-change-day" data-day="([0-9-]+)"', in_kyiv) \
        == [day]
    assert f'<strong class="day-hours" data-hours="{hours}">{hours} h</strong>' in in_kyiv
    assert clock_changes(in_kyiv) == [change]
    # Kyiv's axis skips the hour the clocks jump over and shows twice the one they repeat.
    kyiv_ticks = axis(in_kyiv, "Europe/Kyiv")
    assert kyiv_ticks.count("03") == (4 if hours == "25" else 2)  # one a day, three days
    # Moscow keeps its clock: its days stay 24 hours, but Ukraine, bound by the pause, changes.
    assert "clock-change-day" not in in_moscow
    assert clock_changes(in_moscow) == [change]
    assert 'data-clock-change="Europe/Kyiv" style="left:' in in_moscow
    assert lanes(in_kyiv) == ["HP-2026-020"]
    assert len(bars(in_kyiv, "HP-2026-020")) == 3


def test_days_without_a_clock_change_mark_none(client, world):
    html = calendar(client, world.ua_head, start="2026-03-01", days="7")

    assert clock_changes(html) == []
    assert "clock-change-day" not in html
