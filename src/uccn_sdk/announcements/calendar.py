"""Working days per country: weekends and public holidays, from the `holidays` package."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from uccn_sdk.announcements.phrases import WEEKEND, Phrase, holiday

DEFAULT_WEEKEND = frozenset({5, 6})


@cache
def _country(country: str, year: int) -> Any | None:
    import holidays

    try:
        return holidays.country_holidays(country, years=year)
    except NotImplementedError:
        return None  # no calendar for this country in the package


def weekend(country: str, year: int) -> frozenset[int]:
    """The weekday numbers (Monday is 0) of the country's weekend."""
    calendar = _country(country, year)
    return frozenset(calendar.weekend) if calendar is not None else DEFAULT_WEEKEND


def day_off(country: str, day: date, *, weekends: bool, holidays: bool) -> Phrase | None:
    """Why `day` is not a working day in `country` ("weekend", "holiday: …"), or None."""
    if weekends and day.weekday() in weekend(country, day.year):
        return WEEKEND
    if holidays:
        calendar = _country(country, day.year)
        if calendar is not None and day in calendar:
            return holiday(str(calendar.get(day))[:191])  # 200 characters in all, in English
    return None
