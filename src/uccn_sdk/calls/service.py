"""The call lifecycle and reply gathering, the same for every platform, the CLI and the bot.

Every inbound event is handled in one transaction that also records it as handled, so a
redelivered event changes nothing; every message the bot sends is queued in the outbox in that
same transaction, so nothing is sent for work that was rolled back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from uccn_sdk.calls import texts
from uccn_sdk.calls.parsing import KEYCAPS, check_answers
from uccn_sdk.calls.targets import audience_cities, misnamed, reaches, rooms_for
from uccn_sdk.chat.events import (
    CallCard,
    Deletion,
    Edit,
    Event,
    FormSubmission,
    Message,
    OutboundMessage,
    OutboundReaction,
    Reaction,
    Sender,
)
from uccn_sdk.chat.forms import Form
from uccn_sdk.chat.safety import MAX_TEXT, clip
from uccn_sdk.commands import COMMAND_PREFIX
from uccn_sdk.config import NetworkConfig
from uccn_sdk.errors import UccnError
from uccn_sdk.messages import translate as _
from uccn_sdk.models import Answer, Call, CallState, MessageRef, Reply, Revision, UnlinkedReply
from uccn_sdk.models.people import handles_on
from uccn_sdk.plugins import Plugins
from uccn_sdk.store import Store, Transaction

ACK = "✅"


# A reply written as a command to the bot (`!uccn reply CALL …`, or `reply CALL …` in a
# direct conversation): an edit of it brings the whole command again.
_REPLY_COMMAND = re.compile(
    rf"(?is)^\s*(?:{re.escape(COMMAND_PREFIX)}\s+)?reply\s+(?P<call>\S+)\s*(?P<rest>.*)$"
)


def _without_reply_command(text: str, call_id: str) -> str:
    """The answers in `text`, without the `reply CALL` command in front of them, if any."""
    found = _REPLY_COMMAND.match(text)
    return found["rest"] if found and found["call"].lower() == call_id.lower() else text


def notice_key(platform: str, event_id: str) -> str:
    """The outbox key of the bot's notice in answer to event `event_id`: one per event."""
    return f"notice:{platform}:{event_id}"


class CallError(UccnError):
    """A call cannot do what was asked: unknown, or in the wrong state."""


