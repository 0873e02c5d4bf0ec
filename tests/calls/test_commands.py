"""Chat commands: generated help, Secretariat-only commands, linking people to cities."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from tests.calls.conftest import CONFIG, Network, survey
from uccn_sdk.calls.service import Calls
from uccn_sdk.chat.events import Message, Sender
from uccn_sdk.commands import CommandContext, Commands
from uccn_sdk.models import Audience
from uccn_sdk.runtime.context import Runtime


def run(
    network: Network,
    user: str,
    text: str,
    event_id: str = "$cmd",
    language: str = "en",
    *,
    room: str | None = None,
) -> str:
    """`text` from `user`, to the bot: in a direct chat, or in `room`."""
    event = Message(
        platform="matrix",
        room=room or "!dm",
        event_id=event_id,
        sender=Sender("matrix", user),
        text=text,
        direct=room is None,
    )
    plugins = network.calls.plugins
    commands = Commands(plugins)
    runtime = Runtime(network.store, plugins, CONFIG)
    runtime.keep(Calls, lambda: network.calls)
    context = CommandContext(
        event=event,
        runtime=runtime,
        language=language,
        is_secretariat=CONFIG.is_secretariat("matrix", user),
        commands=commands,
    )
    return asyncio.run(commands.run(context, text))


def test_help_is_generated_and_shows_secretariat_commands_only_to_them(network: Network) -> None:
    everyone = run(network, "@bo:uccn.test", "help")
    assert "• iam CITY: Ask to be linked to your city as its focal point." in everyone
    assert "call close" not in everyone
    secretariat = run(network, "@sec:uccn.test", "help")
    assert "• call close ID: Close a call and post its summary. (Secretariat)" in secretariat
    assert "Montrer ce que vous pouvez me demander." in run(
        network, "@ana:uccn.test", "help", language="fr"
    )


def test_secretariat_commands_refuse_everyone_else(network: Network) -> None:
    assert (
        run(network, "@bo:uccn.test", "call close survey")
        == "Only the Secretariat can use “call close”."
    )
    assert run(network, "@bo:uccn.test", "link approve @bo:uccn.test lyon").startswith(
        "Only the Secretariat"
    )


def test_an_unknown_command_answers_with_the_help(network: Network) -> None:
    answer = run(network, "@bo:uccn.test", "dance")
    assert answer.startswith("I do not know that command.\nCommands:")


def test_the_secretariat_writes_opens_and_closes_a_call_in_chat(network: Network) -> None:
    text = (
        "call new meet-2027 deadline=2099-03-01T12:00+01:00 "
        'audience=city:lyon,field:music title="Meeting"\n'
        "Who comes to the annual meeting?\n"
        "Q: Coming? [choice: yes | no]\n"
        "Q: How many people? [number]"
    )
    assert (
        run(network, "@sec:uccn.test", text)
        == "Call meet-2027 saved as a draft; “call open meet-2027” posts it."
    )
    assert "meet-2027 (draft" in run(network, "@sec:uccn.test", "call list")
    assert run(network, "@bo:uccn.test", "call list") == "There are no calls yet."  # a draft
    assert (
        run(network, "@sec:uccn.test", "call   open  meet-2027")  # spaces as typed in haste
        == "Call meet-2027 is open. Rooms it goes to: 3."
    )  # Lyon, Bologna, music
    assert "meet-2027 (open, 2099-03-01, 0): Meeting" in run(network, "@bo:uccn.test", "call list")
    status = run(network, "@sec:uccn.test", "call status meet-2027")
    assert "0 of 85 cities answered" in status
    # By name, as in the summary; those beyond the first 50 are counted, not dropped.
    assert "Not answered: " in status and "Kisumu" in status and status.endswith(" (+35)")
    # The table comes as a file (see test_export): the answer says where.
    assert run(network, "@sec:uccn.test", "call export meet-2027") == (
        "The answers to “Meeting”: 0 of 85 cities, in the file meet-2027.md."
    )
    assert run(network, "@sec:uccn.test", "call close meet-2027").endswith(
        "0 of 85 cities answered."
    )
    bad = run(
        network,
        "@sec:uccn.test",
        "call new x deadline=2000-01-01T00:00Z audience=everyone title=X\ntext",
    )
    assert bad.startswith("That did not work: the deadline")


def test_a_call_written_in_chat_reads_its_audience_as_an_announcement_does(
    network: Network,
) -> None:
    typo = run(
        network,
        "@sec:uccn.test",
        'call new x deadline=2099-01-01T00:00Z audience=fild:music,city:bologna title="X"\ntext',
    )
    # Before, the typo was dropped without a word and the call went to Bologna alone.
    assert "'fild:music' is not an audience" in typo
    with network.store.begin() as tx:
        assert tx.calls.get("x") is None
    assert "'fild:music' is not an audience" in run(
        network,
        "@sec:uccn.test",
        'announce new y when="2099-01-01T10:00Z" audience=fild:music,city:bologna\nHello',
    )


def test_a_person_asks_to_be_linked_and_the_secretariat_approves(network: Network) -> None:
    asked = run(network, "@new:uccn.test", "iam bologna", "$iam")
    assert asked == "Thank you. The Secretariat will confirm you as a focal point of Bologna."
    (notice,) = [r for r in network.deliver() if r.room == "!secretariat"]
    assert "link approve @new:uccn.test bologna" in notice.message.text  # type: ignore[union-attr]
    assert "@new:uccn.test → bologna" in run(network, "@sec:uccn.test", "link list")
    assert run(network, "@sec:uccn.test", "link approve @new:uccn.test bologna alternate") == (
        "@new:uccn.test now answers for Bologna."
    )
    with network.store.begin() as tx:
        point = tx.focal_points.by_handle("matrix", "@new:uccn.test")
    assert point is not None and (point.city, point.role) == ("bologna", "alternate")
    assert point.language == "it"
    assert "No one is waiting" in run(network, "@sec:uccn.test", "link list")
    assert "there is no city “atlantis”" in run(network, "@new:uccn.test", "iam atlantis")
    # The reason is in the asker's language too, not only the words around it.
    assert run(network, "@ana:uccn.test", "iam atlantis", language="fr") == (
        "Cela n’a pas fonctionné : il n’y a pas de ville « atlantis » ; donnez son "
        "identifiant, comme lyon ou granada-0"
    )
    assert run(network, "@ana:uccn.test", "reply", language="fr").endswith(
        "il manque ID\nÉcrivez : reply ID 1. … 2. …"
    )


def answered_before_linking(network: Network) -> str:
    """A survey open in Bologna's room, answered there by someone not linked yet; its post."""
    network.calls.create(survey())
    network.calls.open("survey-2026")
    network.deliver()
    post = network.post_of("survey-2026", "!bologna")
    early = network.message("@new:uccn.test", "1. 4\n2. Opera", "$early", post, room="!bologna")
    assert network.calls.handle(early).result == "unlinked"
    return post


