"""Zone names in the reader's language: the parties' zones from Parley's catalogue, every other
zone's city from the Unicode CLDR; the zone picker shows the name beside the IANA id."""

import pytest
from django.utils import translation

from parley.ui.clock import zone_name
from parley.ui.forms import ZoneSelect


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ["Kyiv", "Rome", "New York", "UTC"]),
    ("uk", ["Київ", "Рим", "Нью-Йорк", "UTC"]),
    ("ru", ["Киев", "Рим", "Нью-Йорк", "UTC"]),
])
def test_a_zone_is_named_in_the_readers_language(language, expected):
    with translation.override(language):
        names = [zone_name(z) for z in ("Europe/Kyiv", "Europe/Rome", "America/New_York", "UTC")]
    assert names == expected


def test_the_picker_names_every_zone_beside_its_id_in_ukrainian():
    with translation.override("uk"):
        html = ZoneSelect().render("zone", "Europe/Rome")
    assert '<option value="Europe/Rome" selected>Рим (Europe/Rome)</option>' in html
    assert ">Київ (Europe/Kyiv)</option>" in html
