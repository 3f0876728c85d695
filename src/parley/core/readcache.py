"""Answers of the read API kept ready to send, until the data under them changes.

A cached answer is the bytes an operation sent, kept in the server process's memory under a key
made of everything that decides it: the path and query, the reader's party, the party's kind,
the reader's role, and the language. A reader of another party, kind or role never gets it
(docs/deployment.md, "Reads at speed").

It is served only while the database's **data generation** is the one it was computed at. The
generation is one row (`parley_data_generation`) that the database itself bumps, in the writing
transaction, whenever a row of a Parley table is inserted, updated or deleted: triggers installed
after every `migrate` on every table but the few written on reads or by the clock
(`UNWATCHED_TABLES`). So a change through a service, the admin, a background task, a bulk
`update()` or raw SQL is seen by the next read in every server process; no code has to remember
to invalidate anything. On PostgreSQL the trigger is deferred to the commit (the counter's row
lock is the last lock a transaction takes, so it adds no deadlock) and bumps once per
transaction; SQLite has one writer at a time and bumps per row.

The generation is read before the answer is computed, so an answer stored under generation N
is at least as new as N. Reads inside a transaction neither use nor fill the cache (a
generation seen there may still be rolled back). An answer that depends on the clock (an
agreement's phase) records when it stops being true (`answer_changes_at`); it is not served
after that instant.
"""

import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.translation import get_language

GENERATION_TABLE = "parley_data_generation"
TRIGGER_PREFIX = "parley_gen_"
# Tables whose writes never change a cached answer and happen on reads or on a clock: token use,
# sessions, the task queue, the worker's heartbeat, the record's witnesses (asked every round),
# the log of who viewed coordinates, the admin's log, the migrations table, and the record's log
# (`audit_logentry`, `audit_loghead`: written only beside an audit entry, which is watched, and
# read by no cached answer; left out so that an append costs one bump, not three). Every other table
# of the database is watched. An operation that reads one of these must not be cached.
UNWATCHED_TABLES = frozenset({
    "record_witness",
    "record_cosignature",
    GENERATION_TABLE,
    "core_apitoken",
    "django_session",
    "django_tasks_database_dbtaskresult",
    "django_migrations",
    "django_admin_log",
    "ops_workerbeat",
    "access_coordinateaccesslog",
    "audit_logentry",
    "audit_loghead",
})
# The memory a server process gives to answers, and the largest answer kept.
MAX_ENTRIES = 4096
MAX_BYTES = 64 * 1024 * 1024
MAX_ANSWER_BYTES = 2 * 1024 * 1024
KEPT_HEADERS = ("Content-Disposition",)


@dataclass(frozen=True)
class Answer:
    generation: str
    until: datetime | None
    status: int
    content_type: str
    body: bytes
    etag: str
    headers: tuple[tuple[str, str], ...]


class _Store:
    """A bounded least-recently-used map, shared by the threads of one process."""

    def __init__(self) -> None:
        self._answers: OrderedDict[tuple, Answer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Answer | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, key: tuple, answer: Answer) -> None:
        with self._lock:
            old = self._answers.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._answers[key] = answer
            self._bytes += len(answer.body)
            while len(self._answers) > MAX_ENTRIES or self._bytes > MAX_BYTES:
                _, dropped = self._answers.popitem(last=False)
                self._bytes -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._answers)


store = _Store()

# --- The data generation ---------------------------------------------------------------------


