"""Isolation that fails closed: every page and every API operation, generated from the URL
configuration and the OpenAPI description, probed as Ukraine, Russia, an observer and nobody.

The world (`seed.py`) gives each party confidential objects whose texts carry unique markers.
For every route, each viewer asks for it with the other party's hidden objects, with an object
it may see and with one that does not exist; the answers (pages, JSON, CSV, GeoJSON, KML, iCal,
CAP, PDF, ZIP members, headers, error pages) must carry no marker the viewer may not read, a
hidden object must answer exactly as a missing one, and nothing may answer 500. A route or an
operation without a declaration in `declarations.py` fails `test_every_route_declares_*`.
"""

import io
import re
import zipfile
import zlib
from functools import cache

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.isolation import declarations, seed

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

# The kinds of object a URL parameter names, with a value of the same shape that names nothing.
KINDS = {
    "agreement": "HP-2026-998",
    "movement": "WFP-2026-998",
    "site": "WFP-S998",
    "hazard": "HZ-9998",
    "event": "EV-2026-9998",
    "exchange": "PX-2026-998",
    "import": 999998,
    "evidence": 999998,
    "process": 999998,
    "round": 999998,
    "agenda_item": 999998,
    "text": 999998,
    "commitment": 999998,
    "position": 999998,
    "person_list": 999998,
    "person": 999998,
    "reconciliation": 999998,
    "pair": 999998,
    "record_entry": 999998,
    "token": 999998,
    "webhook": 999998,
    "user": 999998,
    "feed": 999998,
}
SKIP_NAMES = {None}  # patterns without a name cannot be reversed or declared by name
# The record is a transparency log: every entry's number and commitment are public by design
# (the tree's size is in every checkpoint); what a hidden entry may not show is its content.
EXISTENCE_IS_PUBLIC = {"record_entry"}

# Findings another helper fixes (the history rule); their probes are expected to fail until then.
XFAIL: dict[str, str] = {}


# -- the routes ------------------------------------------------------------------------------


def _walk(resolver, prefix="", namespace=None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part) or None
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name, namespace


@cache
def url_patterns() -> list[tuple[str, str, str | None]]:
    return list(_walk(get_resolver()))


@cache
def openapi() -> dict:
    return Client().get("/api/openapi.json").json()


@cache
def operations() -> dict[str, tuple[str, str]]:
    """operationId -> (method, path) of every operation the OpenAPI description lists."""
    found = {}
    for path, methods in openapi()["paths"].items():
        for method, operation in methods.items():
            found[operation["operationId"]] = (method.upper(), path)
    return found


def _page_names() -> list[str]:
    names = []
    for _route, name, namespace in url_patterns():
        if namespace in declarations.NAMESPACES or name in SKIP_NAMES:
            continue
        if name.startswith("api:") and name not in declarations.PAGES:
            continue  # an operation: declared by its operation id
        if name not in names:
            names.append(name)
    return names


def test_every_route_declares_its_visibility():
    undeclared = [name for name in _page_names() if name not in declarations.PAGES]
    unnamed = [
        route
        for route, name, namespace in url_patterns()
        if name is None and namespace not in declarations.NAMESPACES
    ]
    bad = {
        name: rule.visibility
        for name, rule in declarations.PAGES.items()
        if rule.visibility not in declarations.VISIBILITIES
    }
    assert not undeclared, (
        f"These URL names declare no visibility rule: {undeclared}. Add each to PAGES in "
        "tests/isolation/declarations.py with one of "
        f"{sorted(declarations.VISIBILITIES)} and the kinds of its URL parameters."
    )
    assert not unnamed, f"Give these URL patterns a name and declare it: {unnamed}"
    assert not bad, f"Unknown visibility rules: {bad}"
    stale = sorted(set(declarations.PAGES) - set(_page_names()))
    assert not stale, f"Declared pages that no longer exist (remove them): {stale}"


