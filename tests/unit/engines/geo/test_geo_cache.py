"""Prepared areas kept on disk: the same classification from the cache as from preparing, and
a damaged or foreign entry is never used."""

import io
import json
from pathlib import Path

import numpy as np
import pytest

from parley.engines import geo
from parley.engines.geo import cache
from parley.engines.monitor.cli import classify_command

pytestmark = pytest.mark.unit

DATA = Path(__file__).parents[3] / "data"


def _classify(prepared):
    rng = np.random.default_rng(5)
    lon, lat = rng.uniform(32.3, 38.1, 5_000), rng.uniform(46.4, 48.7, 5_000)
    t_ns = np.full(lon.size, np.datetime64("2026-03-01T10:00", "ns").astype(np.int64))
    precision = rng.choice([0.0, 500.0, 5_000.0, 25_000.0], lon.size)
    return geo.classify_arrays(prepared, lon, lat, t_ns, precision)


def test_areas_from_the_cache_classify_exactly_as_freshly_prepared_ones(tmp_path):
    raw = (DATA / "areas.geojson").read_bytes()
    assert cache.load_prepared(raw, tmp_path) is None
    fresh = geo.prepare_areas(geo.parse_areas(json.loads(raw)))
    cache.store_prepared(raw, fresh, tmp_path)

    cached = cache.load_prepared(raw, tmp_path)

    assert [p.area.id for p in cached] == [p.area.id for p in fresh]
    for ours, theirs in zip(_classify(cached), _classify(fresh), strict=True):
        assert np.array_equal(ours, theirs)
    assert len(_classify(fresh)[0]) > 50


def test_another_file_a_damaged_entry_or_an_unwritable_folder_means_preparing_again(tmp_path):
    raw = (DATA / "areas.geojson").read_bytes()
    prepared = geo.prepare_areas(geo.parse_areas(json.loads(raw)))
    cache.store_prepared(raw, prepared, tmp_path)
    assert cache.load_prepared(raw + b" ", tmp_path) is None

    (entry,) = tmp_path.glob("*.prepared")
    entry.write_bytes(entry.read_bytes()[:200])
    assert cache.load_prepared(raw, tmp_path) is None

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    cache.store_prepared(raw, prepared, blocked / "areas")
    assert cache.load_prepared(raw, blocked / "areas") is None


def test_the_command_writes_the_same_bytes_with_the_cache_cold_warm_and_off(tmp_path,
                                                                            monkeypatch):
    monkeypatch.setenv("PARLEY_CACHE_DIR", str(tmp_path / "cache"))
    outputs = []
    for name, use_cache in (("cold", True), ("warm", True), ("off", False)):
        out = tmp_path / f"{name}.csv"
        code = classify_command(areas=DATA / "areas.geojson", incidents=DATA / "incidents.csv",
                                out=out, stdout=io.StringIO(), area_cache=use_cache)
        assert code == 0
        outputs.append(out.read_bytes())
    assert len(list((tmp_path / "cache" / "areas").glob("*.prepared"))) == 1
    assert outputs[0] == outputs[1] == outputs[2] == (DATA / "classification.csv").read_bytes()
