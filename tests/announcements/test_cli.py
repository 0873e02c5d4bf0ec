"""`uccn announce …` end to end on a fresh store."""

from __future__ import annotations

import pytest

FUTURE = "2030-03-01"


def test_preview_then_schedule_list_show_pause_and_cancel(configured) -> None:  # type: ignore[no-untyped-def]
    uccn = configured
    options = ["--when", f"{FUTURE} 10:00 local", "--city", "lyon", "--field", "music"]
    preview = uccn("announce", "preview", "spring", "--text", "Spring meeting", *options)
    assert preview.code == 0, preview.err
    assert "spring: 10:00 local time, 2030-03-01, to 2 rooms." in preview.out
    assert "matrix !lyon (lyon): Fri 2030-03-01 10:00 Europe/Paris = 2030-03-01 09:00 UTC" in (
        preview.out
    )
    assert "Nothing is scheduled yet" in preview.out
    assert "No announcements yet" in uccn("announce", "list").out
    created = uccn("announce", "new", "spring", "--text", "Spring meeting", *options)
    assert created.code == 0 and "Announcement 'spring' is scheduled." in created.out
    listed = uccn("announce", "list").out
    assert "spring" in listed and "scheduled" in listed and "2030-03-01 09:00" in listed
    assert uccn("announce", "pause", "spring").code == 0
    paused = uccn("announce", "list").out
    assert "paused" in paused and "2030-03-01 09:00" not in paused  # nothing is coming
    edited = uccn("announce", "edit", "spring", "--text", "Spring meeting, room B")
    assert "cannot" not in edited.err and edited.code == 0
    assert "Spring meeting, room B" in uccn("announce", "show", "spring").out
    narrowed = uccn("announce", "edit", "spring", "--city", "lyon")
    assert narrowed.code == 0 and "to 1 room." in narrowed.out
    assert uccn("announce", "cancel", "spring").code == 0
    again = uccn("announce", "resume", "spring")
    assert again.code == 1 and "is cancelled; it cannot be made scheduled" in again.err


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--when", "2020-01-01T10:00+00:00", "--everyone"], "is in the past"),
        (["--when", "2030-01-01T10:00", "--everyone"], "has no UTC offset"),
        (["--when", "someday", "--everyone"], "is not a moment I can read"),
        (["--when", "9999-12-31T23:30-01:00", "--everyone"], "too far ahead"),
        (["--when", "fri 10:00 local"], "the audience is empty"),
        (["--when", "fri 10:00 local", "--everyone", "--quiet", "9-10"], "not a time of day"),
        (["--when", "fri 10:00 local", "--everyone", "--skip", "mondays"], "Only weekends"),
        (
            ["--when", "sat 10:00 local", "--city", "lyon", "--skip", "weekends"],
            "“sat” is a weekend day in every target city and weekends are skipped: it would "
            "never be posted",
        ),
        (["--when", "cron 0 0 31 2 *", "--everyone"], "never fires"),
        (["--when", "cron 0 10 * * fri", "--tz", "Mars/Olympus", "--everyone"], "time zone"),
    ],
)
def test_bad_announcements_are_refused_with_the_reason(  # type: ignore[no-untyped-def]
    configured, arguments: list[str], says: str
) -> None:
    result = configured("announce", "new", "bad", "--text", "x", *arguments)
    assert result.code == 1 and says in result.err, result.err