def test_every_operation_declares_its_visibility():
    undeclared = sorted(set(operations()) - set(declarations.OPERATIONS))
    assert not undeclared, (
        f"These OpenAPI operations declare no visibility rule: {undeclared}. Add each to "
        "OPERATIONS in tests/isolation/declarations.py with one of "
        f"{sorted(declarations.VISIBILITIES)} and the kinds of its path parameters."
    )
    stale = sorted(set(declarations.OPERATIONS) - set(operations()))
    assert not stale, f"Declared operations that no longer exist (remove them): {stale}"
    bad = {
        op: rule.visibility
        for op, rule in declarations.OPERATIONS.items()
        if rule.visibility not in declarations.VISIBILITIES
    }
    assert not bad, f"Unknown visibility rules: {bad}"


def test_every_api_url_is_an_operation_of_the_description():
    """The API's URL patterns and the OpenAPI paths are the same set: no operation escapes the
    declarations by being left out of the description."""
    described = {re.sub(r"\{(\w+)\}", r"<\1>", path) for _m, path in operations().values()}
    routes = {
        "/" + route
        for route, name, _ns in url_patterns()
        if name and name.startswith("api:") and name not in declarations.PAGES
    }
    assert routes <= described, f"API routes missing from the description: {routes - described}"


# -- reading an answer -----------------------------------------------------------------------


def _texts(response) -> str:
    """Everything a reader gets: headers that name things, the body, a ZIP's (XLSX, DOCX)
    members, a PDF's deflated streams."""
    parts = [response.get("Location", ""), response.get("Content-Disposition", "")]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    parts.append(body.decode("utf-8", "replace"))
    if body[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                parts += [
                    archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                ]
        except zipfile.BadZipFile:
            pass
    if body[:4] == b"%PDF":
        for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S):
            try:
                parts.append(zlib.decompress(stream).decode("latin-1"))
            except zlib.error:
                parts.append(stream.decode("latin-1"))
    return "\n".join(parts)


def _leaks(world, viewer, response) -> list[str]:
    text = _texts(response)
    return [
        f"{world.secrets[marker][0]} {marker}"
        for marker in world.forbidden_for(viewer)
        if marker in text
    ]


# -- the probes ------------------------------------------------------------------------------


def _values(world, viewer, kind_or_values) -> dict[str, list]:
    """The values a viewer probes a parameter with: hidden (other parties' hidden objects),
    shared (one that exists and may be visible) and missing (one that does not exist)."""
    if isinstance(kind_or_values, list):
        return {"fixed": list(kind_or_values)}
    if kind_or_values in EXISTENCE_IS_PUBLIC:
        # Probed for markers; that such an object exists is not a secret.
        owners = [seed.OTHER[viewer]] if viewer in seed.OTHER else ["ua", "ru"]
        opaque = [
            value
            for owner in owners
            for value in world.hidden.get(kind_or_values, {}).get(owner, [])[:1]
        ]
        return {
            "opaque": opaque,
            "shared": [world.shared[kind_or_values]],
            "missing": [KINDS[kind_or_values]],
        }
    owners = [seed.OTHER[viewer]] if viewer in seed.OTHER else ["ua", "ru"]
    hidden = [
        value
        for owner in owners
        for value in world.hidden.get(kind_or_values, {}).get(owner, [])[:1]
    ]
    peer = [
        value for owner in owners for value in world.peer.get(kind_or_values, {}).get(owner, [])[:1]
    ]
    shared = world.shared.get(kind_or_values)
    return {
        "hidden": hidden,
        "shared": ([] if shared is None else [shared]) + peer,
        "missing": [KINDS[kind_or_values]],
    }


