"""The propose and counter forms: bad input comes back on the field, row or feature it concerns."""

import json
import re
from datetime import date, datetime, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parley.agreements.models import Agreement
from tests.factories import CORRIDOR, AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

BOWTIE = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "id": "P1",
         "geometry": {"type": "Polygon", "coordinates": [
             [[35.0, 47.0], [35.2, 47.2], [35.2, 47.0], [35.0, 47.2], [35.0, 47.0]]]},
         "properties": {}},
    ],
}
SWAPPED_AND_WIDTHLESS = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "id": "C9",
         "geometry": {"type": "LineString", "coordinates": [[47.84, 135.14], [47.44, 135.28]]},
         "properties": {"width_m": 2000}},
        {"type": "Feature", "id": "S2",
         "geometry": {"type": "Point", "coordinates": [34.5858, 47.5119]},
         "properties": {}},
    ],
}


def errors_for(response, field: str) -> list[str]:
    html = response.content.decode()
    block = re.search(
        rf'<ul class="errorlist" data-errors-for="{re.escape(field)}"[^>]*>(.*?)</ul>', html, re.S
    )
    return re.findall(r"<li>(.*?)</li>", block.group(1), re.S) if block else []


def propose_data(people, **overrides) -> dict:
    data = {
        "title": "Evacuation corridor Zaporizhzhia–Vasylivka",
        "kind": "pause",
        "purpose": "evacuation",
        "process": str(people.process.pk),
        "round": str(people.day1.pk),
        "bound_parties": [str(people.ukraine.pk), str(people.russia.pk)],
        "areas": json.dumps(CORRIDOR),
        "corridor_width": "2000",
        "lead_time_h": "24",
        "margin_min": "30",
        "who_may_move": "Civilians",
        "note": "",
        "windows-TOTAL_FORMS": "1",
        "windows-INITIAL_FORMS": "0",
        "windows-MIN_NUM_FORMS": "0",
        "windows-MAX_NUM_FORMS": "50",
        "windows-0-kind": "once",
        "windows-0-tz": "Europe/Kyiv",
        "windows-0-start": "2026-03-01T08:00",
        "windows-0-end": "2026-03-01T14:00",
        "windows-0-rrule": "",
        "windows-0-duration": "",
        "windows-0-original": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def people():
    return cast()


def test_a_valid_proposal_is_saved_as_a_draft_of_the_secretariat(client, people):
    client.force_login(people.secretariat)

    response = client.post(reverse("agreements:agreement_new"), propose_data(people))

    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/agreements/{agreement.code}/"
    assert (agreement.status, agreement.owner, agreement.current_version.windows) == (
        "draft",
        people.mediator,
        [{"start": "2026-03-01T08:00:00", "end": "2026-03-01T14:00:00", "tz": "Europe/Kyiv"}],
    )


def test_missing_title_and_parties_are_named_together_with_bad_areas(client, people):
    client.force_login(people.secretariat)

    response = client.post(
        reverse("agreements:agreement_new"),
        propose_data(people, title="", bound_parties=[], areas=json.dumps(BOWTIE)),
    )

    assert response.status_code == 200
    assert errors_for(response, "title") == ["Give the agreement a title."]
    assert errors_for(response, "bound_parties") == ["Name the parties the agreement binds."]
    assert [error[:11] for error in errors_for(response, "areas")] == ["Feature P1,"]
    assert Agreement.objects.count() == 0


def test_invalid_json_names_the_line_and_column(client, people):
    client.force_login(people.secretariat)

    response = client.post(
        reverse("agreements:agreement_new"),
        propose_data(people, areas='{"type": "FeatureCollection",'),
    )

    assert errors_for(response, "areas") == [
        "This is not valid JSON: line 1, column 30: Expecting property name enclosed in double "
        "quotes."
    ]


def test_bad_areas_are_reported_per_feature(client, people):
    client.force_login(people.secretariat)

    url = reverse("agreements:agreement_new")
    bowtie = client.post(url, propose_data(people, areas=json.dumps(BOWTIE)))
    swapped = client.post(url, propose_data(people, areas=json.dumps(SWAPPED_AND_WIDTHLESS)))

    def features(errors):
        return [re.match(r"Feature (\w+)", error).group(1) for error in errors]

    assert features(errors_for(bowtie, "areas")) == ["P1"]
    assert "self-intersecting" in errors_for(bowtie, "areas")[0]
    assert features(errors_for(swapped, "areas")) == ["C9", "S2"]
    assert Agreement.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"kind": "recurring", "rrule": "FREQ=SOMETIMES", "duration": "PT4H"}, "rrule", None),
        ({"kind": "recurring", "rrule": "FREQ=DAILY;COUNT=3", "duration": "4 hours"}, "duration",
         "must be an ISO 8601 duration such as PT4H (4 hours)"),
        ({"tz": "Europe/Atlantis"}, "tz", "is not a known IANA time zone (Europe/Atlantis)"),
        ({"end": "2026-03-02T07:00"}, "end", "must be later than start"),
    ],
)
def test_window_errors_land_on_the_row_and_field_they_concern(client, people, row, field,
                                                               message):
    client.force_login(people.secretariat)
    second = {"kind": "once", "tz": "Europe/Kyiv", "start": "2026-03-02T08:00",
              "end": "2026-03-02T09:00", "rrule": "", "duration": "", "original": "", **row}
    data = propose_data(
        people,
        **{"windows-TOTAL_FORMS": "2"},
        **{f"windows-1-{name}": value for name, value in second.items()},
    )

    response = client.post(reverse("agreements:agreement_new"), data)

    assert response.status_code == 200
    assert errors_for(response, "windows-0-start") == []
    errors = errors_for(response, f"windows-1-{field}")
    assert len(errors) == 1
    if message is not None:
        assert errors == [message]


