import pytest


@pytest.fixture(autouse=True)
def _own_area_cache(tmp_path, monkeypatch):
    """Each test keeps its prepared areas in its own folder, never the user's cache."""
    monkeypatch.setenv("PARLEY_CACHE_DIR", str(tmp_path / "cache"))
