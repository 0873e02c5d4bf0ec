"""Cities a few hours' flight apart fit each other: their people can meet in person.

The score falls from 1 for two cities side by side to 0 at UCCN_FLIGHT_HOURS hours of
flight (6 unless set), from the great-circle distance at 800 km/h.
"""

from __future__ import annotations

import os

import numpy as np

SPEED_KMH = 800.0
EARTH_RADIUS_KM = 6371.0


def _limit() -> float:
    text = os.environ.get("UCCN_FLIGHT_HOURS", "6")
    try:
        hours = float(text)
    except ValueError:
        hours = 0.0
    if not 0 < hours <= 24:
        raise ValueError(f"UCCN_FLIGHT_HOURS must be a number of hours from 1 to 24, not {text!r}")
    return hours


class FlightHours:
    name = "flight-hours"
    weight = 0.5

    def index(self, network):
        points = [
            (c.coordinates.lat, c.coordinates.lon) if c.coordinates else (np.nan, np.nan)
            for c in network.cities
        ]
        return _Index(network.rows, np.radians(np.array(points, dtype=float)), _limit())


class _Index:
    def __init__(self, rows, points, limit):
        self.rows = rows  # city id -> row
        self.points = points  # (latitude, longitude) per row, in radians; NaN when unknown
        self.limit = limit

    def applies(self, subject):
        # A city, or a project through its lead city; a free text has no place.
        row = self.rows.get(subject.city)
        return row is not None and not np.isnan(self.points[row]).any()

    def score(self, subjects):
        """One row per subject, one column per city: 1 side by side, 0 at the limit."""
        scores = np.zeros((len(subjects), len(self.points)))
        for i, subject in enumerate(subjects):
            row = self.rows.get(subject.city)
            if row is not None:
                hours = self._distance_km(self.points[row]) / SPEED_KMH
                scores[i] = np.clip(1 - hours / self.limit, 0, 1)
        return np.nan_to_num(scores)  # a city with no coordinates scores 0

    def explain(self, subject, candidate, score):
        if score <= 0:
            return ""
        hours = max(1, round((1 - score) * self.limit))
        return f"about {hours} hour{'s' if hours > 1 else ''}' flight apart"

    def _distance_km(self, origin):
        """Great-circle distances from `origin` to every city (the haversine formula)."""
        lat, lon = self.points[:, 0], self.points[:, 1]
        a = (
            np.sin((lat - origin[0]) / 2) ** 2
            + np.cos(origin[0]) * np.cos(lat) * np.sin((lon - origin[1]) / 2) ** 2
        )
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def uccn_register_match_scorers(register):
    register(FlightHours())