def test_a_one_off_window_without_end_is_named(client, people):
    client.force_login(people.secretariat)

    response = client.post(
        reverse("agreements:agreement_new"), propose_data(people, **{"windows-0-end": ""})
    )

    assert errors_for(response, "windows-0-end") == ["Give the end of the window."]


def test_windows_may_come_with_the_pasted_areas(client, people):
    client.force_login(people.secretariat)
    areas = json.loads(json.dumps(CORRIDOR))
    areas["features"][0]["properties"]["windows"] = [
        {"start": "2026-03-01T06:00:00Z", "end": "2026-03-01T12:00:00Z"}
    ]
    data = propose_data(
        people, areas=json.dumps(areas), **{"windows-0-start": "", "windows-0-end": ""}
    )

    response = client.post(reverse("agreements:agreement_new"), data)

    assert response.status_code == 302
    assert Agreement.objects.get().current_version.windows == [
        {"start": "2026-03-01T06:00:00Z", "end": "2026-03-01T12:00:00Z"}
    ]


def test_the_counter_form_is_prefilled_from_the_current_version(client, people):
    AgreementFactory(code="HP-2026-020", owner=people.mediator, process=people.process,
                     status="proposed")
    client.force_login(people.ru_delegate)

    page = client.get(reverse("agreements:agreement_counter", kwargs={"code": "HP-2026-020"}))

    row = page.context["windows"].forms[0]
    assert json.loads(page.context["form"].initial["areas"]) == CORRIDOR
    assert (row.initial["kind"], row.initial["tz"], row.initial["start"].isoformat(),
            row.initial["end"].isoformat()) == (
        "once", "Europe/Moscow", "2026-03-01T09:00:00", "2026-03-01T15:00:00"
    )


def _counter_data(page, **overrides) -> dict:
    form, windows = page.context["form"], page.context["windows"]
    data = {
        "version": str(form.initial["version"]),
        "areas": form.initial["areas"],
        "corridor_width": "2000",
        "lead_time_h": str(form.initial["lead_time_h"]),
        "margin_min": str(form.initial["margin_min"]),
        "who_may_move": form.initial["who_may_move"],
        "note": "",
        "windows-TOTAL_FORMS": str(len(windows.forms)),
        "windows-INITIAL_FORMS": str(windows.initial_form_count()),
        "windows-MIN_NUM_FORMS": "0",
        "windows-MAX_NUM_FORMS": "50",
    }
    for index, row in enumerate(windows.forms):
        for name, field in row.fields.items():
            value = row.initial.get(name, field.initial)
            if value is None:
                continue
            if isinstance(value, datetime):
                value = value.strftime("%Y-%m-%dT%H:%M")
            elif isinstance(value, time):
                value = value.strftime("%H:%M")
            elif isinstance(value, date):
                value = value.isoformat()
            data[f"windows-{index}-{name}"] = value if isinstance(value, list) else str(value)
    data.update(overrides)
    return data