def test_answers_given_before_linking_count_once_approved(network: Network) -> None:
    post = answered_before_linking(network)
    run(network, "@new:uccn.test", "iam bologna", "$iam2")
    approved = run(network, "@sec:uccn.test", "link approve @new:uccn.test bologna", "$ok")
    assert approved.endswith("Their earlier answers now count for the city: 1.")
    with network.store.begin() as tx:
        reply = tx.replies.require("survey-2026", "bologna")
        assert tx.unlinked_replies.for_call("survey-2026") == []
    assert reply.answers == {"q1": 4.0, "q2": "Opera"} and reply.author == "@new:uccn.test"
    acks = [r for r in network.deliver() if r.key.startswith("adopted:")]
    assert len(acks) == 1 and acks[0].message.thread_root == post  # type: ignore[union-attr]


def test_approving_a_newcomer_keeps_the_citys_newer_answer(network: Network) -> None:
    """Issue 22, finding 7: the newcomer's older answer replaced the city's newer one."""
    post = answered_before_linking(network)
    network.clock.now += timedelta(hours=1)
    later = network.message("@bo:uccn.test", "1. 9\n2. Jazz", "$later", post, room="!bologna")
    assert network.calls.handle(later).result == "stored"
    network.clock.now += timedelta(hours=1)
    run(network, "@new:uccn.test", "iam bologna", "$iam3")
    approved = run(network, "@sec:uccn.test", "link approve @new:uccn.test bologna", "$ok3")
    assert approved.endswith(
        "Answers the city has given since stay; their older ones are in its history: 1."
    )
    with network.store.begin() as tx:
        reply = tx.replies.require("survey-2026", "bologna")
        assert tx.unlinked_replies.for_call("survey-2026") == []
    assert reply.answers == {"q1": 9.0, "q2": "Jazz"} and reply.author == "@bo:uccn.test"
    assert [r.text for r in reply.history] == ["1. 4\n2. Opera"]


