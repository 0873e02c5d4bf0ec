"""The call lifecycle, the same for every platform, the CLI and the bot: a call is written,
opened (one post per room that reaches its audience), reminded, closed and summarised. The
replies it gathers are :mod:`uccn_sdk.calls.replies`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from uccn_sdk.audience import audience_cities, misnamed, rooms_for
from uccn_sdk.calls import texts
from uccn_sdk.calls.answering import Outcome
from uccn_sdk.calls.parsing import check_answers
from uccn_sdk.calls.replies import Replies
from uccn_sdk.chat.events import CallCard, Event, Message, OutboundMessage, Sender
from uccn_sdk.chat.forms import Form
from uccn_sdk.chat.safety import MAX_POST_BYTES, clip, post_size
from uccn_sdk.config import NetworkConfig
from uccn_sdk.errors import UccnError
from uccn_sdk.messages import N_
from uccn_sdk.messages import translate as _
from uccn_sdk.models import Call, CallState, City
from uccn_sdk.models.people import handles_on
from uccn_sdk.plugins import Plugins
from uccn_sdk.runtime.context import Runtime
from uccn_sdk.store import Store, Transaction

LONGEST_ZONE = "America/Argentina/ComodRivadavia"
"""The longest time zone name a post can show its deadline in: what a size check assumes."""


def _post(call: Call, zone: str | None) -> str:
    """The text of the call's post in a room read in `zone`."""
    return texts.call_post(
        call.language,
        call_id=call.id,
        title=call.title,
        text=call.text,
        questions=call.questions,
        deadline=call.deadline,
        zone=zone,
    )


def _card(call: Call) -> CallCard:
    """The call's post as a card, for a platform that shows one (Slack), or as a poll (Matrix)
    when its one question is a choice."""
    one_choice = len(call.questions) == 1 and call.questions[0].kind == "choice"
    return CallCard(
        call=call.id,
        title=call.title,
        text=call.text,
        questions=tuple(texts.question_lines(call.questions)),
        deadline=call.deadline,
        hint=texts.card_hint(call.language),
        deadline_label=_(call.language, "Deadline"),
        reply_label=_(call.language, "Reply"),
        question=call.questions[0].prompt if one_choice else "",
        choices=tuple(call.questions[0].choices[:9]) if one_choice else (),
    )


class CallError(UccnError):
    """A call cannot do what was asked: unknown, or in the wrong state."""


@dataclass(frozen=True)
class Opening:
    posts: int
    unreached: list[str]
    """Cities in the audience that no room in the room map reaches."""


