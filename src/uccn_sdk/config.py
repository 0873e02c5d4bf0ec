"""How the bot meets the network: rooms per platform, who the Secretariat is, timings."""

from __future__ import annotations

import math
import os
import tomllib
from datetime import time, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator

from uccn_sdk.errors import UccnError
from uccn_sdk.models.base import Model
from uccn_sdk.models.people import Handle, Platform
from uccn_sdk.models.values import LanguageCode, Slug, TimeZone


class RoomMap(Model):
    """One platform's rooms: a city's own room, a field's sub-network room, the Secretariat's."""

    cities: dict[Slug, str] = {}
    fields: dict[Slug, str] = {}
    secretariat: str | None = None
    introductions: str | None = None
    """Where a round introduces two cities that share no field room (else the Secretariat's)."""


class Digest(Model):
    """The weekly digest for the Secretariat's rooms."""

    enabled: bool = True
    day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"
    at: time = time(9, 0)
    timezone: TimeZone = "UTC"


class MatchingSettings(Model):
    """How peers are suggested and rounds are run."""

    weights: dict[str, float] = {}
    """Each scorer's weight by name, over the weight the scorer proposes; 0 turns one off."""
    complements: dict[Slug, list[Slug]] = {}
    """Fields that work well with another, such as gastronomy = ["crafts-folk-art"]."""
    working_hours: tuple[int, int] = (9, 17)
    """The local working day, for the overlap of working hours."""
    seasoned_after: int = 8
    """Years in the network after which a city can mentor one designated recently."""
    recent_within: int = 4
    """Years in the network within which a city counts as recently designated."""
    follow_up_after: timedelta = timedelta(days=14)
    """How long after a round's introductions the bot asks whether the pairs met."""
    max_text: int = 5_000
    """The longest free text a match is asked for."""

    @field_validator("weights")
    @classmethod
    def _weights(cls, weights: dict[str, float]) -> dict[str, float]:
        for name, weight in weights.items():
            if not math.isfinite(weight) or weight < 0:
                raise ValueError(f"the weight of {name!r} must be a number 0 or more")
        return weights


class HttpSettings(Model):
    """The bot's small HTTP listener: `/healthz`, `/readyz`, `/metrics`."""

    host: str = "127.0.0.1"
    """Loopback by default: put a proxy in front, or name an address to scrape from outside."""
    port: Annotated[int, Field(ge=0, le=65535)] = 9464
    """The first worker's port; worker N (from 0) listens on port + N. 0 picks a free one."""
    stuck_after: timedelta = timedelta(minutes=5)
    """`/readyz` fails when the oldest event or post waiting is older than this."""


class WebSettings(Model):
    """The Secretariat's web console (a `[web]` section): where it listens, and the address
    people open, which sign-in links name."""

    url: Annotated[str, Field(pattern=r"^https?://[^\s/]+(/[^\s]*)?$")] = "http://127.0.0.1:8080"
    """The console's address as people reach it (behind a proxy: the proxy's https address).
    Sign-in cookies are marked Secure when it is https."""
    host: str = "127.0.0.1"
    """Loopback by default: put a proxy (with TLS) in front to open it to the network."""
    port: Annotated[int, Field(ge=0, le=65535)] = 8080
    link_minutes: Annotated[int, Field(ge=1, le=60)] = 10
    """How long a sign-in link works; it works once."""
    session_hours: Annotated[int, Field(ge=1, le=24 * 30)] = 12
    """How long a signed-in browser stays signed in."""


class NetworkConfig(Model):
    rooms: dict[Platform, RoomMap] = {}
    secretariat: dict[Platform, list[Handle]] = {}
    """The Secretariat's user ids on each platform: only they open calls and broadcast."""
    language: LanguageCode = "en"
    reminder_lead: timedelta = timedelta(days=2)
    """How long before a deadline cities that have not answered are reminded."""
    reminder_hours: tuple[int, int] = (9, 18)
    """The local hours (from, to) within which a reminder may be posted."""
    announcement_grace: timedelta = timedelta(minutes=15)
    """How late a scheduled delivery may still be posted (after downtime); later, it is
    reported as missed, never posted twice."""
    digest: Digest = Digest()
    matching: MatchingSettings = MatchingSettings()
    connectors: dict[Platform, dict[str, Any]] = {}
    """Each connector's own settings (homeserver, tokens, …), read by the connector."""
    http: HttpSettings | None = None
    """Serve health and metrics (an `[http]` section); off without one."""
    web: WebSettings | None = None
    """Serve the web console beside the bot (a `[web]` section); `uccn web` serves it alone."""

    def is_secretariat(self, platform: str, user_id: str) -> bool:
        return user_id in self.secretariat.get(platform, [])


CONFIG_ENV = "UCCN_CONFIG"


SECRET_WORDS = ("password", "token", "secret", "key")
"""A connector setting whose name holds one of these is a secret."""


def config_path(path: Path | None = None) -> Path | None:
    """The configuration file in use: `path`, else UCCN_CONFIG's, else none."""
    named = os.environ.get(CONFIG_ENV)
    return path or (Path(named) if named else None)


def exposed_secrets(path: Path) -> list[str]:
    """The secrets (connector passwords, tokens) in the configuration at `path` that users
    other than its owner can read, by name; [] when the file is private or holds none."""
    try:
        mode = path.stat().st_mode
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return []
    if not mode & 0o077:
        return []
    connectors = data.get("connectors", {})
    return sorted(
        f"connectors.{platform}.{name}"
        for platform, settings in connectors.items()
        if isinstance(settings, dict)
        for name, value in settings.items()
        if value and any(word in name.lower() for word in SECRET_WORDS)
    )


def load_config(path: Path | None = None) -> NetworkConfig:
    """The configuration in `path` (TOML), else in UCCN_CONFIG, else the defaults."""
    if path is None:
        named = os.environ.get(CONFIG_ENV)
        if not named:
            return NetworkConfig()
        path = Path(named)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UccnError(f"cannot read the configuration {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise UccnError(f"the configuration {path} is not valid TOML: {error}") from None
    try:
        return NetworkConfig.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()[:5]
        )
        raise UccnError(f"the configuration {path} is wrong: {problems}") from None
