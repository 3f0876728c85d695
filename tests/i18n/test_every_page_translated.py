"""Every page renders complete in Ukrainian and Russian (issue 12): the demo is loaded once, each
of its people walks every page reachable from the dashboard (one address per route), and the text
a reader sees (and the labels of fields and buttons) may hold no English word that is not a name.

Names are what the demo's people typed (titles, notes, places in the data: every text stored in
the database) and the few words of the allowlist below (units, formats, standards). A word that
remains is a string of the interface that is not translated, or a raw code shown to a reader."""

import io
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit
from zoneinfo import available_timezones

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client, override_settings
from django.urls import Resolver404, resolve

from parley import demo
from parley.core.models import User
from parley.exchanges.crypto import unseal
from parley.exchanges.models import Person
from tests.conftest import TEST_IDENTITY_KEY

pytestmark = [pytest.mark.integration]

READERS = ["secretariat", "ua-head", "ru-delegate", "wfp", "monitor", "observer"]
LANGUAGES = ["uk", "ru"]
# Words that are names in every language: standards, formats, units, products, codes.
ALLOWED = {
    "utc",
    "gmt",
    "iso",
    "csv",
    "xlsx",
    "pdf",
    "kml",
    "cap",
    "hxl",
    "json",
    "geojson",
    # GeoJSON's geometry and object types, named as the format spells them
    "linestring",
    "multilinestring",
    "featurecollection",
    "feature",
    "ical",
    "ics",
    "api",
    "url",
    "http",
    "https",
    "webcal",
    "rrule",
    "iana",
    "acled",
    "firms",
    "nasa",
    "osm",
    "openstreetmap",
    "leaflet",
    "parley",
    "wgs",
    "epsg",
    "sha",
    "ed25519",
    "totp",
    "id",
    "km",
    "utc+",
    "ok",
    "icrc",
    "wfp",
    "unhcr",
    "osce",
    "un",
    "ohchr",
    "htmx",
    "svg",
    "png",
    "md",
    "xml",
    "oasis",
    "rfc",
    "gc",
    "iii",
    "pow",
    "webauthn",
    "mfa",
    "tls",
    "europe",
    "asia",
    "america",
    "kyiv",
    "moscow",
    "new_york",
    "simferopol",
    "zaporozhye",
    "kiev",
    "etc",
    "icalendar",
    "markdown",
    "english",  # a language's own name, in the language picker
    "tab",  # the names printed on keyboard keys
    "enter",
    "escape",
}
# An IANA zone id (Europe/Zurich) is an identifier the reader may type, shown beside its name.
_ZONES = "|".join(re.escape(zone) for zone in sorted(available_timezones(), key=len, reverse=True))
ZONE_ID = re.compile(rf"\b(?:{_ZONES})\b")
ACRONYM = re.compile(r"^[A-Z]{2,5}$")
# `parley text keygen`: a command quoted in a help text, code by the docs' convention.
QUOTED_CODE = re.compile(r"`[^`]*`")
# A word of three letters or more; an apostrophe inside (don't), never at an end ('quoted').
WORD = re.compile(r"[A-Za-z][A-Za-z']+[A-Za-z]")
SKIP_PATHS = (
    "/api/",
    "/admin/",
    "/accounts/logout",
    "/i18n/",
    "/static/",
    "/media/",
    "/metrics",
    "/healthz",
    "/readyz",
)


class TextOf(HTMLParser):
    """The text a reader sees, and the labels of inputs and buttons; not code, not scripts."""

    SKIP = {"script", "style", "code", "pre", "kbd", "samp", "svg", "template"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.chunks: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.SKIP:
            self.depth += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in ("title", "placeholder", "aria-label", "alt"):
            if attrs.get(name):
                self.chunks.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.chunks.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.chunks.append(data)


def stored_words() -> set[str]:
    """Every word of every text stored in the database: what people typed, never the UI."""
    words: set[str] = set()
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list(*fields):
            for value in row:
                if value:
                    words.update(w.lower() for w in WORD.findall(str(value)))
    # The persons of the exchange lists: their identities are stored encrypted.
    for person in Person.objects.all():
        words.update(
            w.lower()
            for value in unseal(person.identity_token).values()
            for w in WORD.findall(str(value))
        )
    return words


def route_key(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the module (the pages only read it) and emptied afterwards."""
    keys = tmp_path_factory.mktemp("keys")
    with (
        override_settings(
            IDENTITY_KEYS=[TEST_IDENTITY_KEY],
            RECORD_KEY_DIR=keys,
            RECORD_LOG_KEY=keys / "log.key",
            RECORD_WITNESS_KEYS=keys / "witnesses",
            RECORD_LOCAL_WITNESSES=keys / "local-witnesses",
            TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        django_db_blocker.unblock(),
    ):
        demo.load(stdout=io.StringIO())
        try:
            yield stored_words()
        finally:
            call_command("flush", interactive=False, verbosity=0)


def crawl(client: Client, language: str, limit: int = 120) -> dict[str, list[str]]:
    """path -> the English words left on it, one page per route."""
    client.cookies["django_language"] = language
    queue, seen_routes, seen_paths, found = ["/"], set(), set(), {}
    while queue and len(seen_paths) < limit:
        path = queue.pop(0)
        if path in seen_paths:
            continue
        seen_paths.add(path)
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = TextOf()
        parser.feed(response.content.decode())
        found[path] = parser.chunks
        for href in parser.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target.startswith(SKIP_PATHS) or target in seen_paths:
                continue
            key = route_key(parts.path)
            if key is None or key in seen_routes:
                continue
            seen_routes.add(key)
            queue.append(target)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("reader", READERS)
def test_every_page_a_reader_reaches_is_in_their_language(demo_world, reader, language):
    client = Client()
    client.force_login(User.objects.get(username=reader))
    pages = crawl(client, language)
    left = {}
    for path, chunks in pages.items():
        words = {
            w
            for chunk in chunks
            for w in WORD.findall(QUOTED_CODE.sub(" ", ZONE_ID.sub(" ", chunk)))
        }
        english = sorted(
            w
            for w in words
            if w.lower() not in demo_world and w.lower() not in ALLOWED and not ACRONYM.match(w)
        )
        if english:
            left[path] = english
    assert len(pages) > 5
    assert left == {}, "\n".join(f"{path}: {' '.join(words)}" for path, words in left.items())