def test_the_same_link_request_again_reaches_the_secretariat_once(network: Network) -> None:
    """Issue 22, finding 9: 200 'iam lyon' posted 200 requests to the Secretariat."""
    for n in range(20):
        asked = run(network, "@new:uccn.test", "iam bologna", f"$iam-{n}")
        assert asked.startswith("Thank you.")
    notices = [r for r in network.deliver() if r.room == "!secretariat"]
    assert len(notices) == 1
    run(network, "@new:uccn.test", "iam lyon", "$iam-lyon")  # another city is a new request
    assert len([r for r in network.deliver() if r.room == "!secretariat"]) == 1


def test_chat_and_the_command_line_read_a_question_the_same_way(network: Network) -> None:
    """Issue 21: a question was written 'Prompt::number' on the command line and
    'Prompt [number]' in chat, each refusing the other's form."""
    from uccn_sdk.calls.parsing import question_spec

    for written in ("Coming?::choice:yes|no", "Coming? [choice:yes|no]"):
        assert question_spec(1, written) == {
            "id": "q1",
            "prompt": "Coming?",
            "kind": "choice",
            "choices": ["yes", "no"],
        }
    made = run(
        network,
        "@sec:uccn.test",
        'call new both deadline=2099-01-01T00:00Z audience=city:lyon title="Both"\n'
        "Tell us\nQ: Events?::number\nQ: Coming? [choice:yes|no]",
    )
    assert made.startswith("Call both saved as a draft")
    questions = network.calls.call("both").questions
    assert [(q.kind, q.choices) for q in questions] == [("number", []), ("choice", ["yes", "no"])]


def test_in_a_room_the_bot_says_commands_as_they_work_there_and_who_no_room_reaches(
    network: Network,
) -> None:
    """Issue 28: the bot told the Secretariat to type “call open X” in a room, where only
    “!uccn call open X” works; and `call open` did not say which cities no room reaches."""
    text = (
        "call new fair deadline=2099-03-01T12:00+01:00 audience=field:literature "
        'title="Book fair"\nWho comes?'
    )
    saved = run(network, "@sec:uccn.test", text, room="!sec")
    assert saved == "Call fair saved as a draft; “!uccn call open fair” posts it."
    command = saved.split("“")[1].split("”")[0].removeprefix("!uccn ")
    opened = run(network, "@sec:uccn.test", command, room="!sec")
    assert opened.startswith("Call fair is open. Rooms it goes to: 1. No room reaches ")
    assert " of its cities: " in opened and opened.endswith(").")
    french = run(
        network,
        "@sec:uccn.test",
        "call new x deadline=2099-03-01T12:00+01:00 audience=everyone title=Salon\nQui vient ?",
        "$2",
        "fr",
        room="!sec",
    )
    assert "« !uccn call open x » le publie" in french


