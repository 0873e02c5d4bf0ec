"""Opening, closing and summarising a call; reminders."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest

from tests.calls.conftest import START, Network, Recorder, survey
from uccn_sdk.audience import audience_cities, reaches
from uccn_sdk.calls.service import CallError
from uccn_sdk.chat import OutboundMessage
from uccn_sdk.models import Audience, Question


def test_opening_posts_once_per_room_in_the_readers_time_zone(
    network: Network, recorder: Recorder
) -> None:
    network.calls.create(survey())
    opening = network.calls.open("survey-2026")
    rooms = {row.room: row for row in network.deliver()}
    music_cities = 84
    assert opening.posts == 3  # Lyon's and Bologna's rooms, and the music room for the others
    assert set(rooms) == {"!lyon", "!bologna", "!music"}
    assert len(opening.unreached) == 0
    lyon_post = rooms["!lyon"].message.text  # type: ignore[union-attr]
    assert "📣 Annual survey" in lyon_post
    assert "1. How many events?" in lyon_post
    assert "2026-12-03 09:00 Europe/Paris" in lyon_post
    assert "2026-12-03 08:00 UTC" in rooms["!music"].message.text  # type: ignore[union-attr]
    assert network.calls.summary("survey-2026").targets == music_cities + 1  # Lyon is Literature
    assert recorder.events == [("opened", "survey-2026")]


def test_a_deadline_given_with_an_offset_is_shown_in_utc_where_no_zone_fits(
    network: Network,
) -> None:
    deadline = (START + timedelta(days=10)).astimezone(timezone(timedelta(hours=1)))
    network.calls.create(survey(deadline=deadline))
    network.calls.open("survey-2026")
    rooms = {row.room: row.message.text for row in network.deliver()}  # type: ignore[union-attr]
    assert "2026-12-03 08:00 UTC" in rooms["!music"]  # 09:00 at +01:00 is 08:00 UTC
    assert "2026-12-03 09:00 Europe/Paris" in rooms["!lyon"]


@pytest.mark.parametrize(
    "audience",
    [
        Audience(everyone=True),
        Audience(fields=["music", "film"]),
        Audience(regions=["africa"], countries=["fr"]),
        Audience(cities=["lyon", "kisumu"], fields=["design"]),
    ],
)
def test_whether_a_call_reaches_a_city_agrees_with_its_audience(
    network: Network, audience: Audience
) -> None:
    with network.store.begin() as tx:
        everyone = tx.cities.find()
        named = {c.id for c in audience_cities(tx, audience)}
    assert named == {c.id for c in everyone if reaches(audience, c)}
    assert 0 < len(named) <= len(everyone)


def test_a_mistyped_city_or_field_in_the_audience_is_refused_when_the_call_is_written(
    network: Network,
) -> None:
    with pytest.raises(CallError, match="no member city has the id 'lyom'"):
        network.calls.create(survey(audience=Audience(cities=["lyom"], fields=["music"])))
    with pytest.raises(CallError, match="no member city is in the field 'musik'"):
        network.calls.create(survey(audience=Audience(fields=["musik"])))
    with network.store.begin() as tx:
        assert tx.calls.get("survey-2026") is None


def test_only_a_draft_with_a_future_deadline_opens(network: Network) -> None:
    network.calls.create(survey())
    with pytest.raises(CallError, match="exists already"):
        network.calls.create(survey())
    network.clock.now += timedelta(days=11)
    with pytest.raises(CallError, match=r"deadline .* has passed"):
        network.calls.open("survey-2026")
    network.clock.now -= timedelta(days=11)
    network.calls.open("survey-2026")
    with pytest.raises(CallError, match="is open; only a draft can be opened"):
        network.calls.open("survey-2026")
    with pytest.raises(CallError, match="there is no call 'nope'"):
        network.calls.open("nope")


def test_an_audience_no_room_reaches_is_an_error(network: Network) -> None:
    network.calls.create(survey(audience=Audience(fields=["film"])))
    with pytest.raises(CallError, match="no room reaches the audience"):
        network.calls.open("survey-2026")


def test_closing_summarises_and_tells_the_secretariat(network: Network, recorder: Recorder) -> None:
    network.calls.create(survey(audience=Audience(cities=["lyon", "bologna", "kisumu"])))
    network.calls.open("survey-2026")
    network.deliver()
    post = network.post_of("survey-2026", "!lyon")
    assert (
        network.calls.handle(
            network.message("@ana:uccn.test", "1. 12\n2. Festival", "$a1", post)
        ).result
        == "stored"
    )
    summary = network.calls.close("survey-2026")
    assert (len(summary.answered), summary.targets) == (1, 3)
    assert summary.missing == ["bologna", "kisumu"]
    assert summary.by_field == {"Literature": (1, 1), "Music": (0, 2)}
    assert summary.by_region == {"Africa": (0, 1), "Europe and North America": (1, 2)}
    (report,) = [r for r in network.deliver() if r.kind == "summary"]
    assert report.room == "!secretariat"
    text = report.message.text  # type: ignore[union-attr]
    assert "1 of 3 cities answered (33%)" in text
    assert "Not answered: Bologna, Kisumu" in text
    assert recorder.events[-1] == ("closed", "survey-2026:1")
    with pytest.raises(CallError, match="only an open call can be closed"):
        network.calls.close("survey-2026")


def test_calls_past_their_deadline_close_by_themselves(network: Network) -> None:
    network.calls.create(survey())
    network.calls.open("survey-2026")
    assert network.calls.close_due() == []
    network.clock.now += timedelta(days=10)
    assert network.calls.close_due() == ["survey-2026"]


def test_one_reminder_per_unanswered_city_at_a_local_working_hour(network: Network) -> None:
    network.calls.create(survey(audience=Audience(cities=["lyon", "bologna", "kisumu"])))
    network.calls.open("survey-2026")
    network.deliver()
    post = network.post_of("survey-2026", "!bologna")
    network.calls.handle(network.message("@bo:uccn.test", "1. 3\n2. Jazz", "$b1", post, "!bologna"))
    network.deliver()

    network.clock.now += timedelta(days=7)  # 2026-11-30 08:00 UTC: too early
    assert network.calls.queue_reminders() == 0
    network.clock.now += timedelta(days=1)  # 12-01 08:00 UTC = 09:00 Paris, 11:00 Nairobi
    assert network.calls.queue_reminders() == 2  # Lyon and Kisumu; Bologna answered
    assert network.calls.queue_reminders() == 0  # once only
    reminders = {r.room: r.message for r in network.deliver() if r.kind == "reminder"}
    lyon, music = reminders["!lyon"], reminders["!music"]
    assert isinstance(lyon, OutboundMessage) and isinstance(music, OutboundMessage)
    assert lyon.text.startswith("Rappel : Lyon n’a pas encore répondu")
    assert music.text.startswith("Reminder: Kisumu has not answered")
    assert "2026-12-03 11:00 Africa/Nairobi" in music.text
    # Each reminder mentions its city's focal point, and nobody else.
    assert (lyon.mentions, music.mentions) == (("@ana:uccn.test",), ("@kemi:uccn.test",))

    network.clock.now = network.clock.now.replace(hour=20)  # 21:00 in Paris: nobody
    assert network.calls.queue_reminders() == 0


def test_a_call_opened_within_the_lead_time_is_not_reminded_as_soon_as_it_is_posted(
    network: Network,
) -> None:
    # 30 hours before its deadline, within the two days' lead: reminders wait until halfway.
    deadline = START + timedelta(hours=30)
    network.calls.create(survey(audience=Audience(cities=["lyon"]), deadline=deadline))
    network.calls.open("survey-2026")
    network.deliver()
    assert network.calls.queue_reminders() == 0  # just posted, at 09:00 in Lyon
    network.clock.now += timedelta(hours=6)  # 15:00 in Lyon, before halfway
    assert network.calls.queue_reminders() == 0
    network.clock.now += timedelta(hours=18)  # the next morning, past halfway
    assert network.calls.queue_reminders() == 1
    assert [r.kind for r in network.deliver()] == ["reminder"]


def test_a_call_too_big_for_a_chat_post_is_refused_when_written(network: Network) -> None:
    """Issue 22, finding 8: it passed validation, then failed in every room once opened."""
    chinese = "创意城市网络" * 3_400  # 20,400 characters, six bytes each as \\u escapes
    with pytest.raises(CallError, match=r"over the 60,000 a chat platform takes"):
        network.calls.create(survey(text=chinese[:20_000]))
    many = [
        Question(
            id=f"q{n}",
            prompt="Q" * 1_000,
            kind="choice",
            choices=[f"{i:02d}" * 50 for i in range(20)],
        )
        for n in range(1, 31)
    ]
    with pytest.raises(CallError, match="shorten its text or questions"):
        network.calls.create(survey(questions=many))
    with network.store.begin() as tx:
        assert tx.calls.get("survey-2026") is None
    network.calls.create(survey(text="创意城市网络" * 1_000))  # 6,000 characters fit
