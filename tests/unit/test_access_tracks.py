import pytest

from parley.access.tracks import TrackError, kml_document, parse_track

pytestmark = [pytest.mark.unit]

GPX = b"""<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="OsmAnd" xmlns="http://www.topografix.com/GPX/1/1">
 <trk><name>Convoy</name><trkseg>
  <trkpt lat="47.4373" lon="35.2745"><ele>20</ele><time>2026-12-01T08:00:00Z</time></trkpt>
  <trkpt lat="47.63805" lon="35.20705"><time>2026-12-01T08:40:00Z</time></trkpt>
  <trkpt lat="47.8388" lon="35.1396"><time>2026-12-01T09:20:00Z</time></trkpt>
 </trkseg></trk>
</gpx>"""

KML_LINE = """<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>
 <LineString><coordinates>
   35.2745,47.4373,0 35.20705,47.63805,0
   35.1396,47.8388
 </coordinates></LineString></Placemark></Document></kml>"""

KML_TRACK = """<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">
<Placemark><gx:Track>
 <when>2026-12-01T08:00:00Z</when><when>2026-12-01T09:20:00Z</when>
 <gx:coord>35.2745 47.4373 0</gx:coord><gx:coord>35.1396 47.8388 0</gx:coord>
</gx:Track></Placemark></kml>"""


def test_a_gpx_track_gives_positions_longitude_first_and_its_times():
    track = parse_track(GPX)
    assert track.coordinates == [[35.2745, 47.4373], [35.20705, 47.63805], [35.1396, 47.8388]]
    assert track.times == ["2026-12-01T08:00:00Z", "2026-12-01T08:40:00Z",
                           "2026-12-01T09:20:00Z"]


def test_a_gpx_track_with_a_point_without_time_gives_no_schedule():
    track = parse_track(GPX.replace(b"<time>2026-12-01T08:40:00Z</time>", b""))
    assert (len(track.coordinates), track.times) == (3, None)


def test_a_kml_linestring_and_a_kml_track():
    line = parse_track(KML_LINE)
    assert (line.coordinates, line.times) == (
        [[35.2745, 47.4373], [35.20705, 47.63805], [35.1396, 47.8388]], None)
    track = parse_track(KML_TRACK)
    assert track.geometry == {"type": "LineString",
                              "coordinates": [[35.2745, 47.4373], [35.1396, 47.8388]]}
    assert track.times == ["2026-12-01T08:00:00Z", "2026-12-01T09:20:00Z"]


def test_geojson_feature_with_times():
    track = parse_track('{"type": "Feature", "geometry": {"type": "LineString", "coordinates": '
                        '[[35.2, 47.4], [35.1, 47.8]]}, "properties": {"times": '
                        '["2026-12-01T08:00:00Z", "2026-12-01T09:00:00Z"]}}')
    assert (track.coordinates, track.times) == (
        [[35.2, 47.4], [35.1, 47.8]], ["2026-12-01T08:00:00Z", "2026-12-01T09:00:00Z"])


@pytest.mark.parametrize(("data", "message"), [
    (b"\xff\xfe", "the file is not UTF-8 text"),
    ("hello", "the file is neither GeoJSON nor GPX nor KML"),
    ("<gpx><trkpt lat='1' lon='x'/><trkpt lat='1' lon='2'/></gpx>",
     "a longitude is not a number ('x')"),
    ("<gpx><trk>", "the file is not well-formed XML (no element found: line 1, column 10)"),
    ("<svg/>", "the XML is neither GPX nor KML (its root element is <svg>)"),
    ('{"type": "Point", "coordinates": [1, 2]}', "the GeoJSON is not a LineString route"),
    ("<kml><LineString><coordinates>35.2 47.4</coordinates></LineString></kml>",
     "a KML coordinate must be longitude,latitude[,altitude] (35.2)"),
])
def test_unreadable_files_are_named(data, message):
    with pytest.raises(TrackError) as caught:
        parse_track(data)
    assert str(caught.value) == message


def test_an_exported_kml_track_reads_back_the_same():
    coordinates = [[35.2745, 47.4373], [35.1396, 47.8388]]
    times = ["2026-12-01T08:00:00Z", "2026-12-01T09:20:00Z"]
    track = parse_track(kml_document("WFP-2026-001 v1", coordinates, times))
    assert (track.coordinates, track.times) == (coordinates, times)
    line = parse_track(kml_document("WFP-2026-001 v1", coordinates, None))
    assert (line.coordinates, line.times) == (coordinates, None)
