"""The world map of a call's audience: its projection, the SVG it draws and the outline it ships."""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from importlib.resources import files

import pytest
from uccn_unesco.directory import UnescoDirectory
from uccn_web.worldmap import (
    HEIGHT,
    STATES,
    WIDTH,
    Dot,
    State,
    WorldMap,
    outline,
    project,
    world_map,
)

from uccn_sdk import sample

SVG = "{http://www.w3.org/2000/svg}"
LABELS = {"answered": "Answered", "reminded": "Reminded", "waiting": "Not answered"}
HOSTILE = '<script>alert(1)</script> & "x"'
DATA = files("uccn_web") / "data" / "world-110m.json"


def draw(dots: Sequence[Dot]) -> WorldMap:
    return world_map(dots, title="Map", labels=LABELS)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def city_circles(root: ET.Element) -> list[ET.Element]:
    dots = root.find(f"{SVG}g[@class='dots']")
    assert dots is not None
    return dots.findall(f"{SVG}circle")


def rings(d: str) -> list[list[tuple[float, float]]]:
    """The outline's rings as absolute points: it uses M, l and z only."""
    found: list[list[tuple[float, float]]] = []
    command, numbers = "", list[float]()
    for token in re.findall(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)", d):
        if token.isalpha():
            command, numbers = token, []
            assert command in "Mlz", command
            continue
        numbers.append(float(token))
        if len(numbers) == 2:
            x, y = numbers
            if command == "M":
                found.append([(x, y)])
            else:
                last_x, last_y = found[-1][-1]
                found[-1].append((last_x + x, last_y + y))
            numbers = []
    return found


def on_land(point: tuple[float, float], outline_rings: list[list[tuple[float, float]]]) -> bool:
    """Whether the point is inside the outline (even-odd, as its one hole, the Caspian, is)."""
    x, y = point
    inside = False
    for ring in outline_rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


# The projection


def test_paris_is_north_of_lagos_and_west_of_it_as_on_the_globe() -> None:
    # Lagos (3.38° E) lies east of Paris (2.35° E); Chengdu lies east of both.
    paris, lagos, chengdu = project(48.86, 2.35), project(6.52, 3.38), project(30.66, 104.07)
    assert paris[1] < lagos[1]  # y grows southwards
    assert paris[0] < lagos[0] < chengdu[0]


@pytest.mark.parametrize("lat", [0.0, 30.0, -45.0, 89.0])
def test_longitude_grows_eastwards_on_every_parallel(lat: float) -> None:
    xs = [project(lat, lon)[0] for lon in range(-180, 181, 10)]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)


def test_the_antimeridian_is_the_maps_edge_and_the_equator_its_middle() -> None:
    assert project(0, -180) == pytest.approx((0, HEIGHT / 2), abs=1e-9)
    assert project(0, 180) == pytest.approx((WIDTH, HEIGHT / 2), abs=1e-9)
    for lon in (-180, -90, 0, 45.5, 180):
        assert project(0, lon)[1] == pytest.approx(HEIGHT / 2)
    assert project(90, 0) == pytest.approx((WIDTH / 2, 0), abs=1e-9)
    assert project(-90, 0) == pytest.approx((WIDTH / 2, HEIGHT), abs=1e-9)
    assert project(0, 0) == pytest.approx((WIDTH / 2, HEIGHT / 2))


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        # d3-geo 3's geoEqualEarth().scale(1).translate([0, 0]), its y turned northwards.
        (48.86, 2.35, (0.029416000775725624, 0.9234154844913867)),
        (-45.0, -120.0, (-1.5464726654706447, -0.8602310855220102)),
        (30.66, 104.07, (1.4593096143046993, 0.6052914355624228)),
    ],
)
def test_the_projection_is_equal_earth(
    lat: float, lon: float, expected: tuple[float, float]
) -> None:
    x, y = project(lat, lon)
    half_width, half_height = 2.7066299836960748, 1.3173627591574133  # lon 180, lat 90
    unit = ((x / WIDTH * 2 - 1) * half_width, (1 - y / HEIGHT * 2) * half_height)
    assert unit == pytest.approx(expected, rel=1e-9)


# The SVG


