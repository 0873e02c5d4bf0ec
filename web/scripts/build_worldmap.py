"""Build src/uccn_web/data/world-110m.json: Natural Earth's 1:110m land as one SVG path.

Input: countries-110m.json of the npm package world-atlas 2.0.2, a TopoJSON of Natural Earth
4.1.0's Admin 0 countries (public domain; world-atlas itself is ISC), whose `land` object merges
the countries: coastlines only, no border to draw or to dispute. npm fetches it without
installing anything; from the repository's root:

    (cd /tmp && npm pack world-atlas@2.0.2)
    PYTHONPATH=web/src python web/scripts/build_worldmap.py /tmp/world-atlas-2.0.2.tgz

The path is projected with `uccn_web.worldmap.project` (Equal Earth), so that the dots and the
outline always agree; rebuild after changing the projection or the map's size. Antarctica is
left out. Rings that cross the antimeridian (Russia, Fiji) are cut there, and the cut follows
the map's edge. Coordinates are rounded to a tenth of a map unit (1/10,000 of its width).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from uccn_web.worldmap import HEIGHT, WIDTH, project

HERE = Path(__file__).resolve().parent
OUTPUT = HERE.parent / "src" / "uccn_web" / "data" / "world-110m.json"
MEMBER = "package/countries-110m.json"
SOUTH = -60.0  # Antarctica lies south of it, and no member city does

Point = tuple[float, float]  # (lon, lat) in degrees


def read(source: Path) -> bytes:
    if source.suffix == ".json":
        return source.read_bytes()
    with tarfile.open(source) as tarball:
        member = tarball.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"{source} has no {MEMBER}")
        return member.read()


def arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """The topology's arcs, decoded from quantized deltas to degrees."""
    (kx, ky), (dx, dy) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for step_x, step_y in arc:
            x, y = x + step_x, y + step_y
            points.append((x * kx + dx, y * ky + dy))
        decoded.append(points)
    return decoded


def polygons(topology: dict[str, Any]) -> Iterator[list[list[Point]]]:
    """The land's polygons, each a list of rings, open (the first point not repeated)."""
    decoded = arcs(topology)
    for geometry in topology["objects"]["land"]["geometries"]:
        shapes = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        for shape in shapes:
            rings = []
            for ring in shape:
                points: list[Point] = []
                for index in ring:
                    arc = decoded[index] if index >= 0 else decoded[~index][::-1]
                    points.extend(arc if not points else arc[1:])
                rings.append(points[:-1] if points[0] == points[-1] else points)
            yield rings


def rings(topology: dict[str, Any]) -> Iterator[list[Point]]:
    """The rings of every polygon but Antarctica, the only one wholly south of SOUTH."""
    for polygon in polygons(topology):
        if max(lat for _, lat in polygon[0]) >= SOUTH:
            yield from polygon


def unwrap(ring: list[Point]) -> list[Point]:
    """The ring with its longitudes continuous: a ring that crosses the antimeridian runs
    past ±180 instead of jumping across the map."""
    out = []
    shift = 0.0
    for (lon0, _), (lon, lat) in zip(ring, ring[1:] + ring[:1], strict=True):
        if lon - lon0 > 180:
            shift -= 360
        elif lon0 - lon > 180:
            shift += 360
        out.append((lon + shift, lat))
    if shift:  # back at the first point, the ring must be where it started
        raise SystemExit("a ring goes round a pole; only Antarctica's did")
    return out


def clip(ring: list[Point], edge: float, keep_west: bool) -> list[Point]:
    """The part of a ring on one side of the meridian `edge` (Sutherland-Hodgman)."""

    def inside(point: Point) -> bool:
        return point[0] <= edge if keep_west else point[0] >= edge

    out: list[Point] = []
    for previous, point in zip(ring[-1:] + ring[:-1], ring, strict=True):
        if inside(point) != inside(previous):
            t = (edge - previous[0]) / (point[0] - previous[0])
            out.append((edge, previous[1] + t * (point[1] - previous[1])))
        if inside(point):
            out.append(point)
    return out


def pieces(ring: list[Point]) -> Iterator[list[Point]]:
    """The ring cut at the antimeridian, each piece moved back into -180..180."""
    ring = unwrap(ring)
    for east, shift in ((-180.0, 360.0), (180.0, 0.0), (540.0, -360.0)):
        piece = clip(clip(ring, east, keep_west=True), east - 360, keep_west=False)
        if len(piece) >= 3:
            yield [(lon + shift, lat) for lon, lat in piece]


def densified(ring: list[Point]) -> Iterator[Point]:
    """The ring's points, with a point every degree along a long segment that is no parallel
    (a parallel is a straight line in the projection; a meridian, such as the cut, is not)."""
    for (lon0, lat0), (lon1, lat1) in zip(ring, [*ring[1:], ring[0]], strict=True):
        yield lon0, lat0
        steps = int(max(abs(lon1 - lon0), abs(lat1 - lat0))) if lat1 != lat0 else 0
        for step in range(1, steps):
            t = step / steps
            yield lon0 + t * (lon1 - lon0), lat0 + t * (lat1 - lat0)


def number(tenths: int) -> str:
    """A coordinate in tenths as the shortest SVG number: 12.3, 12, .5, -.5."""
    whole, tenth = divmod(abs(tenths), 10)
    text = (str(whole) if whole else "") + (f".{tenth}" if tenth else "") or "0"
    return "-" + text if tenths < 0 else text


def path(ring: list[Point]) -> str:
    """One subpath: the first point absolute, then relative steps, closed."""
    points: list[tuple[int, int]] = []
    for lon, lat in densified(ring):
        x, y = project(lat, max(-180.0, min(180.0, lon)))
        point = (round(x * 10), round(y * 10))
        if not points or point != points[-1]:
            points.append(point)
    while len(points) > 1 and points[-1] == points[0]:
        points.pop()
    if len(points) < 3:
        return ""
    (x0, y0), text = points[0], [f"M{number(points[0][0])} {number(points[0][1])}l"]
    for x, y in points[1:]:
        for value in (x - x0, y - y0):
            text.append(("" if value < 0 or text[-1].endswith("l") else " ") + number(value))
        x0, y0 = x, y
    return "".join(text) + "z"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="world-atlas-2.0.2.tgz or countries-110m.json")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    raw = read(args.source)
    topology = json.loads(raw)
    subpaths = [path(piece) for ring in rings(topology) for piece in pieces(ring)]
    d = "".join(subpath for subpath in subpaths if subpath)
    data = {
        "about": "Natural Earth's 1:110m land but Antarctica, as one SVG path (Equal Earth)",
        "source": "world-atlas 2.0.2, countries-110m.json, objects.land (Natural Earth 4.1.0)",
        "source_sha256": hashlib.sha256(raw).hexdigest(),
        "built_by": "web/scripts/build_worldmap.py",
        "projection": "Equal Earth",
        "width": WIDTH,
        "height": round(HEIGHT, 1),
        "d": d,
    }
    args.output.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"{args.output}: {d.count('M')} rings, {args.output.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