def _cases(world, viewer, params) -> list[tuple[str, dict]]:
    """(what, kwargs): each parameter in turn takes its hidden, shared and missing values while
    the others take their shared (or first) value."""
    if not params:
        return [("plain", {})]
    per = {name: _values(world, viewer, spec) for name, spec in params.items()}

    def default(name):
        values = per[name]
        return (values.get("shared") or values.get("fixed") or values.get("missing"))[0]

    cases = []
    for name, values in per.items():
        for what, options in values.items():
            for value in options:
                kwargs = {other: default(other) for other in per if other != name}
                kwargs[name] = value
                cases.append((f"{what}:{name}", kwargs))
    return cases


def _fill(route: str, kwargs: dict) -> str:
    def replace(match):
        return str(kwargs[match.group(1)])

    path = re.sub(r"<(?:\w+:)?(\w+)>", replace, route)
    path = re.sub(r"\{(\w+)\}", replace, path)
    return path.replace("^", "").replace("$", "")


def _route_of(name: str) -> str:
    for route, found, _ns in url_patterns():
        if found == name:
            path = "/" + route
            # allauth's regex routes: substitute the named groups
            return re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", path)
    raise LookupError(name)


def _request(client: Client, method: str, path: str):
    if method == "GET":
        return client.get(path)
    return client.generic(method, path, data=b"{}", content_type="application/json")


def _probe(world, rule, method: str | None, route: str, name: str) -> list[str]:
    problems = []
    for viewer in seed.VIEWERS:
        client = world.clients[viewer]
        answers = {}
        cases = _cases(world, viewer, rule.params)
        if viewer == "anonymous":
            # Nobody signed in is turned away before any lookup: one probe per route.
            cases = [case for case in cases if not case[0].startswith(("hidden", "opaque"))][:1]
        for what, kwargs in cases:
            path = _fill(route, kwargs)
            verb = method or "GET"
            response = _request(client, verb, path)
            if method is None and response.status_code == 405 and not what.startswith("shared"):
                # An action (POST only): probed with the hidden and missing objects; the shared
                # ones would only change the world for the other probes of this test.
                verb = "POST"
                response = client.post(path, {})
            answers.setdefault(what, []).append(response.status_code)
            where = f"{viewer} {verb} {path} ({what})"
            if response.status_code >= 500 and not (
                rule.unavailable_ok and response.status_code == 503
            ):
                problems.append(f"{where}: {response.status_code}")
            problems += [f"{where}: {leak}" for leak in _leaks(world, viewer, response)]
            problems += _rule_problems(rule, viewer, verb, response, where, what)
        for key, statuses in answers.items():
            if key.startswith("hidden:"):
                missing = answers.get("missing:" + key.split(":")[1], [])
                for status in statuses:
                    if missing and status not in missing:
                        problems.append(
                            f"{viewer} {name} {key}: a hidden object answers {status}, a "
                            f"missing one {missing[0]} (an existence oracle)"
                        )
    return problems


def _rule_problems(rule, viewer, verb, response, where, what) -> list[str]:
    status = response.status_code
    if (
        rule.visibility in ("authenticated-own-party", "secretariat-only", "token-feed")
        and viewer == "anonymous"
        and 200 <= status < 300
    ):
        return [f"{where}: answers {status} to nobody signed in ({rule.visibility})"]
    if (
        rule.visibility == "secretariat-only"
        and viewer != "anonymous"
        and verb == "GET"
        and 200 <= status < 300
        and not what.startswith("missing")
    ):
        return [f"{where}: answers {status} to a party's member (secretariat-only)"]
    if rule.visibility == "admin" and 200 <= status < 300:
        return [f"{where}: the admin answers {status} to a non-staff viewer"]
    return []


def _page_params():
    return [pytest.param(name, marks=_marks(name), id=name) for name in _page_names()]


def _operation_params():
    return [pytest.param(op, marks=_marks(op), id=op) for op in declarations.OPERATIONS]


def _marks(name):
    if name in XFAIL:
        return [pytest.mark.xfail(strict=False, reason=XFAIL[name])]
    return []