@dataclass(frozen=True)
class Outcome:
    """What handling one event did; the tests and the logs read it."""

    result: str
    """stored, edited, withdrawn, unlinked, refused, duplicate or ignored."""
    reply: Reply | None = None
    call: Call | None = None
    """The call the reply was stored for, when one was."""


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

    # -- the Secretariat's side ------------------------------------------------------------

    def create(self, call: Call) -> Call:
        with self.store.begin() as tx:
            if tx.calls.get(call.id):
                raise CallError(f"a call with the id {call.id!r} exists already; choose another id")
            if problem := misnamed(tx, call.audience):
                raise CallError(problem)
            tx.calls.put(call)
        return call

    def open(self, call_id: str) -> Opening:
        """Open a draft call and queue one post per target room."""
        with self.store.begin() as tx:
            call = self._require(tx, call_id)
            if call.state is not CallState.DRAFT:
                raise CallError(
                    f"call {call_id!r} is {call.state.value}; only a draft can be opened"
                )
            if call.deadline <= self.clock():
                raise CallError(f"the deadline of call {call_id!r} has passed; set a new one first")
            cities = audience_cities(tx, call.audience)
            if not cities:
                raise CallError(f"the audience of call {call_id!r} names no member city")
            targets, unreached = rooms_for(self.config, cities)
            if not targets:
                raise CallError(
                    f"no room reaches the audience of call {call_id!r}: add its cities' or "
                    "fields' rooms to the bot's room map"
                )
            by_id = {c.id: c for c in cities}
            for target in targets:
                zone = by_id[target.cities[0]].timezone if len(target.cities) == 1 else None
                text = texts.call_post(
                    call.language,
                    call_id=call.id,
                    title=call.title,
                    text=call.text,
                    questions=call.questions,
                    deadline=call.deadline,
                    zone=zone,
                )
                card = CallCard(
                    call=call.id,
                    title=call.title,
                    text=call.text,
                    questions=tuple(texts.question_lines(call.questions)),
                    deadline=call.deadline,
                    hint=texts.card_hint(call.language),
                    deadline_label=_(call.language, "Deadline"),
                    reply_label=_(call.language, "Reply"),
                )
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

    def close(self, call_id: str) -> texts.Summary:
        """Close an open call, queue its summary to the Secretariat's rooms, and return it."""
        with self.store.begin() as tx:
            call = self._require(tx, call_id)
            if call.state is not CallState.OPEN:
                raise CallError(
                    f"call {call_id!r} is {call.state.value}; only an open call can be closed"
                )
            closed = call.model_copy(update={"state": CallState.CLOSED, "closed_at": self.clock()})
            tx.calls.put(closed)
            summary = self._summary(tx, closed)
            names = {c.id: c.name for c in audience_cities(tx, call.audience)}
            for platform, rooms in self.config.rooms.items():
                if rooms.secretariat:
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
        self._notify("uccn_call_closed", call=closed, replies=replies)
        return summary

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
                    language = points[0].language if points else call.language
                    targets, _unreached = rooms_for(self.config, [city])
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
                            f"reminder:{call.id}:{city.id}:{target.platform}",
                            target.platform,
                            OutboundMessage(room=target.room, text=text, mentions=mentions),
                            kind="reminder",
                            call=call.id,
                            city=city.id,
                        )
        return queued

    # -- replies from chat -----------------------------------------------------------------

    def handle(self, event: Event) -> Outcome:
        """Handle one inbound event exactly once."""
        with self.store.begin() as tx:
            if not tx.inbound.claim(event.platform, event.event_id):
                return Outcome("duplicate")
            outcome = self._dispatch(tx, event)
        self._reply_received(outcome)
        return outcome

    def reply_direct(self, event: Message, call_id: str, text: str) -> Outcome:
        """A reply sent to the bot directly (`reply CALL …`), outside the call's thread."""
        with self.store.begin() as tx:
            if not tx.inbound.claim(event.platform, event.event_id):
                return Outcome("duplicate")
            outcome = self._receive(tx, event, call_id, text, None)
        self._reply_received(outcome)
        return outcome

    def adopt_unlinked(self, platform: str, author: str) -> list[Outcome]:
        """File the answers someone gave before being linked as their city's replies.

        Called once the Secretariat has linked them. Answers to calls still open go through
        the same checks as any reply; those that pass are stored (and acknowledged), the
        rest are left as they were.
        """
        outcomes = []
        with self.store.begin() as tx:
            kept = tx.unlinked_replies.by_author(platform, author)
        for unlinked in kept:
            source = unlinked.source
            if source is None:
                continue
            with self.store.begin() as tx:
                posts = [
                    r for r in tx.outbox.for_call(unlinked.call, "call") if r.room == source.room
                ]
                event = Message(
                    platform=platform,
                    room=source.room,
                    event_id=source.event_id,
                    sender=Sender(platform, author),
                    text=unlinked.text,
                    thread_root=posts[0].event_id if posts else None,
                    at=unlinked.received_at,
                )
                outcome = self._receive(
                    tx,
                    event,
                    unlinked.call,
                    unlinked.text,
                    None,
                    ack_key=f"adopted:{platform}:{source.event_id}",
                )
                if outcome.reply is not None:
                    tx.unlinked_replies.delete(unlinked.call, platform, author)
            self._reply_received(outcome)
            outcomes.append(outcome)
        return outcomes

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

    def _dispatch(self, tx: Transaction, event: Event) -> Outcome:
        if isinstance(event, Message):
            if event.thread_root:
                call_id = tx.outbox.call_of_post(event.platform, event.thread_root)
                if call_id:
                    return self._receive(tx, event, call_id, event.text, None)
            return Outcome("ignored")
        if isinstance(event, Reaction):
            return self._reaction(tx, event)
        if isinstance(event, Edit):
            return self._edit(tx, event)
        if isinstance(event, Deletion):
            return self._deletion(tx, event)
        if isinstance(event, FormSubmission):
            answers = {k: v for k, v in event.answers.items() if v.strip()}
            text = "\n".join(f"{k[1:]}. {v}" for k, v in answers.items())
            if not self._questions(tx, event.call):
                return self._receive(tx, event, event.call, answers.get("q0", text), {})
            return self._receive(tx, event, event.call, text, dict(answers))
        return Outcome("ignored")

    def _receive(
        self,
        tx: Transaction,
        event: Message | Reaction | FormSubmission,
        call_id: str,
        text: str,
        answers: dict[str, Answer] | None,
        *,
        edit_of: str | None = None,
        ack_key: str | None = None,
    ) -> Outcome:
        """Store a city's reply; `edit_of` names the original message when this is an edit.

        `ack_key` keys the acknowledgement when the event was already answered once.
        """
        call = tx.calls.get(call_id)
        # A reaction cannot start a thread: answer under the post it reacted to.
        thread = (
            event.target
            if isinstance(event, Reaction)
            else getattr(event, "thread_root", None) or event.event_id
        )
        point = tx.focal_points.identify(event.sender)
        language = point.language if point else self.config.language
        if call is None:
            return self._refuse(
                tx, event, thread, _(language, "There is no call {call}.", call=call_id)
            )
        if call.state is not CallState.OPEN:
            return self._refuse(
                tx,
                event,
                thread,
                _(
                    language,
                    "The call “{title}” is closed; answers are no longer accepted.",
                    title=clip(call.title, 80),
                ),
            )
        if len(text) > MAX_TEXT:
            return self._refuse(
                tx,
                event,
                thread,
                _(
                    language,
                    "Your answer is too long ({size} characters; the limit is {limit}). "
                    "Please shorten it.",
                    size=len(text),
                    limit=MAX_TEXT,
                ),
            )
        if point is None:
            tx.unlinked_replies.put(
                UnlinkedReply(
                    call=call.id,
                    platform=event.platform,
                    author=event.sender.user_id,
                    text=text,
                    source=MessageRef(
                        platform=event.platform, room=event.room, event_id=event.event_id
                    ),
                    received_at=self.clock(),
                )
            )
            self._notice(
                tx,
                event,
                thread,
                _(
                    language,
                    "Thank you. Your answer is kept, but it does not count for a city yet: you are "
                    "not linked to one. Write “iam CITY” (for example “iam lyon”) and the "
                    "Secretariat will confirm you as the city's focal point.",
                ),
            )
            return Outcome("unlinked")
        city = tx.cities.get(point.city)
        if city is None or not reaches(call.audience, city):
            return self._refuse(
                tx,
                event,
                thread,
                _(
                    point.language,
                    "The call “{title}” is not addressed to {city}; its answer is not needed.",
                    title=clip(call.title, 80),
                    city=city.name if city else point.city,
                ),
            )
        if answers is None:
            answers = self._parse(text, call)
            if answers is None:
                tx.reply_sources.add(event.platform, edit_of or event.event_id, call.id, point.city)
                return self._refuse(
                    tx,
                    event,
                    thread,
                    _(point.language, "Please number your answers, one per question: 1. … 2. …"),
                )
        checked, problems = check_answers(
            answers, call.questions, point.language, from_form=isinstance(event, FormSubmission)
        )
        if problems:
            # Remember the attempt, so an edit that corrects it counts as the answer.
            tx.reply_sources.add(event.platform, edit_of or event.event_id, call.id, point.city)
            return self._refuse(
                tx,
                event,
                thread,
                _(
                    point.language,
                    "Your answer was not recorded: {problems}.",
                    problems="; ".join(problems.values()),
                ),
            )
        now = self.clock()
        # An edit keeps pointing at the original message, so a later deletion of it withdraws.
        source_id = edit_of or event.event_id
        source = MessageRef(platform=event.platform, room=event.room, event_id=source_id)
        current = tx.replies.get(call.id, point.city)
        history = list(current.history) if current else []
        if current and not current.withdrawn:
            history.append(
                Revision(
                    text=current.text,
                    answers=current.answers,
                    source=current.source,
                    at=current.updated_at,
                )
            )
        reply = Reply(
            call=call.id,
            city=point.city,
            author=event.sender.user_id,
            text=text,
            answers=checked,
            source=source,
            verified=True,
            history=history,
            received_at=current.received_at if current else now,
            updated_at=now,
        )
        tx.replies.put(reply)
        tx.reply_sources.add(event.platform, source_id, call.id, point.city)
        if edit_of:
            self._react(tx, event, edit_of)
            return Outcome("edited", reply, call)
        city = tx.cities.get(point.city)
        self._notice(
            tx,
            event,
            thread,
            _(
                point.language,
                "Recorded the answer of {city}. Edit your message to change it.",
                city=city.name if city else point.city,
            ),
            key=ack_key,
        )
        return Outcome("stored", reply, call)

    def _reaction(self, tx: Transaction, event: Reaction) -> Outcome:
        call_id = tx.outbox.call_of_post(event.platform, event.target)
        if call_id is None:
            return Outcome("ignored")
        call = tx.calls.get(call_id)
        if call is None or len(call.questions) != 1 or call.questions[0].kind != "choice":
            return Outcome("ignored")
        question = call.questions[0]
        if event.key not in KEYCAPS[: len(question.choices)] and event.key not in question.choices:
            return Outcome("ignored")
        return self._receive(tx, event, call_id, event.key, {question.id: event.key})

    def _edit(self, tx: Transaction, event: Edit) -> Outcome:
        found = tx.reply_sources.find(event.platform, event.target)
        if found is None:
            return Outcome("ignored")
        call_id, city = found
        original = Message(
            platform=event.platform,
            room=event.room,
            event_id=event.event_id,
            sender=event.sender,
            text=event.text,
            thread_root=event.target,
            at=event.at,
        )
        point = tx.focal_points.identify(event.sender)
        if point is None or point.city != city:
            return Outcome("ignored")
        text = _without_reply_command(event.text, call_id)
        return self._receive(tx, original, call_id, text, None, edit_of=event.target)

    def _deletion(self, tx: Transaction, event: Deletion) -> Outcome:
        found = tx.reply_sources.find(event.platform, event.target)
        if found is None:
            return Outcome("ignored")
        call_id, city = found
        current = tx.replies.get(call_id, city)
        call = tx.calls.get(call_id)
        if current is None or current.withdrawn or call is None or call.state is not CallState.OPEN:
            return Outcome("ignored")
        if current.source is None or current.source.event_id != event.target:
            return Outcome("ignored")  # an older message of the city's was deleted
        history = [
            *current.history,
            Revision(
                text=current.text,
                answers=current.answers,
                source=current.source,
                at=current.updated_at,
            ),
        ]
        withdrawn = current.model_copy(
            update={"withdrawn": True, "history": history, "updated_at": self.clock()}
        )
        tx.replies.put(withdrawn)
        return Outcome("withdrawn", withdrawn)

    # -- helpers -------------------------------------------------------------------------------

    def _parse(self, text: str, call: Call) -> dict[str, Answer] | None:
        for parser in self.plugins.reply_parsers():
            try:
                answers = parser.parse(text, call.questions)
            except Exception as error:  # a parser plugin's bug must not lose the reply
                from uccn_sdk.plugins import PluginProblem

                self.plugins.problems.append(PluginProblem(parser.name, f"parse raised {error!r}"))
                continue
            if answers is not None:
                return dict(answers)
        return None

    @staticmethod
    def _questions(tx: Transaction, call_id: str) -> int:
        call = tx.calls.get(call_id)
        return len(call.questions) if call else 0

    def _refuse(self, tx: Transaction, event: Event, thread: str, text: str) -> Outcome:
        self._notice(tx, event, thread, text)
        return Outcome("refused")

    def _notice(
        self, tx: Transaction, event: Event, thread: str, text: str, *, key: str | None = None
    ) -> None:
        tx.outbox.enqueue(
            key or notice_key(event.platform, event.event_id),
            event.platform,
            OutboundMessage(room=event.room, text=text, thread_root=thread),
            kind="notice",
        )

    def _react(self, tx: Transaction, event: Event, target: str) -> None:
        tx.outbox.enqueue(
            f"ack:{event.platform}:{event.event_id}",
            event.platform,
            OutboundReaction(room=event.room, target=target, key=ACK),
            kind="ack",
        )

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
                f"there is no call {call_id!r}; `uccn calls list` (`call list` in chat) shows them"
            )
        return call

    def _notify(self, hook: str, **values: object) -> None:
        self.plugins.notify(hook, **values)  # awaited there, in the bot as in the CLI