def generation(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """The database's data generation ("epoch:count"), or None when it has none (the cache is
    then not used)."""
    try:
        with connections[using].cursor() as cursor:
            cursor.execute(f"SELECT epoch, n FROM {GENERATION_TABLE} WHERE id = 1")  # noqa: S608
            row = cursor.fetchone()
    except DatabaseError:  # a database restored from before the table, not migrated yet
        return None
    return None if row is None else f"{row[0]}:{row[1]}"


def note_generation(user: Any, value: str | None) -> None:
    """Keep on the request's user the generation read with its token (`core.selectors.
    active_token`), read in the same statement: a cached answer then costs one query."""
    user.__dict__["_parley_data_generation"] = value


def new_epoch(using: str = DEFAULT_DB_ALIAS) -> None:
    """Give the generation a new epoch: every cached answer is stale at once (after a restore,
    whose counter may go back to a number already seen)."""
    if GENERATION_TABLE not in connections[using].introspection.table_names():
        return  # restored from before the table: `migrate` creates it with an epoch of its own
    with connections[using].cursor() as cursor:
        cursor.execute(f"UPDATE {GENERATION_TABLE} SET epoch = %s, n = n + 1 "  # noqa: S608
                       "WHERE id = 1", [secrets.token_hex(8)])


_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION parley_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('parley.data_changed', true) IS DISTINCT FROM 'yes' THEN
        UPDATE parley_data_generation SET n = n + 1 WHERE id = 1;
        PERFORM set_config('parley.data_changed', 'yes', true);
    END IF;
    RETURN NULL;
END $$
"""


def install_triggers(using: str = DEFAULT_DB_ALIAS) -> int:
    """Watch every table of the database but `UNWATCHED_TABLES`; how many triggers were added.
    Idempotent: run after every `migrate`, so that a new table is watched from its creation."""
    db = connections[using]
    tables = set(db.introspection.table_names(include_views=False))
    if GENERATION_TABLE not in tables:
        return 0
    watched = sorted(tables - UNWATCHED_TABLES)
    added = 0
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute("SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c "
                           "ON c.oid = t.tgrelid WHERE t.tgname LIKE %s", [TRIGGER_PREFIX + "%"])
            found = cursor.fetchall()
            present = {name for name, _ in found}
            for name, table in found:
                if table in UNWATCHED_TABLES:  # watched by an earlier Parley
                    cursor.execute(f"DROP TRIGGER {name} ON {db.ops.quote_name(table)}")
            cursor.execute(_PG_FUNCTION)
            for table in watched:
                name = _trigger_name(table, "row")
                if name not in present:
                    cursor.execute(
                        f"CREATE CONSTRAINT TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON "
                        f"{db.ops.quote_name(table)} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                        f"EXECUTE FUNCTION parley_data_changed()")
                    added += 1
                name = _trigger_name(table, "truncate")
                if name not in present:
                    cursor.execute(
                        f"CREATE TRIGGER {name} AFTER TRUNCATE ON {db.ops.quote_name(table)} "
                        f"FOR EACH STATEMENT EXECUTE FUNCTION parley_data_changed()")
                    added += 1
        elif db.vendor == "sqlite":
            cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' "
                           "AND name LIKE %s", [TRIGGER_PREFIX + "%"])
            found = cursor.fetchall()
            present = {name for name, _ in found}
            for name, table in found:
                if table in UNWATCHED_TABLES:  # watched by an earlier Parley
                    cursor.execute(f"DROP TRIGGER {name}")
            for table in watched:
                for operation in ("INSERT", "UPDATE", "DELETE"):
                    name = _trigger_name(table, operation.lower())
                    if name not in present:
                        cursor.execute(
                            f"CREATE TRIGGER {name} AFTER {operation} ON "  # noqa: S608
                            f"{db.ops.quote_name(table)} BEGIN UPDATE {GENERATION_TABLE} "
                            f"SET n = n + 1 WHERE id = 1; END")
                        added += 1
    return added


def _trigger_name(table: str, operation: str) -> str:
    name = f"{TRIGGER_PREFIX}{table}_{operation}"
    if len(name) > 63:  # PostgreSQL's identifiers
        name = f"{name[:46]}_{hashlib.sha256(name.encode()).hexdigest()[:16]}"
    return name


def on_post_migrate(using: str = DEFAULT_DB_ALIAS, **_: Any) -> None:
    install_triggers(using)


# --- Answers that depend on the clock --------------------------------------------------------

_horizon: ContextVar[list[datetime] | None] = ContextVar("parley_readcache_horizon", default=None)


def answer_changes_at(instant: datetime) -> None:
    """Say that the answer being computed stops being true at `instant` (an agreement's phase at
    its next window's start or end). Outside a cached read this does nothing."""
    horizon = _horizon.get()
    if horizon is not None:
        horizon.append(instant)


# --- The operations ----------------------------------------------------------------------------


def _key(request: HttpRequest, actor: Any) -> tuple | None:
    party = getattr(actor, "party", None) if getattr(actor, "is_authenticated", False) else None
    if party is None:
        return None
    return (request.path, request.META.get("QUERY_STRING", ""), party.pk, party.kind,
            actor.role, actor.is_superuser, get_language())


def _send(request: HttpRequest, answer: Answer) -> HttpResponse:
    if answer.etag in _etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(answer.body, status=answer.status,
                                content_type=answer.content_type)
        for name, value in answer.headers:
            response[name] = value
    response["ETag"] = answer.etag
    response["X-Parley-Cache"] = "hit"
    return response


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def _keep(response: HttpResponseBase, gen: str, until: datetime | None) -> Answer | None:
    if (response.status_code != 200 or response.streaming
            or not isinstance(response, HttpResponse)):
        return None
    body = response.content
    if len(body) > MAX_ANSWER_BYTES:
        return None
    return Answer(
        generation=gen, until=until, status=200,
        content_type=response.get("Content-Type", "application/json"), body=body,
        etag='"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"',
        headers=tuple((name, response[name]) for name in KEPT_HEADERS if name in response),
    )


def cached_read(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Wraps a django-ninja operation's `run` (through `ninja.decorators.decorate_view`): the
    operation authenticates as usual, then its answer comes from `store` when one was kept for
    the same key at the current generation, and is kept otherwise."""
    operation = run.__self__  # type: ignore[attr-defined]

    def cached_run(request: HttpRequest, **kw: Any) -> HttpResponseBase:
        if request.method != "GET" or not settings.PARLEY_READ_CACHE:
            return run(request, **kw)
        error = operation._run_checks(request)
        if error:
            return error
        actor = getattr(request, "auth", None)
        key = _key(request, actor)
        if key is None or connection.in_atomic_block:
            return _answer(operation, request, kw)
        gen = actor.__dict__.pop("_parley_data_generation", None) or generation()
        if gen is None:
            return _answer(operation, request, kw)
        kept = store.get(key)
        if (kept is not None and kept.generation == gen
                and (kept.until is None or timezone.now() < kept.until)):
            return _send(request, kept)
        horizon: list[datetime] = []
        token = _horizon.set(horizon)
        try:
            response = _answer(operation, request, kw)
        finally:
            _horizon.reset(token)
        answer = _keep(response, gen, min(horizon) if horizon else None)
        if answer is None:
            return response
        store.put(key, answer)
        if answer.etag in _etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
            return _send(request, answer)
        response["ETag"] = answer.etag
        response["X-Parley-Cache"] = "miss"
        return response

    return cached_run


def _answer(operation: Any, request: HttpRequest, kw: dict) -> HttpResponseBase:
    """django-ninja's `Operation.run` after its checks (which `cached_run` has made)."""
    try:
        temporal_response = operation.api.create_temporal_response(request)
        values = operation._get_values(request, kw, temporal_response)
        result = operation.view_func(request, **values)
        return operation._result_to_response(request, result, temporal_response)
    except Exception as exc:  # noqa: BLE001 (django-ninja's own handlers answer it)
        return operation.api.on_exception(request, exc)
