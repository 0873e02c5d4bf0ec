"""Matching rounds: pair every city of a set, record it, introduce the pairs in chat,
and ask later whether they met; the answers feed the history scorer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from itertools import product

import numpy as np
from numpy.typing import NDArray

from uccn_sdk.audience import audience_cities
from uccn_sdk.calls.answering import ACK
from uccn_sdk.chat.events import Message, OutboundMessage, OutboundReaction
from uccn_sdk.chat.safety import neutralise
from uccn_sdk.matching.engine import Matcher, MatchError
from uccn_sdk.matching.pairing import CANDIDATES, FULL_MAX, Pairing, pair_candidates, pair_full
from uccn_sdk.matching.service import Matching
from uccn_sdk.messages import N_
from uccn_sdk.messages import translate as _
from uccn_sdk.models import Audience, Match, Party, Round, RoundGroup
from uccn_sdk.models.people import handles_on
from uccn_sdk.runtime.context import Runtime
from uccn_sdk.store import Transaction
from uccn_sdk.store.outbox import Queued

REPEAT_PENALTY = 2.0
"""Taken off the score of a pair an earlier round introduced: chosen only if nothing else is."""
BLOCK = 512
"""Cities scored at once while building a round's scores."""


class Rounds:
    def __init__(
        self, matching: Matching, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.matching = matching
        self.store = matching.store
        self.config = matching.config
        self.clock = clock

    @classmethod
    def of(cls, runtime: Runtime) -> Rounds:
        """The rounds service `runtime` keeps, on its matching service."""
        return runtime.keep(cls, lambda: cls(Matching.of(runtime), runtime.clock))

    # -- planning ----------------------------------------------------------------------

    def plan(self, round_id: str, scope: Audience, *, cross_field: bool = False) -> Round:
        """Pair the cities of `scope`; store nothing."""
        matcher = self.matching.matcher(fresh=True)
        network = matcher.network
        with self.store.begin() as tx:
            _require_new(tx, round_id)
            named = [c.id for c in audience_cities(tx, scope)]
        opted_out = sorted(c for c in named if c in network.opted_out)
        members = np.array([network.rows[c] for c in named if c not in network.opted_out])
        if members.size < 2 and opted_out:
            raise MatchError(
                N_(
                    "the round needs at least two cities; the scope has {count} ({opted} opted out)"
                ),
                count=members.size,
                opted=len(opted_out),
            )
        if members.size < 2:
            raise MatchError(
                N_("the round needs at least two cities; the scope has {count}"),
                count=members.size,
            )
        pairing = pair_members(matcher, members, cross_field)
        cities = [network.cities[row].id for row in members]
        matches = _explain(matcher, members, pairing, self.config.language)
        groups = []
        for i, group in enumerate(pairing.groups):
            ids = [cities[j] for j in group]
            repeat = any(network.paired.get(frozenset((a, b))) for a in ids for b in ids if a < b)
            groups.append(
                RoundGroup(
                    cities=ids,
                    score=matches[i].score,
                    explanation=matches[i].explanation(),
                    repeat=repeat,
                )
            )
        now = self.clock()
        return Round(
            id=round_id,
            created_at=now,
            scope=scope,
            cross_field=cross_field,
            groups=groups,
            left_out=sorted([*opted_out, *(cities[j] for j in pairing.unpaired)]),
            method=pairing.method,
            total=pairing.total,
            bound=pairing.bound,
            follow_up_at=now + self.config.matching.follow_up_after,
        )

    # -- the record and the chat -------------------------------------------------------

    def create(self, round_id: str, scope: Audience, *, cross_field: bool = False) -> Round:
        """Plan the round, record it and its pairs, and queue one introduction per group."""
        planned = self.plan(round_id, scope, cross_field=cross_field)
        with self.store.begin() as tx:
            _require_new(tx, round_id)  # again: another worker may have made it meanwhile
            tx.rounds.put(planned)
            tx.matches.add_many(_pair_records(planned))
            tx.outbox.enqueue_many(self._introductions(tx, planned))
        return planned

    def _rooms(self, group: RoundGroup, fields: dict[str, str]) -> list[tuple[str, str, str]]:
        """Where a group is introduced, as (platform, room, outbox key suffix): a room all its
        focal points read (their shared field's, else the introductions room), else each
        city's own room. Never the Secretariat's: the pair's focal points are not there."""
        shared = {fields.get(c) for c in group.cities}
        field = next(iter(shared)) if len(shared) == 1 else None
        found = []
        for platform, rooms in self.config.rooms.items():
            room = (rooms.fields.get(field) if field else None) or rooms.introductions
            if room:
                found.append((platform, room, ""))
                continue
            found += [
                (platform, rooms.cities[c], f":{c}") for c in group.cities if c in rooms.cities
            ]
        return found

    def unintroduced(self, planned: Round) -> list[RoundGroup]:
        """The groups of `planned` no room reaches: they are recorded, but nobody is told."""
        with self.store.begin() as tx:
            fields = {c.id: c.field for c in tx.cities.all()}
        return [group for group in planned.groups if not self._rooms(group, fields)]

    def _introductions(self, tx: Transaction, planned: Round) -> list[Queued]:
        cities = {c.id: c for c in tx.cities.all()}
        fields = {c.id: c.field for c in cities.values()}
        language = self.config.language
        queued = []
        for number, group in enumerate(planned.groups, 1):
            names = [cities[c].name if c in cities else c for c in group.cities]
            points = [pt for city in group.cities for pt in tx.focal_points.for_city(city)]
            for platform, room, suffix in self._rooms(group, fields):
                text = _(
                    language,
                    "Matching round {round}: {names}, meet each other! Why: {why}.",
                    round=planned.id,
                    names=" & ".join(names),
                    why=group.explanation or _(language, "you work on close things"),
                )
                message = OutboundMessage(
                    room=room, text=neutralise(text), mentions=handles_on(platform, points)
                )
                key = f"round:{planned.id}:{platform}:{number}{suffix}"
                queued.append(Queued(key, platform, message, "introduction"))
        return queued

    def follow_up(self) -> int:
        """Ask the groups of every round whose follow-up is due whether they met."""
        asked = 0
        with self.store.begin() as tx:
            for due in tx.rounds.follow_ups_due(self.clock()):
                queued = []
                for number, group in enumerate(due.groups, 1):
                    suffixes = ["", *(f":{city}" for city in group.cities)]
                    for platform, suffix in product(self.config.rooms, suffixes):
                        intro = tx.outbox.by_key(f"round:{due.id}:{platform}:{number}{suffix}")
                        if intro is None:
                            continue
                        text = _(
                            self.config.language,
                            "Matching round {round}: did you meet? Reply “yes” or “no” in "
                            "this thread.",
                            round=due.id,
                        )
                        message = OutboundMessage(
                            room=intro.room, text=text, thread_root=intro.event_id
                        )
                        key = f"round:{due.id}:{platform}:{number}{suffix}:follow-up"
                        queued.append(Queued(key, platform, message, "follow-up"))
                asked += tx.outbox.enqueue_many(queued)
                tx.rounds.put(due.model_copy(update={"followed_up": True}))
        return asked

    def answer(self, event: Message) -> RoundGroup | None:
        """A focal point's "yes" or "no" in the thread of their group's introduction: whether
        the group met. None when the message is anything else, which is left alone (people
        talk in those threads); an answer is acknowledged with a reaction."""
        word = event.text.strip(" \t\n.!¡?¿").lower()
        met = True if word in YES else False if word in NO else None
        if met is None or not event.thread_root:
            return None
        with self.store.begin() as tx:
            round_id = tx.outbox.round_of_post(event.platform, event.thread_root)
            point = tx.focal_points.identify(event.sender) if round_id else None
        if round_id is None or point is None:
            return None
        try:
            group = self.record_meeting(round_id, point.city, met)
        except MatchError:  # a focal point of a city outside that group
            return None
        with self.store.begin() as tx:
            tx.outbox.enqueue(
                f"met:{event.platform}:{event.event_id}",
                event.platform,
                OutboundReaction(room=event.room, target=event.event_id, key=ACK),
                kind="ack",
            )
        return group

    def record_meeting(self, round_id: str, city: str, met: bool) -> RoundGroup:
        """What `city` answered to the follow-up: whether its group met."""
        with self.store.begin() as tx:
            found = tx.rounds.get(round_id)
            if found is None:
                raise MatchError(N_("there is no round “{round}”"), round=round_id)
            group = found.group_of(city)
            if group is None:
                raise MatchError(N_("{city} is not in round “{round}”"), city=city, round=round_id)
            groups = [g.model_copy(update={"met": met}) if g is group else g for g in found.groups]
            tx.rounds.put(found.model_copy(update={"groups": groups}))
        return group.model_copy(update={"met": met})

    def get(self, round_id: str) -> Round:
        with self.store.begin() as tx:
            found = tx.rounds.get(round_id)
        if found is None:
            raise MatchError(
                N_("there is no round “{round}”; `uccn rounds list` shows them"), round=round_id
            )
        return found

    def listed(self) -> list[Round]:
        with self.store.begin() as tx:
            return tx.rounds.recent()


YES = frozenset({"yes", "y", "oui", "sí", "si", "sim"})
NO = frozenset({"no", "n", "non", "não", "nao"})
"""The answers to a follow-up, in the network's working languages (English, French,
Spanish, Portuguese)."""


def pair_members(matcher: Matcher, members: NDArray[np.intp], cross_field: bool) -> Pairing:
    """Score the members (rows of the network) against each other and pair them."""
    network = matcher.network
    fields = np.array([network.profiles[r].fields[0] for r in members])
    index = {int(row): i for i, row in enumerate(members)}
    penalties: dict[int, list[int]] = {}
    for pair, count in network.paired.items():
        a, b = tuple(pair)
        if count and a in network.rows and b in network.rows:
            ia, ib = index.get(network.rows[a]), index.get(network.rows[b])
            if ia is not None and ib is not None:
                penalties.setdefault(ia, []).append(ib)

    def weights_of(rows: NDArray[np.intp], columns: NDArray[np.intp]) -> NDArray[np.float64]:
        out = np.empty((rows.size, columns.size))
        for start in range(0, rows.size, BLOCK):
            chunk = rows[start : start + BLOCK]
            total, _answers = matcher.combine([network.profiles[members[r]] for r in chunk])
            block = total[:, members[columns]]
            if cross_field:
                block[fields[chunk][:, None] == fields[columns][None, :]] = -np.inf
            for i, row in enumerate(chunk.tolist()):
                for other in penalties.get(row, []):
                    block[i, columns == other] -= REPEAT_PENALTY
                block[i, columns == row] = -np.inf
            out[start : start + chunk.size] = block
        return out

    everyone = np.arange(members.size)
    if members.size <= FULL_MAX:
        scores = weights_of(everyone, everyone)
        return pair_full((scores + scores.T) / 2)
    top = np.empty((members.size, CANDIDATES), dtype=np.intp)
    top_scores = np.empty((members.size, CANDIDATES))
    for start in range(0, members.size, BLOCK):
        rows = everyone[start : start + BLOCK]
        block = weights_of(rows, everyone)
        best = np.argpartition(-block, CANDIDATES, axis=1)[:, :CANDIDATES]
        top[start : start + rows.size] = best
        top_scores[start : start + rows.size] = np.take_along_axis(block, best, axis=1)
    return pair_candidates(top, top_scores, weights_of)


def _require_new(tx: Transaction, round_id: str) -> None:
    if tx.rounds.get(round_id) is not None:
        raise MatchError(N_("a round “{round}” exists already; choose another id"), round=round_id)


def _explain(
    matcher: Matcher, members: NDArray[np.intp], pairing: Pairing, language: str
) -> list[Match]:
    """Each group's first two cities as a match, with the parts that explain it."""
    network = matcher.network
    found = []
    for start in range(0, len(pairing.groups), BLOCK):
        groups = pairing.groups[start : start + BLOCK]
        subjects = [network.profiles[members[g[0]]] for g in groups]
        found += matcher.pairs(subjects, [int(members[g[1]]) for g in groups], language=language)
    return found


def _pair_records(planned: Round) -> list[Match]:
    """Every two cities of every group, for the history."""
    records = []
    for group in planned.groups:
        for i, a in enumerate(group.cities):
            for b in group.cities[i + 1 :]:
                records.append(
                    Match(
                        subject=Party(kind="city", ref=a),
                        other=Party(kind="city", ref=b),
                        score=group.score,
                        round=planned.id,
                    )
                )
    return records
