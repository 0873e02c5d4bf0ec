"""Creative fields: registered by plugins, never hard-coded in the core."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from uccn_sdk.errors import Invalid
from uccn_sdk.messages import N_
from uccn_sdk.models.base import Model
from uccn_sdk.models.values import LanguageCode, Name, Slug


class CreativeField(Model):
    """One of the network's creative fields, such as Music or Architecture."""

    slug: Slug
    names: Annotated[dict[LanguageCode, Name], Field(min_length=1)]
    """The field's name per language; English is required as the fallback."""
    since: int | None = Field(default=None, ge=2004, le=2100)
    """The year the network first designated cities in this field."""

    @field_validator("names")
    @classmethod
    def _english_required(cls, names: dict[str, str]) -> dict[str, str]:
        if "en" not in names:
            raise Invalid(
                N_("give at least the English name ('en'), used when a language is missing")
            )
        return names

    def name(self, language: str = "en") -> str:
        """The name in `language` (or its base language), else in English."""
        base = language.split("-")[0]
        return self.names.get(language) or self.names.get(base) or self.names["en"]
