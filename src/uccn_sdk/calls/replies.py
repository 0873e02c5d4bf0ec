"""Gathering replies: a city's answer from a thread, a reaction, a form or a direct message,
checked, stored once, acknowledged; edits update it and a deletion withdraws it.

Every inbound event is handled in one transaction that also records it as handled, so a
redelivered event changes nothing; every message the bot sends is queued in the outbox in that
same transaction, so nothing is sent for work that was rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from uccn_sdk.audience import reaches
from uccn_sdk.calls import texts
from uccn_sdk.calls.answering import (
    ACK,
    Answering,
    Outcome,
    call_post,
    notice_key,
    revision_of,
    without_reply_command,
)
from uccn_sdk.calls.parsing import KEYCAPS, check_answers
from uccn_sdk.calls.withdrawing import withdraw
from uccn_sdk.chat.events import (
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
from uccn_sdk.chat.safety import clip
from uccn_sdk.commands import command_prefix
from uccn_sdk.config import NetworkConfig
from uccn_sdk.messages import translate as _
from uccn_sdk.models import (
    Answer,
    Call,
    CallState,
    FocalPoint,
    MessageRef,
    Reply,
    Revision,
    UnlinkedReply,
)
from uccn_sdk.plugins import PluginProblem, Plugins
from uccn_sdk.runtime.context_log import about
from uccn_sdk.store import Store, Transaction

log = logging.getLogger("uccn.calls")


class Replies:
    def __init__(
        self,
        store: Store,
        plugins: Plugins,
        config: NetworkConfig,
        clock: Callable[[], datetime],
        notify: Callable[[Outcome], None],
    ) -> None:
        self.store, self.plugins, self.config, self.clock = store, plugins, config, clock
        self._received = notify

    def handle(self, event: Event) -> Outcome:
        """Handle one inbound event exactly once."""
        with self.store.begin() as tx:
            if not tx.inbound.claim(event.platform, event.event_id):
                return Outcome("duplicate")
            outcome = self._dispatch(tx, event)
        self._tell(outcome)
        return outcome

    def reply_direct(self, event: Message, call_id: str, text: str) -> Outcome:
        """A reply sent to the bot directly (`reply CALL …`), outside the call's thread."""
        with self.store.begin() as tx:
            if not tx.inbound.claim(event.platform, event.event_id):
                return Outcome("duplicate")
            outcome = self._receive(tx, event, call_id, text, None)
        self._tell(outcome)
        return outcome

    def adopt_unlinked(self, platform: str, author: str) -> list[Outcome]:
        """File the answers someone gave before being linked (the Secretariat has linked them
        now): each goes through the checks of any reply; those that pass are stored and
        acknowledged (or filed in the history, when the city answered since)."""
        outcomes = []
        with self.store.begin() as tx:
            kept = tx.unlinked_replies.by_author(platform, author)
        for unlinked in kept:
            source = unlinked.source
            if source is None:
                continue
            with self.store.begin() as tx:
                event = Message(
                    platform=platform,
                    room=source.room,
                    event_id=source.event_id,
                    sender=Sender(platform, author),
                    text=unlinked.text,
                    thread_root=call_post(tx, unlinked.call, source.room),
                    at=unlinked.received_at,
                )
                outcome = self._receive(
                    tx,
                    event,
                    unlinked.call,
                    unlinked.text,
                    None,
                    ack_key=f"adopted:{platform}:{source.event_id}",
                    received_at=unlinked.received_at,
                )
                if outcome.reply is not None:
                    tx.unlinked_replies.delete(unlinked.call, platform, author)
            self._tell(outcome)
            outcomes.append(outcome)
        return outcomes

    def _tell(self, outcome: Outcome) -> None:
        """Tell the plugins what handling did (uccn_reply_received); their lines name the call."""
        with about(call=outcome.call_id):
            if outcome.result not in ("ignored", "duplicate"):
                city = f" of {outcome.reply.city}" if outcome.reply else ""
                log.info("the answer%s: %s", city, outcome.result)
            self._received(outcome)

    # -- what each kind of event means -----------------------------------------------------

    def _dispatch(self, tx: Transaction, event: Event) -> Outcome:
        if isinstance(event, Message):
            if not event.text.strip():
                return Outcome("ignored")  # a share or a file without words: no answer
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
            return withdraw(tx, event, self.config, self.clock)
        if isinstance(event, FormSubmission):
            answers = {k: v for k, v in event.answers.items() if v.strip()}
            text = "\n".join(f"{k[1:]}. {v}" for k, v in answers.items())
            call = tx.calls.get(event.call)
            if call is None or not call.questions:
                return self._receive(tx, event, event.call, answers.get("q0", text), {})
            return self._receive(tx, event, event.call, text, dict(answers))
        return Outcome("ignored")

    def _reaction(self, tx: Transaction, event: Reaction) -> Outcome:
        call_id = tx.outbox.call_of_post(event.platform, event.target)
        if call_id is None:
            return Outcome("ignored")
        call = tx.calls.get(call_id)
        if call is None:
            return Outcome("ignored")
        if len(call.questions) != 1 or call.questions[0].kind != "choice":
            if event.key in KEYCAPS and call.state is CallState.OPEN:
                return self._not_by_reaction(tx, event, call)
            return Outcome("ignored")
        question = call.questions[0]
        if event.key not in KEYCAPS[: len(question.choices)] and event.key not in question.choices:
            return Outcome("ignored")
        return self._receive(tx, event, call_id, event.key, {question.id: event.key})

    def _not_by_reaction(self, tx: Transaction, event: Reaction, call: Call) -> Outcome:
        """A number reaction on a call it cannot answer: its author is told how, once a call."""
        point = tx.focal_points.identify(event.sender)
        language = point.language if point else self.config.language
        said = texts.not_by_reaction(language, len(call.questions))
        key = f"not-by-reaction:{call.id}:{event.platform}:{event.sender.user_id}"
        self._notice(tx, event, event.target, said, key=key)
        return Outcome("refused", call_id=call.id)

    def _edit(self, tx: Transaction, event: Edit) -> Outcome:
        if not event.text.strip():
            return Outcome("ignored")
        found = tx.reply_sources.find(event.platform, event.target)
        if found is None:
            return Outcome("ignored")
        call_id, city = found
        # The bot answers in the call's thread, replying to the answer edited: a thread cannot
        # start on a message that is itself in one (Synapse refuses such a post).
        original = Message(
            platform=event.platform,
            room=event.room,
            event_id=event.event_id,
            sender=event.sender,
            text=event.text,
            thread_root=call_post(tx, call_id, event.room) or event.target,
            at=event.at,
        )
        point = tx.focal_points.identify(event.sender)
        if point is None or point.city != city:
            return Outcome("ignored")
        text = without_reply_command(event.text, call_id)
        return self._receive(tx, original, call_id, text, None, edit_of=event.target)

    # -- a city's answer: checked, then stored ---------------------------------------------

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
        received_at: datetime | None = None,
    ) -> Outcome:
        """Store a city's reply; `edit_of` names the original message when this is an edit.

        `ack_key` keys the acknowledgement when the event was already answered once;
        `received_at` is when an answer kept until its author was linked was given. What is
        logged meanwhile (by uccn, a reply parser, a plugin) names the call.
        """
        with about(call=call_id):
            outcome = self._answer(tx, event, call_id, text, answers, edit_of, ack_key, received_at)
        return replace(outcome, call_id=call_id)

    def _answer(
        self,
        tx: Transaction,
        event: Message | Reaction | FormSubmission,
        call_id: str,
        text: str,
        answers: dict[str, Answer] | None,
        edit_of: str | None,
        ack_key: str | None,
        received_at: datetime | None,
    ) -> Outcome:
        # A reaction cannot start a thread: answer under the post it reacted to.
        thread = (
            event.target
            if isinstance(event, Reaction)
            else getattr(event, "thread_root", None) or event.event_id
        )
        answering = Answering(event, call_id, text, thread, edit_of, ack_key, received_at)
        call = tx.calls.get(call_id)
        point = tx.focal_points.identify(event.sender)
        language = point.language if point else self.config.language
        refusal = texts.not_open(call, call_id, text, language)
        if refusal or call is None:
            return self._refuse(tx, answering, refusal)
        if point is None:
            return self._keep_unlinked(tx, answering, call, language)
        city = tx.cities.get(point.city)
        if city is None or not reaches(call.audience, city):
            return self._refuse(
                tx,
                answering,
                _(
                    point.language,
                    "The call “{title}” is not addressed to {city}; its answer is not needed.",
                    title=clip(call.title, 80),
                    city=city.name if city else point.city,
                ),
            )
        checked = self._checked(tx, answering, call, point, answers)
        if isinstance(checked, Outcome):
            return checked
        current = tx.replies.get(call.id, point.city)
        if received_at and current and not current.withdrawn and current.updated_at > received_at:
            return self._file_older(tx, answering, call, current, checked, point.language)
        reply = self._store(tx, answering, call, point, checked)
        if edit_of:
            self._react(tx, event, edit_of)
            return Outcome("edited", reply, call)
        if isinstance(event, Reaction) and event.vote:
            said = _(
                point.language,
                "Recorded the answer of {city}: {choice}. Vote again to change it.",
                city=city.name,
                choice=clip(str(next(iter(checked.values()), event.key)), 80),
            )
        elif isinstance(event, Reaction):  # a reaction is changed by another, not edited
            said = _(
                point.language,
                "Recorded the answer of {city}: {choice}. To change it, remove your reaction "
                "and react with another choice.",
                city=city.name,
                choice=clip(str(next(iter(checked.values()), event.key)), 80),
            )
        else:
            said = _(
                point.language,
                "Recorded the answer of {city}. Edit your message to change it.",
                city=city.name,
            )
        self._notice(tx, event, thread, said, key=ack_key)
        return Outcome("stored", reply, call)

    def _keep_unlinked(
        self, tx: Transaction, answering: Answering, call: Call, language: str
    ) -> Outcome:
        """Keep the answer of someone not linked to a city, to file once they are; they are
        told once per call, however many lines they send."""
        event = answering.event
        told = tx.unlinked_replies.get(call.id, event.platform, event.sender.user_id) is not None
        tx.unlinked_replies.put(
            UnlinkedReply(
                call=call.id,
                platform=event.platform,
                author=event.sender.user_id,
                text=answering.text,
                source=MessageRef(
                    platform=event.platform, room=event.room, event_id=event.event_id
                ),
                received_at=self.clock(),
            )
        )
        if not told:
            self._notice(
                tx,
                event,
                answering.thread,
                _(
                    language,
                    "Thank you. Your answer is kept, but it does not count for a city yet: you "
                    "are not linked to one. Write “{prefix}iam CITY” (for example “{prefix}iam "
                    "lyon”) and the Secretariat will confirm you as the city's focal point.",
                    prefix=command_prefix(event),
                ),
            )
        return Outcome("unlinked")

    def _checked(
        self,
        tx: Transaction,
        answering: Answering,
        call: Call,
        point: FocalPoint,
        answers: dict[str, Answer] | None,
    ) -> dict[str, Answer] | Outcome:
        """The answers, read and checked against the call's questions; or the refusal. A
        refused attempt is remembered, so an edit that corrects it counts as the answer."""
        event = answering.event
        if answers is None:
            answers = self._parse(answering.text, call)
        if answers is None:
            tx.reply_sources.add(event.platform, answering.source_id, call.id, point.city)
            return self._refuse(
                tx,
                answering,
                _(point.language, "Please number your answers, one per question: 1. … 2. …"),
            )
        checked, problems = check_answers(
            answers, call.questions, point.language, from_form=isinstance(event, FormSubmission)
        )
        if problems:
            tx.reply_sources.add(event.platform, answering.source_id, call.id, point.city)
            return self._refuse(
                tx,
                answering,
                _(
                    point.language,
                    "Your answer was not recorded: {problems}.",
                    problems="; ".join(problems.values()),
                ),
            )
        return checked

    def _store(
        self,
        tx: Transaction,
        answering: Answering,
        call: Call,
        point: FocalPoint,
        answers: dict[str, Answer],
    ) -> Reply:
        """The city's reply now, its earlier ones kept in its history."""
        event = answering.event
        now = self.clock()
        source = MessageRef(platform=event.platform, room=event.room, event_id=answering.source_id)
        current = tx.replies.get(call.id, point.city)
        history = list(current.history) if current else []
        if current and not current.withdrawn:
            history.append(revision_of(current))
        reply = Reply(
            call=call.id,
            city=point.city,
            author=event.sender.user_id,
            text=answering.text,
            answers=answers,
            source=source,
            verified=True,
            history=history,
            edit=event.event_id if answering.edit_of else None,
            received_at=current.received_at if current else now,
            updated_at=now,
        )
        tx.replies.put(reply)
        tx.reply_sources.add(event.platform, answering.source_id, call.id, point.city)
        if answering.edit_of:  # so that deleting the edit finds the reply it made
            tx.reply_sources.add(event.platform, event.event_id, call.id, point.city)
        return reply

    def _file_older(
        self,
        tx: Transaction,
        answering: Answering,
        call: Call,
        current: Reply,
        answers: dict[str, Answer],
        language: str,
    ) -> Outcome:
        """An answer given before the city's current one: the latest answer wins, so this one
        goes to the reply's history, in its place in time."""
        event = answering.event
        given = answering.received_at or self.clock()
        older = Revision(
            text=answering.text,
            answers=answers,
            source=MessageRef(platform=event.platform, room=event.room, event_id=event.event_id),
            at=given,
        )
        history = sorted([*current.history, older], key=lambda r: r.at)
        tx.replies.put(current.model_copy(update={"history": history}))
        city = tx.cities.get(current.city)
        self._notice(
            tx,
            event,
            answering.thread,
            _(
                language,
                "Your earlier answer is kept in the history of {city}'s reply: the city has "
                "answered since, and its latest answer counts.",
                city=city.name if city else current.city,
            ),
            key=answering.ack_key,
        )
        return Outcome("filed", current, call)

    # -- helpers ---------------------------------------------------------------------------

    def _parse(self, text: str, call: Call) -> dict[str, Answer] | None:
        for parser in self.plugins.reply_parsers():
            try:
                answers = parser.parse(text, call.questions)
            except Exception as error:  # a parser plugin's bug must not lose the reply
                self.plugins.problems.append(PluginProblem(parser.name, f"parse raised {error!r}"))
                continue
            if answers is not None:
                return dict(answers)
        return None

    def _refuse(self, tx: Transaction, answering: Answering, text: str) -> Outcome:
        self._notice(tx, answering.event, answering.thread, text, reply_to=answering.edit_of)
        return Outcome("refused")

    @staticmethod
    def _notice(
        tx: Transaction,
        event: Event,
        thread: str,
        text: str,
        *,
        key: str | None = None,
        reply_to: str | None = None,
    ) -> None:
        if not event.room:  # a form sent from outside any room (the web console's)
            return
        tx.outbox.enqueue(
            key or notice_key(event.platform, event.event_id),
            event.platform,
            OutboundMessage(room=event.room, text=text, thread_root=thread, reply_to=reply_to),
            kind="notice",
        )

    @staticmethod
    def _react(tx: Transaction, event: Event, target: str) -> None:
        tx.outbox.enqueue(
            f"ack:{event.platform}:{event.event_id}",
            event.platform,
            OutboundReaction(room=event.room, target=target, key=ACK),
            kind="ack",
        )
