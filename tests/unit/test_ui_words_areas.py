"""Areas in words: circles as centre and radius, corridors by length and width, zones by area;
what a version changed, sentence by sentence; numbers in the reader's locale."""

import pytest
from django.utils import translation

from parley.ui.words import (
    area_change_words,
    area_size_words,
    area_words,
    coordinate_words,
    distance_words,
)

pytestmark = [pytest.mark.unit]

CIRCLE = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [35.40, 47.12]},
          "properties": {"width_m": 30000}}
CORRIDOR = {"type": "Feature", "geometry": {
    "type": "LineString", "coordinates": [[35.2745, 47.4373], [35.1396, 47.8388]]},
    "properties": {"width_m": 2000}}
ZONE = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[
    [35, 47], [35.1, 47], [35.1, 47.1], [35, 47.1], [35, 47]]]}, "properties": {}}


def test_a_circle_reads_as_centre_and_radius():
    with translation.override("en"):
        assert area_words(CIRCLE) == "circle · centre 47.12° N 35.40° E · radius 15 km"


def test_a_corridor_reads_as_length_and_width():
    with translation.override("en"):
        assert area_words(CORRIDOR) == "corridor · 46 km long · 2 km wide"


def test_a_zone_reads_as_its_area():
    with translation.override("en"):
        assert area_words(ZONE) == "zone · about 84 km²"


@pytest.mark.parametrize(("metres", "expected"), [
    (45, "45 m"), (854, "850 m"), (3210, "3.2 km"), (2000, "2 km"), (12_345, "12 km"),
    (1_234_567, "1,235 km"), (None, "—")])
def test_distances(metres, expected):
    with translation.override("en"):
        assert distance_words(metres) == expected


def test_areas_keep_two_significant_figures():
    with translation.override("en"):
        assert area_size_words(123_456_789) == "about 120 km²"
        assert area_size_words(4_560_000) == "about 4.6 km²"
        assert area_size_words(1_234_567_890) == "about 1,200 km²"


def test_southern_and_western_coordinates():
    with translation.override("en"):
        assert coordinate_words(-58.38, -34.6) == "34.60° S 58.38° W"


def test_changes_of_one_area_in_sentences():
    moved = {**CIRCLE, "geometry": {"type": "Point", "coordinates": [35.43, 47.14]},
             "properties": {"width_m": 40000}}
    wider = {**CORRIDOR, "properties": {"width_m": 4000}}
    with translation.override("en"):
        assert area_change_words("A3", CIRCLE, moved) == [
            "A3 circle enlarged: radius 15 km → 20 km", "A3 circle moved 3.2 km north-east"]
        assert area_change_words("A2", CORRIDOR, wider) == [
            "A2 corridor widened from 2 km to 4 km"]
        assert area_change_words("A2", wider, CORRIDOR) == [
            "A2 corridor narrowed from 4 km to 2 km"]
        assert area_change_words("A4", None, ZONE) == ["A4 added: zone · about 84 km²"]
        assert area_change_words("A1", CIRCLE, None) == [
            "A1 removed: circle · centre 47.12° N 35.40° E · radius 15 km"]
        assert area_change_words("A1", CIRCLE, ZONE) == [
            "A1 changed from circle · centre 47.12° N 35.40° E · radius 15 km "
            "to zone · about 84 km²"]


def test_a_shorter_corridor_and_a_reshaped_zone():
    shorter = {**CORRIDOR, "geometry": {"type": "LineString", "coordinates": [
        [35.2745, 47.4373], [35.20, 47.65]]}}
    bigger = {**ZONE, "geometry": {"type": "Polygon", "coordinates": [[
        [35, 47], [35.2, 47], [35.2, 47.1], [35, 47.1], [35, 47]]]}}
    with translation.override("en"):
        lines = area_change_words("A2", CORRIDOR, shorter)
        assert lines[-1] == "A2 corridor redrawn: 46 km → 24 km long"
        assert "A5 zone redrawn: about 84 km² → about 170 km²" in \
            area_change_words("A5", ZONE, bigger)


def test_ukrainian_reads_numbers_and_words_in_ukrainian():
    with translation.override("uk"):
        assert distance_words(3210) == "3,2 км"
        assert area_words(CIRCLE) == "коло · центр 47,12° пн. ш. 35,40° сх. д. · радіус 15 км"
        assert area_words(CORRIDOR) == "коридор · довжина 46 км · ширина 2 км"
        assert area_size_words(1_234_567_890) == "близько 1\xa0200 км²"
