"""Matching as the CLI and the bot use it: subjects by name, a cached index, opt-outs."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Literal

from uccn_sdk.config import NetworkConfig
from uccn_sdk.matching.engine import Matcher, MatchError, MatchFilters, MatchResult
from uccn_sdk.matching.network import Network
from uccn_sdk.matching.profile import Profile, of_project, of_text
from uccn_sdk.messages import N_
from uccn_sdk.plugins import Plugins
from uccn_sdk.runtime.context import Runtime
from uccn_sdk.store import Store

REFRESH_AFTER = 600.0
"""Seconds an index is reused before the network is read again (sooner if it grew)."""

SubjectKind = Literal["city", "project", "text"]
log = logging.getLogger("uccn.matching")


@dataclass(frozen=True)
class _Fingerprint:
    cities: int
    projects: int
    matches: int
    optouts: int


class Matching:
    def __init__(self, store: Store, plugins: Plugins, config: NetworkConfig) -> None:
        self.store = store
        self.plugins = plugins
        self.config = config
        self._matcher: Matcher | None = None
        self._built: tuple[_Fingerprint, float] | None = None
        self._building = threading.Lock()

    @classmethod
    def of(cls, runtime: Runtime) -> Matching:
        """The matching service `runtime` keeps: its index is built once for the bot's life."""
        return runtime.keep(cls, lambda: cls(runtime.store, runtime.plugins, runtime.config))
        """One build at a time: a second asker waits for it rather than building again."""

    def _fingerprint(self) -> _Fingerprint:
        with self.store.begin() as tx:
            return _Fingerprint(
                tx.cities.count(),
                tx.projects.count(),
                tx.matches.count(),
                tx.optouts.count(),
            )

    def matcher(self, *, fresh: bool = False) -> Matcher:
        """The engine over the network as stored; rebuilt when the network changed."""
        with self._building:
            return self._current(fresh)

    def warm(self) -> None:
        """Build the index now, so that the first question is answered at once: the bot
        calls it in a thread when it starts. A network that cannot be matched is logged."""
        started = time.perf_counter()
        try:
            matcher = self.matcher()
        except MatchError as error:
            log.warning("matching is not ready: %s", error)
            return
        except Exception:  # only a head start: the first question builds it again, or says why
            log.exception("building the matching index at start failed")
            return
        log.info(
            "matching index built over %d cities in %.1f s",
            len(matcher.network),
            time.perf_counter() - started,
        )

    def _current(self, fresh: bool) -> Matcher:
        fingerprint = self._fingerprint()
        if (
            not fresh
            and self._matcher is not None
            and self._built is not None
            and self._built[0] == fingerprint
            and time.monotonic() - self._built[1] < REFRESH_AFTER
        ):
            return self._matcher
        network = Network.load(
            self.store, fields=self.plugins.fields(), settings=self.config.matching
        )
        self._matcher = Matcher(network, list(self.plugins.match_scorers()))
        self._built = (fingerprint, time.monotonic())
        return self._matcher

    def subject(self, kind: SubjectKind, ref: str, matcher: Matcher | None = None) -> Profile:
        """The city, project or text to find peers for; a clear error when it is unknown."""
        network = (matcher or self.matcher()).network
        if kind == "city":
            row = network.rows.get(ref.strip().lower())
            if row is None:
                raise _unknown_city(ref, network)
            return network.profiles[row]
        if kind == "project":
            with self.store.begin() as tx:
                project = tx.projects.get(ref)
                lead = tx.cities.get(project.lead_city) if project else None
            if project is None or lead is None:
                raise MatchError(
                    N_("there is no project “{project}”: `uccn projects list` shows the projects"),
                    project=ref,
                )
            return of_project(project, lead)
        text = ref.strip()
        if not text:
            raise MatchError(N_("say what you look for, such as “a festival on food heritage”"))
        limit = self.config.matching.max_text
        if len(text) > limit:
            raise MatchError(
                N_(
                    "the text is {length:,} characters long; keep it under {limit:,} "
                    "(a paragraph on what you look for is enough)"
                ),
                length=len(text),
                limit=limit,
            )
        return of_text(text)

    def match(
        self,
        kind: SubjectKind,
        ref: str,
        k: int = 10,
        filters: MatchFilters | None = None,
        *,
        language: str = "en",
    ) -> MatchResult:
        """The `k` best cities for a subject, explained in `language`."""
        matcher = self.matcher()
        return matcher.match(self.subject(kind, ref, matcher), k, filters, language=language)

    def set_opt_out(self, city: str, opted_out: bool) -> bool:
        """Take `city` out of suggestions and rounds (or back in); whether anything changed."""
        with self.store.begin() as tx:
            if tx.cities.get(city) is None:
                raise MatchError(N_("there is no city “{city}”"), city=city)
            return tx.optouts.set(city, opted_out)


def _unknown_city(ref: str, network: Network) -> MatchError:
    """The error for a city `network` does not have, naming the closest ids."""
    import difflib

    wanted = ref.strip().lower()
    names = {c.name.lower(): c.id for c in network.cities}
    close = difflib.get_close_matches(wanted, [*network.rows, *names], n=3)
    ids = sorted({names.get(c, c) for c in close})
    if ids:
        return MatchError(
            N_("there is no city “{city}”; did you mean {ids}?"), city=ref, ids=", ".join(ids)
        )
    return MatchError(N_("there is no city “{city}”; `uccn cities list` shows the ids"), city=ref)
