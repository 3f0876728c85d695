"""System tests: whole processes, not functions. The production server and the worker killed
in the middle of a write (crash safety), and Apache Spark's JVM running the monitoring kernel.
They take a minute between them, most of it starting processes, so they have a directory of
their own: the unit and integration tests run without them in well under two minutes."""

import pytest


@pytest.fixture(autouse=True)
def _own_area_cache(tmp_path_factory, monkeypatch):
    """Prepared areas in a folder of the test's own, never in the user's cache (as for the
    monitoring engine's unit tests)."""
    monkeypatch.setenv("PARLEY_CACHE_DIR", str(tmp_path_factory.mktemp("area-cache")))
