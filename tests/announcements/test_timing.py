"""When a schedule falls due: dates, days of the week, daylight saving, quiet hours, cron."""

from __future__ import annotations

from datetime import UTC, datetime, time
from itertools import islice

import pytest
from pydantic import ValidationError

from uccn_sdk.announcements.timing import occurrences, outside_quiet
from uccn_sdk.models import LocalTime, Once, QuietHours, Recurring
from uccn_sdk.models.announcement import parse_days

NOV = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday


def test_a_weekday_rule_falls_at_the_local_hour_in_each_zone() -> None:
    friday_ten = LocalTime(at=time(10), day="fri")
    (paris,) = islice(occurrences(friday_ten, "Europe/Paris", NOV), 1)
    (dubai,) = islice(occurrences(friday_ten, "Asia/Dubai", NOV), 1)
    assert paris == ("2026-11-27", datetime(2026, 11, 27, 9, tzinfo=UTC))
    assert dubai == ("2026-11-27", datetime(2026, 11, 27, 6, tzinfo=UTC))


def test_an_hour_skipped_by_daylight_saving_is_posted_that_much_later() -> None:
    night = LocalTime(at=time(2, 30), day="2026-03-29")  # clocks go forward at 02:00 in Paris
    (only,) = occurrences(night, "Europe/Paris", NOV.replace(year=2025))
    assert only[1] == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 summer time


def test_an_hour_repeated_by_daylight_saving_is_posted_once_at_the_first() -> None:
    daily = LocalTime(at=time(2, 30), day="daily")
    start = datetime(2026, 10, 24, 12, tzinfo=UTC)
    found = list(islice(occurrences(daily, "Europe/Paris", start), 2))
    assert found == [
        ("2026-10-25", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # 02:30 summer time
        ("2026-10-26", datetime(2026, 10, 26, 1, 30, tzinfo=UTC)),
    ]
    cron = Recurring(cron="30 2 * * *", timezone="Europe/Paris")
    names = [name for name, _ in islice(occurrences(cron, None, start), 2)]
    assert names == ["2026-10-25T02:30", "2026-10-26T02:30"]  # not 02:30 twice on the 25th


def test_a_cron_rule_that_never_fires_has_no_occurrence() -> None:
    assert list(occurrences(Recurring(cron="0 0 31 2 *"), None, NOV)) == []


def test_a_moment_in_the_past_has_no_occurrence() -> None:
    assert list(occurrences(Once(at=datetime(2026, 1, 1, tzinfo=UTC)), None, NOV)) == []


def test_a_delivery_in_quiet_hours_waits_for_their_end() -> None:
    quiet = QuietHours(start=time(21), end=time(8))
    late = datetime(2026, 11, 23, 22, tzinfo=UTC)  # 23:00 in Paris
    assert outside_quiet(late, "Europe/Paris", quiet) == datetime(2026, 11, 24, 7, tzinfo=UTC)
    noon = datetime(2026, 11, 23, 12, tzinfo=UTC)
    assert outside_quiet(noon, "Europe/Paris", quiet) == noon


@pytest.mark.parametrize(
    ("rule", "days"),
    [
        ("fri", {4}),
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("fri-mon", {4, 5, 6, 0}),
        ("daily", set(range(7))),
    ],
)
def test_day_rules(rule: str, days: set[int]) -> None:
    assert parse_days(rule) == days


@pytest.mark.parametrize(
    ("rule", "message"),
    [("friday", "is not a day"), ("2026-13-01", "is not a date"), ("mon-xyz", "is not a day")],
)
def test_bad_day_rules_say_what_is_accepted(rule: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        LocalTime(at=time(10), day=rule)


def test_a_bad_cron_rule_is_refused_with_its_fields_named() -> None:
    with pytest.raises(ValidationError, match="five-field cron"):
        Recurring(cron="0 10 * * fri *")
    with pytest.raises(ValidationError, match="not a valid cron"):
        Recurring(cron="0 25 * * fri")