def test_a_refused_call_is_explained_whole_in_the_readers_language(network: Network) -> None:
    """No English reason in a French frame, no validator jargon, every problem told."""
    new = "call new c1 deadline=2026-12-15T17:00{offset} audience={audience} title={title}\n{q}"
    written = {"offset": "+01:00", "audience": "everyone", "title": "T", "q": "Tell.\nQ: How?"}

    def said(language: str, **changes: str) -> str:
        return run(
            network, "@sec:uccn.test", new.format(**{**written, **changes}), language=language
        )

    assert said("fr", offset="") == (
        "Cela n’a pas fonctionné : deadline : donnez l’heure avec son décalage UTC, comme "
        "2026-12-15T17:00+01:00\n"
        "Écrivez : call new ID deadline=2026-12-15T17:00+01:00 audience=field:music "
        'title="…" [text="…"] [language=fr]'
    )
    assert said("en", offset="") == (
        "That did not work: deadline: give the time with its UTC offset, like "
        "2026-12-15T17:00+01:00\n"
        'Write: call new ID deadline=2026-12-15T17:00+01:00 audience=field:music title="…" '
        '[text="…"] [language=fr]'
    )
    # Every problem, each in words (not "String should have at least 1 character").
    assert said("fr", title='""', q="Q: Coming?::choice:yes") == (
        "Cela n’a pas fonctionné : title est vide ; le texte est vide ; question 1 : la "
        "question q1 est un choix : donnez au moins deux choix"
    )
    assert said("en", title='""', q="Q: Coming?::choice:yes") == (
        "That did not work: title is empty; the text is empty; question 1: question q1 is a "
        "choice: give at least two choices"
    )
    assert said("fr", audience="city:lyom") == (
        "Cela n’a pas fonctionné : aucune ville membre n’a l’identifiant 'lyom' (`uccn cities "
        "list` montre les identifiants et les domaines)"
    )
    assert run(network, "@sec:uccn.test", "call open nope", language="fr") == (
        "Cela n’a pas fonctionné : il n’y a pas d’appel 'nope' ; `uccn calls list` (`call list` "
        "dans le chat) les montre"
    )


def test_closing_a_call_in_the_secretariats_room_says_its_summary_once(network: Network) -> None:
    network.calls.create(survey())
    network.calls.open("survey-2026")
    network.deliver()
    answer = run(network, "@sec:uccn.test", "call close survey-2026", room="!secretariat")
    assert answer.startswith("Call “Annual survey” is closed: 0 of ")  # the summary itself
    summaries = [r for r in network.deliver() if r.kind == "summary"]
    assert [r.room for r in summaries] == []  # not posted a second time in the same room
    # Closed from elsewhere, the summary still reaches the Secretariat's room.
    network.calls.create(survey(id="other"))
    network.calls.open("other")
    network.deliver()
    elsewhere = run(network, "@sec:uccn.test", "call close other")
    assert elsewhere.startswith("Call other is closed: ")
    assert [r.room for r in network.deliver() if r.kind == "summary"] == ["!secretariat"]


def test_remind_now_reminds_who_has_not_answered_once_a_day(network: Network) -> None:
    network.calls.create(survey(audience=Audience(cities=["lyon", "bologna"])))
    network.calls.open("survey-2026")
    network.deliver()
    post = network.post_of("survey-2026", "!lyon")
    network.calls.handle(network.message("@ana:uccn.test", "1. 3\n2. Salon", "$a1", post))
    network.deliver()
    said = run(network, "@sec:uccn.test", "call remind survey-2026", language="fr")
    assert said == "Relances en file : 1 (une ville est relancée au plus une fois par jour)."
    reminded = [r for r in network.deliver() if r.kind == "reminder"]
    assert [r.city for r in reminded] == ["bologna"]  # Lyon answered
    assert "Reminder: Bologna has not answered" in reminded[0].message.text  # type: ignore[union-attr]
    again = run(network, "@sec:uccn.test", "call remind survey-2026")
    assert again.startswith("Reminders queued: 0 ")  # pressed twice: once a day
    assert run(network, "@bo:uccn.test", "call remind survey-2026").startswith(
        "Only the Secretariat"
    )
