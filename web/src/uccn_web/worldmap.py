"""A world map of a call's audience: one SVG drawn on the server, no map tiles, no script.

The outline is Natural Earth's 1:110m land (public domain): coastlines without Antarctica, and
no borders, so that the map takes no side on a disputed one. It is projected once with the Equal
Earth projection and shipped as one SVG path in ``data/world-110m.json`` (``data/README.md``
says where it comes from and how ``web/scripts/build_worldmap.py`` rebuilds it). Each city is a
``<circle>`` whose class says its state, with a ``<title>`` for the tooltip; a legend with the
count of each state sits in the map's empty south-west corner.

Colours are presentation attributes (``fill=``), which a Content-Security-Policy without
``'unsafe-inline'`` allows, and every element carries a class, so that the page's stylesheet
can restyle it: ``svg.worldmap``, ``path.sphere`` (the ocean), ``path.land``,
``circle.dot.answered`` / ``.reminded`` / ``.waiting``, ``g.legend``.

    result = world_map(dots, title="Who answered", labels={"answered": ..., ...})
    result.svg        # the <svg> element, ready to be put in a page as is
    result.missing    # ids of the cities drawn nowhere: they have no coordinates
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib.resources import files
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    from uccn_sdk.models import City

State = Literal["answered", "reminded", "waiting"]
"""Where a city stands on a call: it answered, it was reminded and has not, or not yet."""

STATES: tuple[State, ...] = get_args(State)

# Equal Earth (Šavrič, Patterson & Jenny, 2018, doi:10.1080/13658816.2018.1504949): an
# equal-area pseudo-cylindrical projection whose parallels are straight lines.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def _equal_earth(lat: float, lon: float) -> tuple[float, float]:
    """The projection on the unit sphere: x east, y north, (0, 0) at lat 0, lon 0."""
    theta = math.asin(_M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * math.sqrt(3) * math.radians(lon) * math.cos(theta)
    x /= 3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1)
    return x, theta * (_A4 * t6 * t2 + _A3 * t6 + _A2 * t2 + _A1)


WIDTH = 1000.0
"""The map's width in its own units: lon -180 is at x = 0, lon 180 at x = WIDTH."""
_SCALE = WIDTH / 2 / _equal_earth(0, 180)[0]
HEIGHT = 2 * _SCALE * _equal_earth(90, 0)[1]
"""The map's height: lat 90 is at y = 0, lat 0 at HEIGHT / 2, lat -90 at y = HEIGHT."""
MARGIN = 4.0
"""Room around the map in the viewBox, so that a dot or stroke at its edge is not cut."""
_VIEWBOX = f"{-MARGIN:g} {-MARGIN:g} {WIDTH + 2 * MARGIN:g} {HEIGHT + 2 * MARGIN:.1f}"

RADIUS = 3.5
COLOURS: Mapping[State, str] = {
    # Blue, orange and grey tell apart with any colour vision (Okabe & Ito).
    "answered": "#0072b2",
    "reminded": "#e69f00",
    "waiting": "#6e6e6e",
}
# Drawn in this order: where dots overlap, the cities still to chase are on top.
_DRAWN: tuple[State, ...] = ("answered", "waiting", "reminded")
_ID = re.compile(r"[A-Za-z][\w-]{0,63}")
# What XML 1.0 refuses even escaped: control characters, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def project(lat: float, lon: float) -> tuple[float, float]:
    """Where a place is on the map, in the viewBox's units: x east, y south."""
    x, y = _equal_earth(lat, lon)
    return WIDTH / 2 + _SCALE * x, HEIGHT / 2 - _SCALE * y


@dataclass(frozen=True, slots=True)
class Dot:
    """One city on the map; without coordinates (lat or lon None) it is not drawn."""

    city_id: str
    name: str
    lat: float | None
    lon: float | None
    state: State

    @classmethod
    def of(cls, city: City, state: State) -> Dot:
        """The dot of a member city, from the directory's record."""
        where = city.coordinates
        lat, lon = (where.lat, where.lon) if where else (None, None)
        return cls(city.id, city.name, lat, lon, state)

    @property
    def position(self) -> tuple[float, float] | None:
        """Where the dot is on the map; None without coordinates, or with impossible ones."""
        lat, lon = self.lat, self.lon
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return None  # NaN is in no range
        return project(lat, lon)


