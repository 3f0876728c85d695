import pytest


@pytest.fixture(autouse=True)
def _own_area_cache(tmp_path_factory, monkeypatch):
    """Each test keeps its prepared areas in a folder of its own (not in its `tmp_path`, which
    some tests expect to hold their outputs alone), never in the user's cache."""
    monkeypatch.setenv("PARLEY_CACHE_DIR", str(tmp_path_factory.mktemp("area-cache")))
