"""Whatever JSON arrives as areas and windows, the answer is 201 or a 422 naming a field."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.test_api_agreements import create_payload
from tests.factories import CORRIDOR, WINDOW, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "Feature", "FeatureCollection", "LineString", "Polygon", "Point",
                     "2026-03-01T08:00:00Z", "2026-03-01T08:00:00", "Europe/Kyiv", "PT4H",
                     "FREQ=DAILY;COUNT=3"]),
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(
        st.sampled_from(["type", "id", "geometry", "coordinates", "properties", "width_m",
                         "features", "start", "end", "tz", "rrule", "dtstart", "duration",
                         "kind"]),
        children,
        max_size=5,
    ),
    max_leaves=25,
)


@pytest.fixture
def people():
    # Shared by every example of one run: the examples only add drafts, which do not interact.
    return cast()


def mutated_corridor():
    feature = st.fixed_dictionaries(
        {
            "type": st.just("Feature"),
            "id": st.one_of(st.just("C1"), scalars),
            "geometry": st.one_of(
                st.just(CORRIDOR["features"][0]["geometry"]),
                st.fixed_dictionaries(
                    {"type": st.sampled_from(["LineString", "Polygon", "Point", "MultiPolygon"]),
                     "coordinates": json_values}
                ),
            ),
            "properties": st.one_of(st.just({"width_m": 2000}), json_values),
        }
    )
    return st.one_of(
        json_values,
        st.fixed_dictionaries(
            {"type": st.just("FeatureCollection"), "features": st.lists(feature, max_size=3)}
        ),
    )


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    areas=mutated_corridor(),
    windows=st.one_of(st.just([WINDOW]), st.lists(json_values, max_size=3), json_values),
)
def test_random_areas_and_windows_never_crash_the_api(client, people, areas, windows):
    client.force_login(people.ua_delegate)

    response = client.post(
        "/api/agreements",
        data=create_payload(people, areas=areas, windows=windows),
        content_type="application/json",
    )

    assert response.status_code in (201, 422)
    if response.status_code == 422:
        assert all(isinstance(d["message"], str) for d in response.json()["detail"])