@pytest.mark.parametrize("name", _page_params())
def test_page_shows_nothing_hidden(world, name):
    rule = declarations.PAGES.get(name)
    assert rule is not None, f"{name}: declare it in tests/isolation/declarations.py"
    problems = _probe(world, rule, None, _route_of(name), name)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("operation", _operation_params())
def test_operation_shows_nothing_hidden(world, operation):
    rule = declarations.OPERATIONS[operation]
    method, path = operations()[operation]
    problems = _probe(world, rule, method, path, operation)
    assert not problems, "\n".join(problems)


def test_admin_is_staff_only(world):
    """Every admin page without parameters, as each non-staff viewer: the admin's login, no
    marker."""
    problems = []
    rule = declarations.NAMESPACES["admin"]
    for route, name, namespace in url_patterns():
        if namespace != "admin" or "<" in route or name in ("admin:login", "admin:logout"):
            continue
        problems += _probe(world, rule, "GET", "/" + route, name)
    assert not problems, "\n".join(problems)


def test_feeds_by_secret_show_nothing_hidden(world):
    """The calendar feeds read with their own secret (`?feed=`) as a calendar application would;
    an API token in the URL opens nothing (finding 8)."""
    anonymous = Client(raise_request_exception=False)
    problems = []
    for viewer in ("ua", "ru"):
        for kind, path in (("pauses", "/api/calendar.ics"),
                           ("movement_windows", "/api/access/windows.ics")):
            response = anonymous.get(path, {"feed": world.feeds[viewer][kind]})
            if response.status_code != 200:
                problems.append(f"{viewer} {path}: {response.status_code}")
            problems += [f"{viewer} {path}: {leak}" for leak in _leaks(world, viewer, response)]
            by_token = anonymous.get(path, {"token": world.tokens[viewer]})
            if by_token.status_code != 401:
                problems.append(f"{viewer} {path}?token=: {by_token.status_code}, not 401")
    assert not problems, "\n".join(problems)


def test_markers_reach_their_owners(world):
    """The suite would pass vacuously if markers reached nobody: each party reads its own."""
    pages = {
        "ua": [
            "/agreements/{agreement}/",
            "/talks/items/{agenda_item}/",
            "/monitoring/events/{event}/",
            "/exchanges/lists/{person_list}/",
            "/api/tokens",
            "/api/webhooks",
            "/access/movements/{movement}/",
        ],
        "ru": [
            "/agreements/{agreement}/",
            "/talks/items/{agenda_item}/",
            "/monitoring/events/{event}/",
            "/exchanges/lists/{person_list}/",
            "/api/tokens",
            "/api/webhooks",
        ],
    }
    from parley.monitoring.models import Event

    for viewer, paths in pages.items():
        mine = {
            kind: values[0]
            for kind, owners in world.hidden.items()
            for owner, values in owners.items()
            if owner == viewer and values
        }
        mine["agenda_item"] = world.shared["agenda_item"]
        mine["event"] = Event.objects.order_by("pk").first().reference
        seen = set()
        for path in paths:
            response = world.clients[viewer].get(path.format(**mine))
            assert response.status_code == 200, (viewer, path, response.status_code)
            text = _texts(response)
            seen |= {
                world.secrets[m][0]
                for m in world.secrets
                if m in text and m.startswith(viewer.upper())
            }
        expected = {"draft-retitled", "position", "account", "list", "token", "webhook"}
        if viewer == "ua":
            expected.add("objection")
        assert expected <= seen, (viewer, expected - seen)


def test_the_world_has_every_kind(world):
    kinds = {kind for kind, _hidden in world.secrets.values()}
    assert {
        "draft-title",
        "who-may-move",
        "draft-note",
        "position",
        "comment",
        "mediator-note",
        "account",
        "person",
        "list",
        "token",
        "webhook",
        "objection",
        "movement-note",
    } <= kinds
    assert all(value is not None for value in world.shared.values()), world.shared