@dataclass(frozen=True, slots=True)
class WorldMap:
    """The map as an ``<svg>`` element, and the cities it could not place."""

    svg: str
    missing: tuple[str, ...]
    """The ids of the cities without coordinates, in the order given."""

    def __str__(self) -> str:
        return self.svg

    def __html__(self) -> str:
        """The SVG, which a template engine (Jinja, MarkupSafe) puts in a page unescaped."""
        return self.svg


def world_map(
    dots: Sequence[Dot],
    *,
    title: str,
    labels: Mapping[str, str],
    description: str | None = None,
    element_id: str = "worldmap",
) -> WorldMap:
    """Draw `dots` on the world: `labels` names each state (in the reader's language) for the
    tooltips and the legend; `description`, if given, becomes the SVG's `<desc>`; `element_id`
    prefixes the ids the accessible name points at, and differs per map on one page."""
    if not _ID.fullmatch(element_id):
        raise ValueError(f"element_id {element_id!r} is not a plain HTML id")
    if unnamed := [state for state in STATES if state not in labels]:
        raise ValueError(f"labels has no text for {', '.join(unnamed)}")
    if unknown := sorted({dot.state for dot in dots} - set(STATES)):
        raise ValueError(f"unknown state {', '.join(map(repr, unknown))}")
    placed: list[tuple[Dot, tuple[float, float]]] = []
    missing: list[str] = []
    for dot in dots:
        if (position := dot.position) is None:
            missing.append(dot.city_id)
        else:
            placed.append((dot, position))
    placed.sort(key=lambda item: _DRAWN.index(item[0].state))
    label = {state: _text(labels[state]) for state in STATES}
    described = f' aria-describedby="{element_id}-desc"' if description is not None else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="worldmap" viewBox="{_VIEWBOX}" '
        f'role="img" aria-labelledby="{element_id}-title"{described}>'
        f'<title id="{element_id}-title">{_text(title)}</title>'
    ]
    if description is not None:
        parts.append(f'<desc id="{element_id}-desc">{_text(description)}</desc>')
    parts.append(_background())
    parts.append('<g class="dots" stroke="#ffffff" stroke-width="0.75">')
    for dot, (x, y) in placed:
        parts.append(
            f'<circle class="dot {dot.state}" cx="{x:.1f}" cy="{y:.1f}" r="{RADIUS}" '
            f'fill="{COLOURS[dot.state]}"><title>{_text(dot.name)} — {label[dot.state]}'
            "</title></circle>"
        )
    parts.append("</g>")
    parts.append(_legend(label, Counter(dot.state for dot, _ in placed)))
    parts.append("</svg>")
    return WorldMap("".join(parts), tuple(missing))


def _text(value: str) -> str:
    """`value` as XML character data or attribute value: escaped, and without what XML refuses."""
    return escape(_NOT_XML.sub("", value), quote=True)


def _legend(label: Mapping[State, str], counts: Mapping[State, int]) -> str:
    """A key to the colours in the south-west corner, which the Equal Earth outline leaves empty."""
    rows = []
    for row, state in enumerate(reversed(STATES)):
        y = HEIGHT - 8 - 20 * row
        rows.append(
            f'<circle class="dot {state}" cx="8" cy="{y - 5:.1f}" r="5" '
            f'fill="{COLOURS[state]}"/>'
            f'<text x="18" y="{y:.1f}">{label[state]} ({counts[state]})</text>'
        )
    return (
        '<g class="legend" font-family="system-ui, sans-serif" font-size="14" fill="#333333">'
        + "".join(reversed(rows))
        + "</g>"
    )


@cache
def _background() -> str:
    return (
        f'<path class="sphere" d="{_sphere()}" fill="#f3f7fa" stroke="#c5d3de"/>'
        f'<path class="land" d="{outline()}" fill="#dce2e7" stroke="#c3ccd4" '
        'stroke-width="0.5" stroke-linejoin="round"/>'
    )


@cache
def outline() -> str:
    """The shipped land, one SVG path in the map's units (see data/README.md)."""
    data = json.loads((files("uccn_web") / "data" / "world-110m.json").read_text("utf-8"))
    if not (math.isclose(data["width"], WIDTH) and math.isclose(data["height"], round(HEIGHT, 1))):
        raise RuntimeError("data/world-110m.json was drawn for another projection: rebuild it")
    d: str = data["d"]
    return d


def _sphere() -> str:
    """The outline of the whole Earth: the meridians ±180, joined by the poles' lines."""
    west = [project(lat, -180) for lat in range(90, -91, -2)]
    east = [project(lat, 180) for lat in range(-90, 91, 2)]
    return "M" + " ".join(f"{x:.1f},{y:.1f}" for x, y in west + east) + "Z"