class Calls:
    def __init__(
        self,
        store: Store,
        plugins: Plugins,
        config: NetworkConfig,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store, self.plugins, self.config, self.clock = store, plugins, config, clock
        self.replies = Replies(store, plugins, config, clock, self._reply_received)

    @classmethod
    def of(cls, runtime: Runtime) -> Calls:
        """The calls service `runtime` keeps, one for the life of the bot."""
        return runtime.keep(
            cls, lambda: cls(runtime.store, runtime.plugins, runtime.config, runtime.clock)
        )

    # -- the Secretariat's side ------------------------------------------------------------

    def create(self, call: Call) -> Call:
        with self.store.begin() as tx:
            if tx.calls.get(call.id):
                raise CallError(
                    N_("a call with the id {call} exists already; choose another id"),
                    call=repr(call.id),
                )
            if problem := misnamed(tx, call.audience, CallError):
                raise problem
            self.check_fits(call)
            tx.calls.put(call)
        return call

    def check_fits(self, call: Call) -> None:
        """Refuse a call whose post no platform would take (a 20,000-character text in Chinese,
        30 long questions of 20 choices): before, it was opened and failed in every room, or
        was shown cut. Each platform the room map posts to is asked, as it renders the post."""
        text = _post(call, LONGEST_ZONE)
        if (size := post_size(text)) > MAX_POST_BYTES:
            raise CallError(
                N_(
                    "the call's post would take {size} bytes, over the {limit} a chat platform "
                    "takes (Matrix refuses events over 64 KiB; text in non-Latin scripts takes "
                    "several bytes a character): shorten its text or questions"
                ),
                size=f"{size:,}",
                limit=f"{MAX_POST_BYTES:,}",
            )
        message = OutboundMessage(room="", text=text, card=_card(call))
        factories = self.plugins.connectors()
        for platform in self.config.rooms:
            check = getattr(factories.get(platform), "refusal", None)
            if check is not None and (reason := check(message)):
                raise CallError(
                    N_("{platform} cannot show the call's post: {reason}"),
                    platform=platform,
                    reason=reason,
                )

    def open(self, call_id: str) -> Opening:
        """Open a draft call and queue one post per target room."""
        with self.store.begin() as tx:
            call = self._require(tx, call_id)
            if call.state is not CallState.DRAFT:
                raise CallError(
                    N_("call {call} is {state}; only a draft can be opened"),
                    call=repr(call_id),
                    state=call.state.value,
                )
            if call.deadline <= self.clock():
                raise CallError(
                    N_("the deadline of call {call} has passed; set a new one first"),
                    call=repr(call_id),
                )
            cities = audience_cities(tx, call.audience)
            if not cities:
                raise CallError(
                    N_("the audience of call {call} names no member city"), call=repr(call_id)
                )
            targets, unreached = rooms_for(self.config, cities)
            if not targets:
                raise CallError(
                    N_(
                        "no room reaches the audience of call {call}: add its cities' or "
                        "fields' rooms to the bot's room map"
                    ),
                    call=repr(call_id),
                )
            by_id = {c.id: c for c in cities}
            for target in targets:
                zone = by_id[target.cities[0]].timezone if len(target.cities) == 1 else None
                text = _post(call, zone)
                card = _card(call)
                tx.outbox.enqueue(
                    f"call:{call.id}:{target.platform}:{target.room}",
                    target.platform,
                    OutboundMessage(room=target.room, text=text, card=card),
                    kind="call",
                    call=call.id,
                )
            opened = call.model_copy(update={"state": CallState.OPEN, "opened_at": self.clock()})
            tx.calls.put(opened)
        self._notify("uccn_call_opened", call=opened)
        return Opening(posts=len(targets), unreached=unreached)

    def close(self, call_id: str, *, answered_in: tuple[str, str] | None = None) -> texts.Summary:
        """Close an open call, queue its summary to the Secretariat's rooms, and return it.

        `answered_in` is the (platform, room) where whoever closed it reads the answer: that
        room's summary is the answer, not a second message."""
        with self.store.begin() as tx:
            call = self._require(tx, call_id)
            if call.state is not CallState.OPEN:
                raise CallError(
                    N_("call {call} is {state}; only an open call can be closed"),
                    call=repr(call_id),
                    state=call.state.value,
                )
            closed = call.model_copy(update={"state": CallState.CLOSED, "closed_at": self.clock()})
            tx.calls.put(closed)
            summary = self._summary(tx, closed)
            names = {c.id: c.name for c in audience_cities(tx, call.audience)}
            for platform, rooms in self.config.rooms.items():
                if rooms.secretariat and (platform, rooms.secretariat) != answered_in:
                    tx.outbox.enqueue(
                        f"summary:{call.id}:{platform}:{rooms.secretariat}",
                        platform,
                        OutboundMessage(
                            room=rooms.secretariat,
                            text=texts.summary_text(self.config.language, summary, names),
                        ),
                        kind="summary",
                        call=call.id,
                    )
            replies = tx.replies.for_call(call.id)
            if len(call.questions) == 1 and call.questions[0].kind == "choice":
                self._close_posts(tx, closed)
        self._notify("uccn_call_closed", call=closed, replies=replies)
        return summary

    def _close_posts(self, tx: Transaction, call: Call) -> None:
        """Say in each post's thread that the call is closed: where the post is a poll (a
        one-choice call on Matrix), the poll ends with it."""
        text = _(
            call.language,
            "The call “{title}” is closed; answers are no longer accepted.",
            title=clip(call.title, 80),
        )
        for row in tx.outbox.for_call(call.id, "call"):
            if row.event_id:
                tx.outbox.enqueue(
                    f"closed:{call.id}:{row.platform}:{row.room}",
                    row.platform,
                    OutboundMessage(
                        room=row.room, text=text, thread_root=row.event_id, closes=row.event_id
                    ),
                    kind="notice",
                    call=call.id,
                )

    def close_due(self) -> list[str]:
        """Close every open call whose deadline has passed; return their ids."""
        with self.store.begin() as tx:
            due = [c.id for c in tx.calls.in_state(CallState.OPEN) if c.deadline <= self.clock()]
        for call_id in due:
            self.close(call_id)
        return due

    def summary(self, call_id: str) -> texts.Summary:
        with self.store.begin() as tx:
            return self._summary(tx, self._require(tx, call_id))

    def queue_reminders(self) -> int:
        """Queue one reminder per city that has not answered an open call, when it is due.

        Due means: within the lead time before the deadline (for a call opened closer to its
        deadline, from halfway between its opening and deadline), and at a working local hour in
        the city (its focal point's zone, else the city's, else UTC). The outbox key makes it
        one reminder per city and call, however often this runs.
        """
        now = self.clock()
        start, end = self.config.reminder_hours
        queued = 0
        with self.store.begin() as tx:
            for call in tx.calls.in_state(CallState.OPEN):
                if not (call.reminders_from(self.config.reminder_lead) <= now < call.deadline):
                    continue
                answered = {r.city for r in tx.replies.for_call(call.id)}
                cities = [c for c in audience_cities(tx, call.audience) if c.id not in answered]
                for city in cities:
                    points = tx.focal_points.for_city(city.id)
                    zone = next((p.timezone for p in points if p.timezone), None) or city.timezone
                    hour = now.astimezone(ZoneInfo(zone)).hour if zone else now.hour
                    if not start <= hour < end:
                        continue
                    key = f"reminder:{call.id}:{city.id}"
                    queued += self._remind(tx, call, city, zone, key)
        return queued

    def remind_now(self, call_id: str) -> int:
        """Remind every city of an open call that has not answered, now, whatever the hour:
        the Secretariat's button. Once a day per city, however often it is pressed; how many
        cities were reminded."""
        now = self.clock()
        queued = 0
        with self.store.begin() as tx:
            call = self._require(tx, call_id)
            if call.state is not CallState.OPEN:
                raise CallError(
                    N_("call {call} is {state}; only an open call can be reminded"),
                    call=repr(call_id),
                    state=call.state.value,
                )
            answered = {r.city for r in tx.replies.for_call(call.id) if not r.withdrawn}
            for city in audience_cities(tx, call.audience):
                if city.id in answered:
                    continue
                points = tx.focal_points.for_city(city.id)
                zone = next((p.timezone for p in points if p.timezone), None) or city.timezone
                key = f"reminder-now:{call.id}:{city.id}:{now:%Y-%m-%d}"
                queued += bool(self._remind(tx, call, city, zone, key))
        return queued

    def _remind(self, tx: Transaction, call: Call, city: City, zone: str | None, key: str) -> int:
        """Queue the reminder of `city` to every room reaching it, each keyed `key`:PLATFORM."""
        points = tx.focal_points.for_city(city.id)
        language = points[0].language if points else call.language
        targets, _unreached = rooms_for(self.config, [city])
        queued = 0
        for target in targets:
            text = texts.reminder(
                language,
                city=city.name,
                title=call.title,
                call_id=call.id,
                deadline=call.deadline,
                zone=zone,
            )
            # The city's focal points are mentioned: the reminder is theirs.
            mentions = handles_on(target.platform, points)
            queued += tx.outbox.enqueue(
                f"{key}:{target.platform}",
                target.platform,
                OutboundMessage(room=target.room, text=text, mentions=mentions),
                kind="reminder",
                call=call.id,
                city=city.id,
            )
        return queued

    # -- replies from chat: see uccn_sdk.calls.replies ------------------------------------

    def handle(self, event: Event) -> Outcome:
        """Handle one inbound event exactly once."""
        return self.replies.handle(event)

    def reply_direct(self, event: Message, call_id: str, text: str) -> Outcome:
        """A reply sent to the bot directly (`reply CALL …`), outside the call's thread."""
        return self.replies.reply_direct(event, call_id, text)

    def adopt_unlinked(self, platform: str, author: str) -> list[Outcome]:
        """File the answers someone gave before being linked as their city's replies."""
        return self.replies.adopt_unlinked(platform, author)

    def _reply_received(self, outcome: Outcome) -> None:
        if outcome.call is not None and outcome.result in ("stored", "edited"):
            self._notify("uccn_reply_received", call=outcome.call, reply=outcome.reply)

    def call(self, call_id: str) -> Call:
        """The call with this id; CallError if there is none."""
        with self.store.begin() as tx:
            return self._require(tx, call_id)

    # -- forms (a Slack modal): see uccn_sdk.chat.forms ------------------------------------

    def form(self, call_id: str, sender: Sender) -> Form:
        with self.store.begin() as tx:
            call = tx.calls.get(call_id)
            point = tx.focal_points.identify(sender)
        language = point.language if point else self.config.language
        refusal = None
        if call is None:
            refusal = _(language, "There is no call {call}.", call=call_id)
        elif call.state is not CallState.OPEN:
            refusal = _(
                language,
                "The call “{title}” is closed; answers are no longer accepted.",
                title=clip(call.title, 80),
            )
        return Form(
            call=call_id,
            title=call.title if call else call_id,
            questions=tuple(call.questions) if call else (),
            language=language,
            submit_label=_(language, "Send"),
            cancel_label=_(language, "Cancel"),
            answer_label=_(language, "Your answer"),
            refusal=refusal,
        )

    def check(self, call_id: str, sender: Sender, answers: Mapping[str, str]) -> dict[str, str]:
        form = self.form(call_id, sender)
        if form.refusal:
            return {"": form.refusal}
        given = {k: v for k, v in answers.items() if v.strip()}
        if not given:
            return {"": _(form.language, "Answer at least one question.")}
        if not form.questions:
            return {}
        _checked, problems = check_answers(given, form.questions, form.language, from_form=True)
        return problems

    def _summary(self, tx: Transaction, call: Call) -> texts.Summary:
        cities = audience_cities(tx, call.audience)
        answered = {r.city for r in tx.replies.for_call(call.id)}
        fields = self.plugins.fields()
        summary = texts.Summary(call=call.id, title=call.title, targets=len(cities))
        for city in cities:
            done = city.id in answered
            (summary.answered if done else summary.missing).append(city.id)
            field = fields.get(city.field)
            for table, key in (
                (summary.by_field, field.name() if field else city.field),
                (summary.by_region, city.region.label if city.region else "?"),
            ):
                a, t = table.get(key, (0, 0))
                table[key] = (a + done, t + 1)
        summary.unlinked = len(tx.unlinked_replies.for_call(call.id))
        return summary

    @staticmethod
    def _require(tx: Transaction, call_id: str) -> Call:
        call = tx.calls.get(call_id)
        if call is None:
            raise CallError(
                N_("there is no call {call}; `uccn calls list` (`call list` in chat) shows them"),
                call=repr(call_id),
            )
        return call

    def _notify(self, hook: str, **values: object) -> None:
        self.plugins.notify(hook, **values)  # awaited there, in the bot as in the CLI
