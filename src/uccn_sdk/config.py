"""How the bot meets the network: rooms per platform, who the Secretariat is, timings."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from pydantic import Field

from uccn_sdk.models.base import Model
from uccn_sdk.models.people import Handle, Platform
from uccn_sdk.models.values import LanguageCode, Slug


class RoomMap(Model):
    """One platform's rooms: a city's own room, a field's sub-network room, the Secretariat's."""

    cities: dict[Slug, str] = {}
    fields: dict[Slug, str] = {}
    secretariat: str | None = None


class NetworkConfig(Model):
    rooms: dict[Platform, RoomMap] = {}
    secretariat: dict[Platform, list[Handle]] = {}
    """The Secretariat's user ids on each platform: only they open calls and broadcast."""
    language: LanguageCode = "en"
    reminder_lead: timedelta = timedelta(days=2)
    """How long before a deadline cities that have not answered are reminded."""
    reminder_hours: Annotated[tuple[int, int], Field()] = (9, 18)
    """The local hours (from, to) within which a reminder may be posted."""

    def is_secretariat(self, platform: str, user_id: str) -> bool:
        return user_id in self.secretariat.get(platform, [])


CityId = Slug
