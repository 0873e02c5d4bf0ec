"""What `uccn doctor` checks: the configuration and the world it points at, each problem with
its fix. The core checks the store and the room map; each connector's factory may check its
platform with ``async diagnose(settings, rooms, secretariat) -> list[Finding]`` (logging in,
the rooms it should be in, what it may do there)."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from uccn_sdk.audience import rooms_for
from uccn_sdk.config import NetworkConfig, RoomMap
from uccn_sdk.plugins import Plugins
from uccn_sdk.store import Store
from uccn_sdk.store.revisions import HEAD

SHOWN = 10
"""The most names a finding lists."""


@dataclass(frozen=True)
class Finding:
    ok: bool
    what: str
    fix: str = ""


Diagnose = Callable[[Mapping[str, Any], RoomMap | None, list[str]], Awaitable[list[Finding]]]


def store_findings(url: str | None) -> list[Finding]:
    """Whether the database answers and is migrated."""
    try:
        store = Store.connect(url)
    except Exception as error:
        return [_unreachable(error)]
    try:
        revision = store.revision()
    except Exception as error:
        return [_unreachable(error)]
    finally:
        store.close()
    if revision != HEAD:
        return [
            Finding(
                False,
                f"the database is at schema revision {revision or 'none'}, not {HEAD}",
                "run `uccn db upgrade` (`uccn bot run` migrates it too when it starts)",
            )
        ]
    return [Finding(True, f"the database answers, at schema revision {HEAD}")]


def _unreachable(error: Exception) -> Finding:
    return Finding(
        False,
        f"the database does not answer: {str(error).splitlines()[0]}",
        "start the server, or fix the URL (--database-url or UCCN_DATABASE_URL)",
    )


def network_findings(store: Store, config: NetworkConfig) -> list[Finding]:
    """The room map against the directory: cities no room reaches, cities without a time
    zone, platforms without a Secretariat."""
    with store.begin() as tx:
        cities = list(tx.cities.all())
    findings: list[Finding] = []
    if not cities:
        findings.append(Finding(False, "the directory holds no city", "install a directory plugin"))
    for platform, rooms in sorted(config.rooms.items()):
        alone = config.model_copy(update={"rooms": {platform: rooms}})
        _targets, unreached = rooms_for(alone, cities)
        if unreached:
            findings.append(
                Finding(
                    False,
                    f"{platform}: no room reaches {len(unreached)} of {len(cities)} cities "
                    f"({_names(unreached)})",
                    f"add them to [rooms.{platform}.cities], or their field's room to "
                    f"[rooms.{platform}.fields]",
                )
            )
        else:
            findings.append(Finding(True, f"{platform}: a room reaches every city"))
        if not config.secretariat.get(platform):
            findings.append(
                Finding(
                    False,
                    f"{platform}: no Secretariat user: nobody can open a call in chat",
                    f'add [secretariat] {platform} = ["…"]',
                )
            )
    zoneless = [c.id for c in cities if not c.timezone]
    if zoneless:
        findings.append(
            Finding(
                False,
                f"{len(zoneless)} cities have no time zone ({_names(zoneless)}): announcements "
                "at a local hour skip them",
                "set their time zone with `uccn cities import`",
            )
        )
    return findings


async def connector_findings(plugins: Plugins, config: NetworkConfig) -> list[Finding]:
    """What each configured connector finds on its platform."""
    findings: list[Finding] = []
    factories = plugins.connectors()
    for platform, settings in sorted(config.connectors.items()):
        factory = factories.get(platform)
        if factory is None:
            findings.append(
                Finding(
                    False,
                    f"{platform}: no connector is installed for it",
                    "install uccn-bot, or the plugin that brings it",
                )
            )
            continue
        diagnose: Diagnose | None = getattr(factory, "diagnose", None)
        if diagnose is None:
            continue
        try:
            found = diagnose(
                settings, config.rooms.get(platform), config.secretariat.get(platform, [])
            )
            findings += await found if inspect.isawaitable(found) else found
        except Exception as error:
            findings.append(
                Finding(False, f"{platform}: the check itself failed: {error}", "see the log")
            )
    return findings


def _names(ids: list[str]) -> str:
    shown = ", ".join(ids[:SHOWN])
    return shown + (f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else "")
