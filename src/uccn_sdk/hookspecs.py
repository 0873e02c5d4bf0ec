"""Every hook a uccn plugin can implement. These docstrings are the reference.

A plugin is a module or object with functions named after these hooks. Marking them
with ``uccn_sdk.hookimpl`` is optional; any attribute starting with ``uccn_`` that is not
a hook below makes the plugin fail to load, so a typo never passes silently.

Registration hooks receive a ``register`` callback: call it once per thing provided.
The host checks each value, keeps track of which plugin gave it, and refuses duplicates.
Lifecycle hooks are notifications: every implementation is called, each in isolation,
and a failure in one is reported by plugin name without stopping the others. Pluggy is
synchronous; a lifecycle hook may return an awaitable, which uccn awaits: in the bot, as a task
beside its work; in the ``uccn`` command, before the command ends.
Runtime hooks (``uccn_handle_event``, ``uccn_tick``, ``uccn_runtime_started``) are how the bot's
work reaches the features, the core's own included: what one of them raises is not isolated but
fails that work, which is tried again (an event is kept in the inbox and handled again), so
nothing is marked done that was not.

Hooks are called through pluggy, so ``@hookimpl(tryfirst=True)``, ``trylast=True`` and
``wrapper=True`` work as pluggy documents. On a duplicate registration, ``tryfirst`` wins over
a plain implementation and a plain one over ``trylast``; between equals, the plugin loaded
first (the core's own are loaded before the others).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from uccn_sdk.chat.events import Event
    from uccn_sdk.contracts import (
        ChatCommand,
        CitySource,
        ConnectorFactory,
        Exporter,
        MatchScorer,
        MessageTemplate,
        ReplyParser,
    )
    from uccn_sdk.models import Announcement, Call, CreativeField, Reply
    from uccn_sdk.runtime.context import Runtime

PROJECT = "uccn"

hookspec = pluggy.HookspecMarker(PROJECT)


# -------------------------------------------------------------------------------------
# Registration: what a plugin adds to the network's vocabulary and to the bot
# -------------------------------------------------------------------------------------


@hookspec
def uccn_register_fields(register: Callable[[CreativeField], None]) -> None:
    """Add creative fields, such as the eight official ones.

    Called once, when the plugins are loaded.

    Example:

    ```python
    from uccn_sdk.models import CreativeField

    def uccn_register_fields(register):
        register(CreativeField(slug="circus", names={"en": "Circus", "fr": "Cirque"}))
    ```

    :param register: call with each [`CreativeField`][uccn_sdk.models.CreativeField]. A slug that
        another plugin registered already is reported as a conflict and the second one
        is ignored.
    """


@hookspec
def uccn_register_city_sources(register: Callable[[CitySource], None]) -> None:
    """Add sources of member cities, such as a directory file the plugin ships.

    Called once, when the plugins are loaded. The store loads each source the first time
    it sees its ``(name, version)`` pair, so a plugin update with new data is loaded once.

    Example:

    ```python
    from uccn_sdk.models import City, Designation

    class Partners:
        name = "partners"
        version = "2026-11"  # change it when the data changes

        def load(self):
            yield City(
                id="utopia",
                name="Utopia",
                country="PT",
                designations=[Designation(field="music", year=2025)],
            )

    def uccn_register_city_sources(register):
        register(Partners())
    ```

    :param register: call with each [`CitySource`][uccn_sdk.contracts.CitySource].
    """


@hookspec
def uccn_register_match_scorers(register: Callable[[MatchScorer], None]) -> None:
    """Add scorers that say how well two cities fit each other.

    Called once, when the plugins are loaded. The matching engine combines the scores
    of every scorer with the weights from the configuration.

    Example:

    ```python
    import numpy as np

    from uccn_sdk.messages import say

    class SameCountry:
        name = "country"
        weight = 0.5

        def index(self, network):
            countries = np.array([city.country for city in network.cities])

            class Index:
                def applies(self, subject):
                    return subject.country is not None

                def score(self, subjects):
                    wanted = np.array([s.country or "" for s in subjects])
                    return (wanted[:, None] == countries[None, :]).astype(float)

                def explain(self, subject, candidate, score):
                    return say("in the same country") if score else ""

            return Index()

    def uccn_register_match_scorers(register):
        register(SameCountry())
    ```

    :param register: call with each [`MatchScorer`][uccn_sdk.contracts.MatchScorer].
    """


@hookspec
def uccn_register_reply_parsers(register: Callable[[ReplyParser], None]) -> None:
    """Add parsers that turn a reply's text into structured answers.

    Called once, when the plugins are loaded. Parsers are tried in registration order;
    the first that returns answers (not None) wins.

    Example:

    ```python
    class YesNo:
        # A lone "yes" or "no" answers a call with one question.
        name = "yes-no"

        def parse(self, text, questions):
            word = text.strip().lower()
            if len(questions) != 1 or word not in ("yes", "no"):
                return None
            return {questions[0].id: word.capitalize()}

    def uccn_register_reply_parsers(register):
        register(YesNo())
    ```

    :param register: call with each [`ReplyParser`][uccn_sdk.contracts.ReplyParser].
    """


@hookspec
def uccn_register_templates(register: Callable[[MessageTemplate], None]) -> None:
    """Translate the messages the bot sends into more languages: uccn's own, or a plugin's.

    Called once, when the plugins are loaded. A template's ``texts`` hold a message in
    English, its key, and in other languages. For one of uccn's messages the English is its
    text word for word, as in ``uccn_sdk/locale/fr/LC_MESSAGES/uccn.po``; a plugin's own
    messages are translated by calling ``uccn_sdk.messages.translate(language, english,
    **values)``. A translation fills in only the ``{placeholders}`` its English fills in.
    uccn's catalogs (English, French) come first; plugins add the languages they lack. A
    template registered under an existing name adds its languages to that template; the
    same name and language twice is a conflict.

    Example:

    ```python
    from uccn_sdk.contracts import MessageTemplate

    def uccn_register_templates(register):
        register(
            MessageTemplate(
                name="secretariat-only",
                texts={
                    "en": "Only the Secretariat can use “{command}”.",
                    "pt": "Só o Secretariado pode usar “{command}”.",
                },
            )
        )
    ```

    :param register: call with each [`MessageTemplate`][uccn_sdk.contracts.MessageTemplate].
    """


@hookspec
def uccn_register_connectors(register: Callable[[ConnectorFactory], None]) -> None:
    """Add chat connectors, one per platform.

    Called once, when the plugins are loaded. The bot builds the connectors its
    configuration names, each from its section of the configuration.

    Example:

    ```python
    import asyncio

    from uccn_sdk.chat.connector import Connector

    class Printer(Connector):
        # Prints what the bot would post, and receives nothing.
        platform = "printer"

        def __init__(self, prefix):
            self.prefix = prefix
            self.stopped = asyncio.Event()

        async def connect(self):
            pass

        async def listen(self, handler):
            await self.stopped.wait()

        async def disconnect(self):
            self.stopped.set()

        async def send(self, message, key, *, retry=False, since=None):
            print(self.prefix, message.room, getattr(message, "text", message))
            return key

    class PrinterFactory:
        platform = "printer"

        def __call__(self, config, state):
            return Printer(config.get("prefix", ">"))

    def uccn_register_connectors(register):
        register(PrinterFactory())
    ```

    :param register: call with each [`ConnectorFactory`][uccn_sdk.contracts.ConnectorFactory].
    """


@hookspec
def uccn_register_commands(register: Callable[[ChatCommand], None]) -> None:
    """Add chat commands, such as ``match`` or ``call list``.

    Called once, when the plugins are loaded. Declare a command with ``uccn_sdk.command`` and
    its arguments: the ``help`` command shows its usage line, made from the declaration, and
    the handler gets the arguments parsed by the same declaration (a message that does not fit
    is answered with what is wrong and the usage). A Secretariat-only command refuses everyone
    else before it runs.

    Example:

    ```python
    from uccn_sdk import command, flag, word

    @command("ping", "Check that the bot answers", word("city", optional=True), flag("loud"))
    async def ping(context, arguments):
        answer = f"pong from {arguments['city']}" if arguments["city"] else "pong"
        return answer.upper() if arguments["loud"] else answer

    def uccn_register_commands(register):
        register(ping)
    ```

    :param register: call with each [`ChatCommand`][uccn_sdk.contracts.ChatCommand].
    """


@hookspec
def uccn_register_exporters(register: Callable[[Exporter], None]) -> None:
    """Add export formats, such as CSV or JSON, for cities or for the replies to a call.

    Called once, when the plugins are loaded. ``uccn cities export --format NAME`` and
    ``uccn calls export --format NAME`` pick the exporter by its ``format`` and ``kind``.

    Example:

    ```python
    class JsonLines:
        format = "jsonl"
        kind = "cities"

        def write(self, records, out):
            count = 0
            for city in records:
                out.write(city.model_dump_json() + "\\n")
                count += 1
            return count

    def uccn_register_exporters(register):
        register(JsonLines())
    ```

    :param register: call with each [`Exporter`][uccn_sdk.contracts.Exporter].
    """


# -------------------------------------------------------------------------------------
# Lifecycle events: notifications; every implementation is called
# -------------------------------------------------------------------------------------


@hookspec
def uccn_call_opened(call: Call) -> object:
    """A call for contributions was opened and its posts are queued.

    Example:

    ```python
    import logging

    def uccn_call_opened(call):
        logging.getLogger("my-plugin").info("call %s opened: %s", call.id, call.title)
    ```

    :param call: the call, in state ``open``.
    :return: nothing, or an awaitable, which uccn awaits.
    """


@hookspec
def uccn_reply_received(call: Call, reply: Reply) -> object:
    """A reply to a call was stored, new or edited (see ``reply.history``).

    Example:

    ```python
    import logging

    def uccn_reply_received(call, reply):
        logging.getLogger("my-plugin").info("%s answered %s", reply.city, call.id)
    ```

    :param call: the call the reply answers.
    :param reply: the city's current reply, after it was stored.
    :return: nothing, or an awaitable, which uccn awaits.
    """


@hookspec
def uccn_call_closed(call: Call, replies: list[Reply]) -> object:
    """A call was closed, by hand or at its deadline; no reply is accepted after this.

    Example:

    ```python
    import asyncio
    import json
    import urllib.request

    WEBHOOK = "https://example.org/hooks/uccn"

    async def post_summary(call, replies):
        body = json.dumps({"call": call.id, "title": call.title, "replies": len(replies)})
        request = urllib.request.Request(
            WEBHOOK, body.encode(), {"Content-Type": "application/json"}
        )
        await asyncio.to_thread(urllib.request.urlopen, request, timeout=10)

    def uccn_call_closed(call, replies):
        return post_summary(call, replies)  # an awaitable: uccn awaits it
    ```

    :param call: the call, in state ``closed``.
    :param replies: the current, not withdrawn replies, one per city.
    :return: nothing, or an awaitable, which uccn awaits.
    """


@hookspec
def uccn_announcement_sent(announcement: Announcement, city: str | None) -> object:
    """One delivery of an announcement was posted.

    Example:

    ```python
    import logging

    def uccn_announcement_sent(announcement, city):
        where = city or "every room"
        logging.getLogger("my-plugin").info("%s posted for %s", announcement.id, where)
    ```

    :param announcement: the announcement.
    :param city: the city the delivery was for, or None for a room-wide delivery.
    :return: nothing, or an awaitable, which uccn awaits.
    """


# -------------------------------------------------------------------------------------
# The runtime: how the bot's events and periodic work reach the features
# -------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def uccn_handle_event(event: Event, runtime: Runtime) -> object:
    """Handle an event from chat that is not a command: a message in a thread, an edit, a
    reaction, a deletion.

    The first implementation that returns something other than None has handled the event,
    and the others are not asked; return None to leave it to them. The calls feature answers
    for call threads, matching (``trylast``) for its rounds' threads. An event can reach this
    hook more than once (the platform retries, a worker crashes before marking it handled), so
    key what you store by ``event.event_id``. Raising fails the event: it stays in the inbox and
    is handled again, and is kept with its error after the last attempt.

    Example:

    ```python
    from uccn_sdk.chat.events import Message

    def uccn_handle_event(event, runtime):
        if isinstance(event, Message) and event.text.startswith("+1"):
            ...  # count it, keyed by event.event_id
            return True
        return None
    ```

    :param event: the event, its text made storable (see ``uccn_sdk.chat.events``).
    :param runtime: the running network: store, plugins, configuration, clock, connectors.
    :return: None to pass, anything else once handled (an awaitable is awaited first).
    """


@hookspec
def uccn_tick(runtime: Runtime) -> object:
    """Periodic work, run by the worker that leads the scheduler, once a minute: the calls
    feature closes calls past their deadline and queues reminders; matching queues its rounds'
    follow-ups. Make it idempotent: after a failure or a change of leader it runs again.

    Example:

    ```python
    def uccn_tick(runtime):
        now = runtime.clock()
        with runtime.store.begin() as tx:
            ...  # queue what is due at `now` with tx.outbox.enqueue(key, ...)
    ```

    :param runtime: the running network.
    :return: nothing, or an awaitable, which uccn awaits before the tick counts as done.
    """


@hookspec
def uccn_runtime_started(runtime: Runtime) -> object:
    """The runtime starts, before its connectors connect: keep the services your hooks use and
    start work that runs beside the events with ``runtime.beside(coroutine)`` (matching builds
    its index so that the first question is answered at once).

    Example:

    ```python
    import logging

    def uccn_runtime_started(runtime):
        logging.getLogger("my-plugin").info("%d connectors", len(runtime.connectors))
    ```

    :param runtime: the running network.
    :return: nothing, or an awaitable, which uccn awaits before connecting.
    """