def test_an_unchanged_counter_is_refused_and_a_changed_one_is_a_new_version(client, people):
    AgreementFactory(code="HP-2026-021", owner=people.mediator, process=people.process,
                     status="proposed")
    client.force_login(people.ru_delegate)
    url = reverse("agreements:agreement_counter", kwargs={"code": "HP-2026-021"})
    page = client.get(url)

    unchanged = client.post(url, _counter_data(page))
    changed = client.post(url, _counter_data(page, **{"windows-0-end": "2026-03-01T13:00"}))

    agreement = Agreement.objects.get(code="HP-2026-021")
    assert unchanged.status_code == 200
    assert unchanged.context["form"].non_field_errors() == [
        "A counter-proposal must change the areas, the windows or the conditions."
    ]
    assert changed.status_code == 302
    assert (agreement.status, agreement.current_version.number,
            agreement.current_version.windows) == (
        "countered", 2,
        [{"start": "2026-03-01T09:00:00", "end": "2026-03-01T13:00:00", "tz": "Europe/Moscow"}],
    )


def test_propose_then_both_heads_consent_from_the_detail_page(client, people):
    AgreementFactory(code="HP-2026-022", owner=people.mediator, process=people.process)
    detail = reverse("agreements:agreement_detail", kwargs={"code": "HP-2026-022"})

    client.force_login(people.secretariat)
    client.post(reverse("agreements:agreement_propose", kwargs={"code": "HP-2026-022"}))
    client.force_login(people.ua_head)
    client.post(reverse("agreements:agreement_consent", kwargs={"code": "HP-2026-022"}),
                {"version": 1})
    client.force_login(people.ru_head)
    last = client.post(reverse("agreements:agreement_consent", kwargs={"code": "HP-2026-022"}),
                       {"version": 1}, follow=True)

    assert last.redirect_chain == [(detail, 302)]
    assert Agreement.objects.get(code="HP-2026-022").status == "agreed"
    assert [str(m) for m in last.context["messages"]][-1] == (
        "Your party's consent to HP-2026-022 is recorded."
    )


def test_a_delegate_cannot_consent_and_sees_why(client, people):
    AgreementFactory(code="HP-2026-023", owner=people.mediator, process=people.process,
                     status="proposed")
    client.force_login(people.ua_delegate)

    response = client.post(
        reverse("agreements:agreement_consent", kwargs={"code": "HP-2026-023"}), {"version": 1}
    )

    assert response.status_code == 403
    assert Agreement.objects.get(code="HP-2026-023").status == "proposed"


def test_suspending_needs_a_reason(client, people):
    AgreementFactory(code="HP-2026-024", owner=people.mediator, process=people.process,
                     status="agreed")
    client.force_login(people.secretariat)
    url = reverse("agreements:agreement_suspend", kwargs={"code": "HP-2026-024"})

    empty = client.post(url, {"reason": ""}, follow=True)
    given = client.post(url, {"reason": "Shelling reported near Vasylivka"}, follow=True)

    assert [str(m) for m in empty.context["messages"]] == ["Reason: This field is required."]
    agreement = Agreement.objects.get(code="HP-2026-024")
    assert (agreement.status, agreement.status_reason) == (
        "suspended", "Shelling reported near Vasylivka"
    )
    assert [str(m) for m in given.context["messages"]] == ["HP-2026-024 is suspended."]


def test_an_uploaded_geojson_file_takes_the_place_of_the_textarea(client, people):
    client.force_login(people.ua_delegate)
    upload = SimpleUploadedFile(
        "corridor.geojson", json.dumps(CORRIDOR).encode(), content_type="application/geo+json"
    )

    response = client.post(
        reverse("agreements:agreement_new"),
        {**propose_data(people, areas=""), "areas_file": upload},
    )

    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert (agreement.owner, agreement.current_version.areas) == (people.ukraine, CORRIDOR)


def test_an_uploaded_file_that_is_not_json_is_named(client, people):
    client.force_login(people.ua_delegate)
    upload = SimpleUploadedFile("corridor.kml", b"<kml></kml>")

    response = client.post(
        reverse("agreements:agreement_new"),
        {**propose_data(people, areas=""), "areas_file": upload},
    )

    assert [error.split(":")[0] for error in errors_for(response, "areas_file")] == [
        "This file is not GeoJSON text"
    ]