def test_the_map_is_an_accessible_svg_with_one_circle_per_placed_city() -> None:
    states: list[State] = ["answered", "reminded", "waiting", "answered", "waiting"]
    dots = [Dot.of(city, state) for city, state in zip(sample.cities(), states, strict=True)]
    result = world_map(dots, title="Who answered", labels=LABELS, description="5 cities")
    root = parse(result.svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("aria-labelledby") == "worldmap-title"
    assert root.findtext(f"{SVG}title[@id='worldmap-title']") == "Who answered"
    assert root.get("aria-describedby") == "worldmap-desc"
    assert root.findtext(f"{SVG}desc[@id='worldmap-desc']") == "5 cities"
    circles = city_circles(root)
    assert len(circles) == 5 and result.missing == ()
    drawn = {c.findtext(f"{SVG}title"): c.get("class", "").split() for c in circles}
    assert drawn == {
        "Lyon — Answered": ["dot", "answered"],
        "Bologna — Reminded": ["dot", "reminded"],
        "Popayán — Not answered": ["dot", "waiting"],
        "Dakar — Answered": ["dot", "answered"],
        "Chengdu — Not answered": ["dot", "waiting"],
    }
    lyon = next(c for c in circles if c.findtext(f"{SVG}title") == "Lyon — Answered")
    x, y = project(45.76, 4.84)
    assert (float(lyon.get("cx", "")), float(lyon.get("cy", ""))) == pytest.approx((x, y), abs=0.05)
    assert "style" not in result.svg  # colours are classes and presentation attributes
    assert result.__html__() == str(result) == result.svg


def test_the_cities_still_to_chase_are_drawn_on_top() -> None:
    states: list[State] = ["reminded", "waiting", "answered"] * 3
    dots = [Dot(f"c{i}", f"City {i}", 10.0, float(i), state) for i, state in enumerate(states)]
    classes = [c.get("class") for c in city_circles(parse(draw(dots).svg))]
    assert classes == ["dot answered"] * 3 + ["dot waiting"] * 3 + ["dot reminded"] * 3


def test_the_legend_counts_the_dots_of_each_state() -> None:
    dots = [Dot("a", "A", 1, 1, "answered"), Dot("b", "B", 2, 2, "answered")]
    dots += [Dot("c", "C", None, None, "waiting")]
    legend = parse(draw(dots).svg).find(f"{SVG}g[@class='legend']")
    assert legend is not None
    texts = [t.text for t in legend.iter(f"{SVG}text")]
    assert texts == ["Answered (2)", "Reminded (0)", "Not answered (0)"]


def test_hostile_names_titles_and_labels_are_escaped() -> None:
    dots = [
        Dot("x", HOSTILE, 48.86, 2.35, "answered"),
        Dot("y", "Ok\x00\x1b\ufffe", 0, 0, "waiting"),
    ]
    labels = {**LABELS, "answered": "<b>Answered</b>"}
    result = world_map(dots, title=HOSTILE, labels=labels, description=HOSTILE)
    assert "<script" not in result.svg and "<b>" not in result.svg and "\x00" not in result.svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;" in result.svg
    root = parse(result.svg)
    assert root.findtext(f"{SVG}title") == HOSTILE
    assert root.findtext(f"{SVG}desc") == HOSTILE
    titles = [c.findtext(f"{SVG}title") for c in city_circles(root)]
    assert titles == [f"{HOSTILE} — <b>Answered</b>", "Ok — Not answered"]
    assert not list(root.iter("script")) and not list(root.iter(f"{SVG}script"))


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(None, None), (45.0, None), (None, 4.0), (math.nan, 4.0), (45.0, math.inf), (91.0, 0.0)],
)
def test_cities_without_usable_coordinates_are_reported_not_drawn(
    lat: float | None, lon: float | None
) -> None:
    dots = [Dot("lyon", "Lyon", 45.76, 4.84, "answered"), Dot("nowhere", "N", lat, lon, "waiting")]
    result = draw(dots)
    assert result.missing == ("nowhere",)
    assert len(city_circles(parse(result.svg))) == 1
    assert "nan" not in result.svg and "inf" not in result.svg


def test_every_member_city_with_coordinates_is_a_dot() -> None:
    cities = list(UnescoDirectory().load())
    dots = [Dot.of(city, STATES[i % 3]) for i, city in enumerate(cities)]
    result = draw(dots)
    circles = city_circles(parse(result.svg))
    assert len(cities) > 400
    assert len(circles) == sum(city.coordinates is not None for city in cities) > 400
    assert result.missing == tuple(city.id for city in cities if city.coordinates is None)
    for circle in circles:
        x, y = float(circle.get("cx", "")), float(circle.get("cy", ""))
        assert 0 <= x <= WIDTH and 0 <= y <= HEIGHT


def test_a_map_without_cities_is_still_a_map() -> None:
    root = parse(draw([]).svg)
    assert city_circles(root) == [] and len(root.findall(f"{SVG}path")) == 2


def test_wrong_arguments_are_refused() -> None:
    dot = Dot("lyon", "Lyon", 45.76, 4.84, "answered")
    with pytest.raises(ValueError, match="waiting"):
        world_map([dot], title="Map", labels={"answered": "A", "reminded": "R"})
    with pytest.raises(ValueError, match="element_id"):
        world_map([dot], title="Map", labels=LABELS, element_id='x" onload="alert(1)')
    with pytest.raises(ValueError, match="unknown state"):
        draw([Dot("lyon", "Lyon", 1, 1, "late")])  # type: ignore[arg-type]
    root = parse(world_map([dot], title="Map", labels=LABELS, element_id="call-7-map").svg)
    assert root.get("aria-labelledby") == "call-7-map-title"
    assert root.find(f"{SVG}title[@id='call-7-map-title']") is not None


# The shipped outline


def test_the_outline_is_one_small_path_drawn_for_this_projection() -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    assert len(DATA.read_bytes()) < 150_000
    assert (data["width"], data["height"]) == (WIDTH, round(HEIGHT, 1))
    (land,) = parse(draw([]).svg).findall(f"{SVG}path[@class='land']")
    assert land.get("d") == outline() == data["d"]
    found = rings(outline())
    assert 50 < len(found) < 500 and sum(map(len, found)) > 3000
    xs = [x for ring in found for x, _ in ring]
    ys = [y for ring in found for _, y in ring]
    # Fiji and Chukotka reach the antimeridian at both edges; Antarctica is left out.
    assert min(xs) == pytest.approx(0, abs=15) and max(xs) == pytest.approx(WIDTH, abs=15)
    assert min(ys) > 0 and max(ys) < project(-60, 0)[1]


def test_the_outline_has_the_cities_on_land_and_the_oceans_off_it() -> None:
    found = rings(outline())
    for city in sample.cities():
        assert city.coordinates is not None
        assert on_land(project(city.coordinates.lat, city.coordinates.lon), found), city.id
    oceans = [(0, -150), (-30, 80), (35, -40), (42, 51)]  # Pacific, Indian, Atlantic, Caspian
    for lat, lon in oceans:
        assert not on_land(project(lat, lon), found), (lat, lon)
