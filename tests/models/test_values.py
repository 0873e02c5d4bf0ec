from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from uccn_sdk.models.values import CountryCode, LanguageCode, Sdg, Slug, TimeZone


class Probe(BaseModel):
    country: CountryCode = "FR"
    language: LanguageCode = "en"
    zone: TimeZone = "UTC"
    sdg: Sdg = 11
    slug: Slug = "music"


@pytest.mark.parametrize(
    ("field", "value", "normalised"),
    [
        ("country", "ng", "NG"),
        ("language", "pt_br", "pt-BR"),
        ("language", "zh-hant-tw", "zh-Hant-TW"),
        ("language", "ay", "ay"),  # Aymara: official in Bolivia, an ISO 639 code CLDR lacks
        ("zone", "Africa/Lagos", "Africa/Lagos"),
        ("sdg", 17, 17),
        ("slug", "granada-0", "granada-0"),
    ],
)
def test_valid_values_are_normalised(field: str, value: object, normalised: object) -> None:
    assert getattr(Probe.model_validate({field: value}), field) == normalised


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("country", "XX", "ISO 3166-1"),
        ("country", "France", "ISO 3166-1"),
        ("language", "english", "language tag"),
        ("language", "qqq", "ISO 639"),
        ("zone", "Paris", "IANA time zone"),
        ("zone", "Europe/Pariss", "IANA time zone"),
        ("sdg", 0, "greater than or equal to 1"),
        ("sdg", 18, "less than or equal to 17"),
        ("slug", "Media Arts", "lowercase letters"),
        ("slug", "a--b", "single hyphens"),
    ],
)
def test_invalid_values_say_what_is_expected(field: str, value: object, says: str) -> None:
    with pytest.raises(ValidationError) as error:
        Probe.model_validate({field: value})
    assert says in str(error.value)