def test_a_daily_rule_comes_back_in_the_builder_and_can_be_lengthened(client, people):
    daily = {"rrule": "FREQ=DAILY;COUNT=7", "dtstart": "2027-03-25T10:00:00",
             "tz": "Europe/Kyiv", "duration": "PT4H"}
    AgreementFactory(code="HP-2026-025", owner=people.mediator, process=people.process,
                     status="proposed", version__windows=[daily])
    client.force_login(people.ua_delegate)
    url = reverse("agreements:agreement_counter", kwargs={"code": "HP-2026-025"})
    page = client.get(url)
    row = page.context["windows"].forms[0]

    response = client.post(url, _counter_data(page, **{"windows-0-to_time": "15:00"}))

    assert {name: row.initial[name] for name in ("kind", "tz", "first_day", "last_day",
                                                 "from_time", "to_time")} == {
        "kind": "daily", "tz": "Europe/Kyiv", "first_day": date(2027, 3, 25),
        "last_day": date(2027, 3, 31), "from_time": time(10, 0), "to_time": time(14, 0)}
    assert response.status_code == 302
    # The last day's 10:00 in Kyiv is 07:00 UTC: summer time began on 28 March.
    assert Agreement.objects.get(code="HP-2026-025").current_version.windows == [
        {"rrule": "FREQ=DAILY;UNTIL=20270331T070000Z", "dtstart": "2027-03-25T10:00:00",
         "tz": "Europe/Kyiv", "duration": "PT5H"}
    ]


def test_a_rule_beyond_the_builder_stays_a_custom_rrule(client, people):
    monthly = {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1;COUNT=3", "dtstart": "2027-03-01T10:00:00",
               "tz": "Europe/Kyiv", "duration": "PT4H"}
    AgreementFactory(code="HP-2026-026", owner=people.mediator, process=people.process,
                     status="proposed", version__windows=[monthly])
    client.force_login(people.ua_delegate)
    url = reverse("agreements:agreement_counter", kwargs={"code": "HP-2026-026"})
    page = client.get(url)
    row = page.context["windows"].forms[0]

    response = client.post(url, _counter_data(page, **{"windows-0-duration": "PT5H"}))

    assert (row.initial["kind"], row.initial["rrule"]) == ("recurring", monthly["rrule"])
    assert response.status_code == 302
    assert Agreement.objects.get(code="HP-2026-026").current_version.windows == [
        {**monthly, "duration": "PT5H"}
    ]


@pytest.mark.parametrize(("builder", "expected"), [
    ({"kind": "weekdays", "first_day": "2026-12-07", "last_day": "2026-12-18",
      "from_time": "10:00", "to_time": "14:00"},
     [{"rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261218T080000Z",
       "dtstart": "2026-12-07T10:00:00", "tz": "Europe/Kyiv", "duration": "PT4H"}]),
    ({"kind": "days", "days": ["SA", "TU"], "first_day": "2026-12-07", "last_day": "2026-12-31",
      "from_time": "22:00", "to_time": "02:00"},
     [{"rrule": "FREQ=WEEKLY;BYDAY=TU,SA;UNTIL=20261231T200000Z",
       "dtstart": "2026-12-07T22:00:00", "tz": "Europe/Kyiv", "duration": "PT4H"}]),
    ({"kind": "dates", "dates": "2026-12-09, 2026-12-05", "from_time": "10:00",
      "to_time": "14:30"},
     [{"start": "2026-12-05T10:00:00", "end": "2026-12-05T14:30:00", "tz": "Europe/Kyiv"},
      {"start": "2026-12-09T10:00:00", "end": "2026-12-09T14:30:00", "tz": "Europe/Kyiv"}]),
])
def test_the_recurrence_builder_writes_the_window_objects(client, people, builder, expected):
    client.force_login(people.ua_delegate)
    data = {**propose_data(people), "windows-0-tz": "Europe/Kyiv", "windows-0-start": "",
            "windows-0-end": "", **{f"windows-0-{key}": value for key, value in builder.items()}}

    response = client.post(reverse("agreements:agreement_new"), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Agreement.objects.get().current_version.windows == expected


def test_the_builder_names_missing_days_and_times(client, people):
    client.force_login(people.ua_delegate)
    data = {**propose_data(people), "windows-0-kind": "days", "windows-0-start": "",
            "windows-0-end": "", "windows-0-first_day": "2026-12-10",
            "windows-0-last_day": "2026-12-07"}

    response = client.post(reverse("agreements:agreement_new"), data)

    assert response.status_code == 200
    assert errors_for(response, "windows-0-last_day") == ["The last day is before the first day."]
    assert errors_for(response, "windows-0-days") == ["Choose at least one day of the week."]
    assert errors_for(response, "windows-0-from_time") == ["Give the clock time."]


def test_errors_come_back_in_the_readers_language(client, people):
    client.force_login(people.secretariat)
    client.cookies["django_language"] = "uk"

    response = client.post(
        reverse("agreements:agreement_new"),
        propose_data(people, title="", **{"windows-0-tz": "Europe/Atlantis"}),
    )

    assert errors_for(response, "title") == ["Дайте угоді назву."]
    assert errors_for(response, "windows-0-tz") == [
        "не є відомим часовим поясом IANA (Europe/Atlantis)"
    ]
