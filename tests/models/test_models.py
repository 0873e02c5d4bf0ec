from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from pydantic import BaseModel, ValidationError

from uccn_sdk.models import (
    Announcement,
    Audience,
    Call,
    City,
    CreativeField,
    FocalPoint,
    LocalTime,
    Match,
    MessageRef,
    Party,
    Project,
    Question,
    Reply,
    Revision,
    ScorePart,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def city(**changes: object) -> City:
    data: dict[str, object] = {
        "id": "granada-0",
        "name": "Granada",
        "country": "NI",
        "designations": [{"field": "design", "year": 2023, "source": "unesco_press_release_2023"}],
        "coordinates": {"lat": 11.93, "lon": -85.95},
        "timezone": "America/Managua",
        "languages": ["es"],
        "region": "latin-america-caribbean",
        "provenance": {"country": "unverified"},
    }
    return City.model_validate({**data, **changes})


EXAMPLES: list[BaseModel] = [
    CreativeField(slug="music", names={"en": "Music", "fr": "Musique"}, since=2006),
    city(),
    FocalPoint(
        id="ana-granada",
        city="granada-0",
        name="Ana",
        handles={"matrix": "@ana:example.org", "slack": "U024BE7LH"},
        email="ana@example.org",
        language="es",
    ),
    Project(
        id="food-heritage",
        title="Food heritage and climate",
        lead_city="granada-0",
        partners=["popayan"],
        fields=["gastronomy"],
        sdgs=[11, 12],
        themes=["heritage"],
    ),
    Call(
        id="monitoring-2026",
        title="Monitoring reports",
        text="Tell us about your year.",
        questions=[
            Question(
                id="q1", prompt="Did you host an event?", kind="choice", choices=["yes", "no"]
            ),
            Question(id="q2", prompt="How many visitors?", kind="number"),
        ],
        audience=Audience(fields=["music"], regions=["africa"]),
        deadline=NOW + timedelta(days=30),
        created_at=NOW,
    ),
    Reply(
        call="monitoring-2026",
        city="granada-0",
        author="@ana:example.org",
        text="1. yes 2. 1200",
        answers={"q1": "yes", "q2": 1200.0, "q3": "2026-12-01"},
        source=MessageRef(platform="matrix", room="!abc:example.org", event_id="$ev1"),
        verified=True,
        history=[Revision(text="1. no", at=NOW)],
        received_at=NOW,
        updated_at=NOW,
    ),
    Announcement(
        id="music-day",
        text="Happy music day",
        audience=Audience(fields=["music"]),
        schedule=LocalTime(at=time(10, 0), day="fri"),
    ),
    Match(
        subject=Party(kind="city", ref="granada-0"),
        other=Party(kind="city", ref="popayan"),
        score=0.8,
        parts=[ScorePart(scorer="field", score=1.0, weight=0.5, explanation="both Gastronomy")],
    ),
]


@pytest.mark.parametrize("record", EXAMPLES, ids=lambda r: type(r).__name__)
def test_every_type_survives_a_json_round_trip(record: BaseModel) -> None:
    assert type(record).model_validate_json(record.model_dump_json()) == record


def test_field_name_falls_back_to_english() -> None:
    field = EXAMPLES[0]
    assert isinstance(field, CreativeField)
    assert field.name("fr-CA") == "Musique"
    assert field.name("es") == "Music"


def test_a_field_needs_an_english_name() -> None:
    with pytest.raises(ValidationError, match="English name"):
        CreativeField(slug="poetry", names={"fr": "Poésie"})


def test_a_city_keeps_designations_oldest_first_and_knows_its_current_field() -> None:
    lyon = city(
        id="lyon",
        designations=[{"field": "literature", "year": 2023}, {"field": "media-arts", "year": 2008}],
    )
    assert lyon.field == "literature"
    assert lyon.year == 2008
    assert lyon.source_of("coordinates") == "unverified"


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"name": "  "}, "at least 1 character"),
        ({"designations": []}, "at least 1 item"),
        ({"designations": [{"field": "design", "year": 2023}] * 2}, "lists a field twice"),
        ({"coordinates": {"lat": 91, "lon": 0}}, "less than or equal to 90"),
        ({"provenance": {"mayor": "x"}}, "Input should be 'name'"),
        ({"population": 5}, "Extra inputs are not permitted"),
    ],
)
def test_bad_cities_are_refused_with_a_reason(changes: dict[str, object], says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        city(**changes)


def test_a_new_call_needs_a_future_deadline() -> None:
    data = {
        "id": "late",
        "title": "Late",
        "text": "Too late",
        "audience": {"everyone": True},
        "deadline": NOW - timedelta(hours=1),
    }
    with pytest.raises(ValueError, match="has passed"):
        Call.draft(data, now=NOW)
    assert Call.draft({**data, "deadline": NOW + timedelta(days=1)}, now=NOW).state == "draft"


def test_a_deadline_needs_its_offset() -> None:
    with pytest.raises(ValidationError, match="UTC offset"):
        Call(
            id="naive",
            title="t",
            text="t",
            audience=Audience(everyone=True),
            deadline=datetime(2027, 1, 1),
        )


@pytest.mark.parametrize(
    ("audience", "says"),
    [({}, "audience is empty"), ({"everyone": True, "fields": ["music"]}, "not both")],
)
def test_an_audience_names_someone(audience: dict[str, object], says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        Audience.model_validate(audience)


def test_a_choice_question_needs_choices() -> None:
    with pytest.raises(ValidationError, match="at least two choices"):
        Question(id="q1", prompt="Pick", kind="choice", choices=["only"])


def test_project_sdgs_are_1_to_17_and_unique() -> None:
    base = {"id": "p", "title": "P", "lead_city": "lyon"}
    with pytest.raises(ValidationError, match="less than or equal to 17"):
        Project.model_validate({**base, "sdgs": [18]})
    with pytest.raises(ValidationError, match="listed twice"):
        Project.model_validate({**base, "sdgs": [11, 11]})
    with pytest.raises(ValidationError, match="also listed as a partner"):
        Project.model_validate({**base, "partners": ["lyon"]})


def test_match_scores_are_finite_and_within_0_and_1() -> None:
    party = Party(kind="city", ref="lyon")
    with pytest.raises(ValidationError):
        Match(subject=party, other=party, score=float("nan"))
    with pytest.raises(ValidationError):
        Match(subject=party, other=party, score=1.5)
