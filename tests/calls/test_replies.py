"""Replies from chat: threads, edits, deletions, reactions, and what is refused."""

from __future__ import annotations

from datetime import timedelta

from tests.calls.conftest import BO, CONFIG, Network, Recorder, survey
from uccn_sdk.calls.service import Calls
from uccn_sdk.chat.events import Deletion, Edit, FormSubmission, Reaction, Sender
from uccn_sdk.models import Audience, Question
from uccn_sdk.plugins import Plugins


def opened(network: Network, **changes: object) -> str:
    network.calls.create(survey(**changes))
    network.calls.open("survey-2026")
    network.deliver()
    return network.post_of("survey-2026", "!lyon")


def by(user: str, kind: type[Edit] | type[Deletion], event_id: str, target: str, **more: str):  # type: ignore[no-untyped-def]
    """An edit or a deletion by `user` in Lyon's room."""
    return kind(  # type: ignore[call-arg]
        platform="matrix",
        room="!lyon",
        event_id=event_id,
        sender=Sender("matrix", user),
        target=target,
        **more,
    )


def notices(network: Network) -> list[str]:
    return [r.message.text for r in network.deliver() if r.kind == "notice"]  # type: ignore[union-attr]


def test_a_thread_reply_is_parsed_stored_and_acknowledged_in_french(
    network: Network, recorder: Recorder
) -> None:
    post = opened(network)
    outcome = network.calls.handle(
        network.message("@ana:uccn.test", "1. 1 200\n2. Fête du livre", "$a1", post)
    )
    assert outcome.result == "stored"
    assert outcome.reply is not None
    assert outcome.reply.answers == {"q1": 1200.0, "q2": "Fête du livre"}
    assert outcome.reply.verified
    assert notices(network) == [
        "Réponse de Lyon enregistrée. Modifiez votre message pour la changer."
    ]
    assert ("reply", "survey-2026") in recorder.events


def test_the_same_event_three_times_is_stored_once(network: Network) -> None:
    post = opened(network)
    event = network.message("@ana:uccn.test", "1. 3\n2. x", "$a1", post)
    results = [network.calls.handle(event).result for _ in range(3)]
    assert results == ["stored", "duplicate", "duplicate"]
    assert len(notices(network)) == 1
    with network.store.begin() as tx:
        assert len(tx.replies.for_call("survey-2026")) == 1


def test_an_edit_updates_the_reply_and_keeps_history_even_after_a_restart(network: Network) -> None:
    post = opened(network)
    network.calls.handle(network.message("@ana:uccn.test", "1. 3\n2. old", "$a1", post))
    network.deliver()
    restarted = Calls(network.store, Plugins.load(), CONFIG, network.clock)
    edit = Edit(
        platform="matrix",
        room="!lyon",
        event_id="$e1",
        sender=Sender("matrix", "@ana:uccn.test"),
        target="$a1",
        text="1. 4\n2. new",
    )
    assert restarted.handle(edit).result == "edited"
    (ack,) = [r for r in network.deliver() if r.kind == "ack"]
    assert (ack.message.target, ack.message.key) == ("$a1", "✅")  # type: ignore[union-attr]
    with network.store.begin() as tx:
        reply = tx.replies.require("survey-2026", "lyon")
    assert reply.answers == {"q1": 4.0, "q2": "new"}
    assert [r.text for r in reply.history] == ["1. 3\n2. old"]
    deletion = Deletion(
        platform="matrix",
        room="!lyon",
        event_id="$d1",
        sender=Sender("matrix", "@ana:uccn.test"),
        target="$a1",
    )
    assert restarted.handle(deletion).result == "withdrawn"
    with network.store.begin() as tx:
        assert tx.replies.for_call("survey-2026") == []
        assert len(tx.replies.require("survey-2026", "lyon").history) == 2


def test_a_second_message_replaces_the_citys_reply(network: Network) -> None:
    post = opened(network)
    network.calls.handle(network.message("@ana:uccn.test", "1. 3\n2. first", "$a1", post))
    network.calls.handle(network.message("@ana:uccn.test", "1. 5\n2. second", "$a2", post))
    with network.store.begin() as tx:
        (reply,) = tx.replies.for_call("survey-2026")
    assert reply.answers["q2"] == "second" and len(reply.history) == 1
    # Deleting the first message no longer withdraws the city's reply.
    gone = Deletion(
        platform="matrix",
        room="!lyon",
        event_id="$d1",
        sender=Sender("matrix", "@ana:uccn.test"),
        target="$a1",
    )
    assert network.calls.handle(gone).result == "ignored"


def test_someone_not_linked_cannot_answer_for_a_city(network: Network) -> None:
    post = opened(network)
    outcome = network.calls.handle(
        network.message("@mallory:evil.test", "1. 999\n2. @room look at me", "$m1", post)
    )
    assert outcome.result == "unlinked"
    (notice,) = notices(network)
    assert "iam CITY" in notice
    with network.store.begin() as tx:
        assert tx.replies.for_call("survey-2026") == []
        (kept,) = tx.unlinked_replies.for_call("survey-2026")
    assert kept.author == "@mallory:evil.test"
    assert network.calls.summary("survey-2026").unlinked == 1


def test_a_focal_point_cannot_edit_anothers_reply(network: Network) -> None:
    post = opened(network)
    network.calls.handle(network.message("@ana:uccn.test", "1. 3\n2. mine", "$a1", post))
    hijack = Edit(
        platform="matrix",
        room="!lyon",
        event_id="$e9",
        sender=Sender("matrix", "@bo:uccn.test"),
        target="$a1",
        text="1. 0\n2. yours",
    )
    assert network.calls.handle(hijack).result == "ignored"
    with network.store.begin() as tx:
        assert tx.replies.require("survey-2026", "lyon").answers["q2"] == "mine"


def test_bad_answers_are_explained_and_nothing_is_stored(network: Network) -> None:
    post = opened(network)
    outcome = network.calls.handle(
        network.message("@bo:uccn.test", "1. many\n3. extra", "$b1", post)
    )
    assert outcome.result == "refused"
    assert notices(network) == [
        "Your answer was not recorded: answer 1 should be a number, not “many”; "
        "there is no question 3."
    ]
    unnumbered = network.calls.handle(
        network.message("@bo:uccn.test", "lots of things", "$b2", post)
    )
    assert unnumbered.result == "refused"
    assert "Please number your answers" in notices(network)[0]
    with network.store.begin() as tx:
        assert tx.replies.for_call("survey-2026") == []


def test_numbers_are_read_the_way_the_focal_points_language_writes_them(
    network: Network,
) -> None:
    lyon = opened(network)
    bologna = network.post_of("survey-2026", "!bologna")

    def answer(user: str, number: str, event_id: str) -> object:
        post, room = (lyon, "!lyon") if user == "@ana:uccn.test" else (bologna, "!bologna")
        message = network.message(user, f"1. {number}\n2. x", event_id, post, room=room)
        outcome = network.calls.handle(message)
        return outcome.reply.answers["q1"] if outcome.reply else notices(network)[-1]

    # Ana writes French: a decimal comma, a space between thousands; a point is read as in English.
    assert answer("@ana:uccn.test", "2,5", "$a1") == 2.5
    assert answer("@ana:uccn.test", "12 000,5", "$a2") == 12000.5
    assert answer("@ana:uccn.test", "2.5", "$a3") == 2.5
    # Bo writes English: a comma groups thousands; 1,5 could be 15 or 1.5, so it is not guessed.
    assert answer("@bo:uccn.test", "1,234", "$b1") == 1234
    refused = "Your answer was not recorded: answer 1 should be a number, not “{}”."
    assert answer("@bo:uccn.test", "1,5", "$b2") == (
        "Your answer was not recorded: answer 1 can be read two ways: write 15 or 1.5."
    )
    assert answer("@bo:uccn.test", "inf", "$b3") == refused.format("inf")
    with network.store.begin() as tx:
        assert tx.replies.require("survey-2026", "bologna").answers["q1"] == 1234
        tx.focal_points.put_many([BO.model_copy(update={"language": "it"})])
    # In Italian a point groups thousands; a form's number field gives a plain decimal.
    assert answer("@bo:uccn.test", "1.234", "$b4") == 1234
    form = FormSubmission(
        platform="matrix",
        room="!bologna",
        event_id="$f1",
        sender=Sender("matrix", "@bo:uccn.test"),
        call="survey-2026",
        answers={"q1": "1.234", "q2": "x"},
    )
    assert network.calls.check("survey-2026", form.sender, form.answers) == {}
    assert network.calls.handle(form).reply.answers["q1"] == 1.234  # type: ignore[union-attr]


def test_a_choice_written_as_a_circled_or_superscript_digit_is_explained(
    network: Network,
) -> None:
    choice = Question(id="q1", prompt="Coming?", kind="choice", choices=["yes", "no"])
    post = opened(network, questions=[choice])
    for n, odd in enumerate(["①", "²"]):
        outcome = network.calls.handle(network.message("@ana:uccn.test", odd, f"$c{n}", post))
        assert outcome.result == "refused"
    assert notices(network)[-1] == (
        "Votre réponse n’a pas été enregistrée : la réponse 1 doit être l’une de : yes, no."
    )


def test_a_list_inside_an_answer_is_never_cut_into_answers(network: Network) -> None:
    post = opened(network, questions=[Question(id="q1", prompt="How many events?", kind="number"),
                                      Question(id="q2", prompt="Which?")])  # fmt: skip
    listed = "1. 2\n2. Two events:\n1) a festival\n2) a workshop"
    outcome = network.calls.handle(network.message("@bo:uccn.test", listed, "$b1", post))
    assert outcome.result == "refused"  # not q1 = "a festival", q2 = "a workshop"
    assert "Please number your answers" in notices(network)[0]
    network.calls.create(survey(id="one", questions=[Question(id="q1", prompt="Your projects?")]))
    network.calls.open("one")
    network.deliver()
    one = network.post_of("one", "!bologna")
    projects = "1. a festival\n2. a workshop"
    message = network.message("@bo:uccn.test", projects, "$b2", one, room="!bologna")
    assert network.calls.handle(message).reply.answers == {"q1": projects}  # type: ignore[union-attr]


def test_oversized_unknown_and_late_replies(network: Network) -> None:
    post = opened(network)
    huge = network.calls.handle(network.message("@bo:uccn.test", "1. " + "x" * 20_000, "$h", post))
    assert huge.result == "refused"
    assert "too long (20003 characters; the limit is 10000)" in notices(network)[0]
    assert (
        network.calls.handle(network.message("@bo:uccn.test", "1. 2", "$u", "$not-a-call")).result
        == "ignored"
    )
    network.calls.close("survey-2026")
    late = network.calls.handle(network.message("@bo:uccn.test", "1. 2\n2. x", "$l", post))
    assert late.result == "refused"
    assert "is closed; answers are no longer accepted" in notices(network)[0]


def test_a_reaction_answers_a_one_choice_call(network: Network) -> None:
    post = opened(
        network,
        questions=[
            Question(id="q1", prompt="Coming to the meeting?", kind="choice", choices=["yes", "no"])
        ],
    )
    with network.store.begin() as tx:
        (row,) = [r for r in tx.outbox.for_call("survey-2026", "call") if r.room == "!lyon"]
    assert "1️⃣ yes" in row.message.text  # type: ignore[union-attr]
    # The post says that a reaction answers it (in the call's language).
    assert "To answer, react with the number of your choice." in row.message.text  # type: ignore[union-attr]
    reaction = Reaction(
        platform="matrix",
        room="!lyon",
        event_id="$r1",
        sender=Sender("matrix", "@ana:uccn.test"),
        target=post,
        key="2️⃣",
    )
    assert network.calls.handle(reaction).result == "stored"
    (ack,) = [r for r in network.deliver() if r.kind == "notice"]
    assert ack.message.thread_root == post  # type: ignore[union-attr]  # not on the reaction
    # What was recorded, and how a reaction's answer changes (not "edit your message").
    assert ack.message.text == (  # type: ignore[union-attr]
        "Réponse de Lyon enregistrée : no. Pour la changer, retirez votre réaction et "
        "réagissez avec un autre choix."
    )
    with network.store.begin() as tx:
        assert tx.replies.require("survey-2026", "lyon").answers == {"q1": "no"}
    other = Reaction(
        platform="matrix",
        room="!lyon",
        event_id="$r2",
        sender=Sender("matrix", "@ana:uccn.test"),
        target=post,
        key="🎉",
    )
    assert network.calls.handle(other).result == "ignored"


def test_a_form_submission_and_a_direct_reply(network: Network) -> None:
    opened(network)
    form = FormSubmission(
        platform="matrix",
        room="!lyon",
        event_id="$f1",
        sender=Sender("matrix", "@ana:uccn.test"),
        call="survey-2026",
        answers={"q1": "7", "q2": "Salon"},
    )
    assert network.calls.handle(form).result == "stored"
    direct = network.message(
        "@bo:uccn.test", "reply survey-2026 1. 1\n2. Jazz", "$dm", None, room="!dm-bo"
    )
    assert network.calls.reply_direct(direct, "survey-2026", "1. 1\n2. Jazz").result == "stored"
    assert network.calls.reply_direct(direct, "survey-2026", "1. 1\n2. Jazz").result == "duplicate"
    unknown = network.message("@bo:uccn.test", "x", "$dm2", None, room="!dm-bo")
    assert network.calls.reply_direct(unknown, "nope", "1. 1").result == "refused"


def test_mass_mentions_never_reach_a_post(network: Network) -> None:
    network.calls.create(
        survey(
            title="Hello @room",
            text="Ping @channel and <!everyone>",
            audience=Audience(cities=["lyon"]),
        )
    )
    network.calls.open("survey-2026")
    (post,) = network.deliver()
    text = post.message.text  # type: ignore[union-attr]
    assert "@room" not in text and "@channel" not in text and "<!everyone>" not in text
    assert "@\u200broom" in text


def test_the_deadline_is_checked_at_each_reply(network: Network) -> None:
    post = opened(network)
    network.clock.now += timedelta(days=11)
    network.calls.close_due()
    assert (
        network.calls.handle(network.message("@ana:uccn.test", "1. 1\n2. x", "$late", post)).result
        == "refused"
    )


def test_an_edit_that_corrects_a_refused_answer_is_stored(network: Network) -> None:
    post = opened(network)
    assert (
        network.calls.handle(network.message("@bo:uccn.test", "1. lots\n2. x", "$b1", post)).result
        == "refused"
    )
    fix = Edit(
        platform="matrix",
        room="!lyon",
        event_id="$b1-edit",
        sender=Sender("matrix", "@bo:uccn.test"),
        target="$b1",
        text="1. 30\n2. x",
    )
    assert network.calls.handle(fix).result == "edited"
    with network.store.begin() as tx:
        reply = tx.replies.require("survey-2026", "bologna")
    assert reply.answers == {"q1": 30.0, "q2": "x"}
    assert reply.source is not None and reply.source.event_id == "$b1"


def test_only_the_author_its_city_or_the_secretariat_withdraw_an_answer(
    network: Network,
) -> None:
    """Issue 22, finding 6: a room's moderator redacting the message left the city answerless."""
    post = opened(network)
    network.calls.handle(network.message("@ana:uccn.test", "1. 3\n2. Lights", "$a1", post))

    def deleted_by(user: str, event_id: str) -> str:
        return network.calls.handle(by(user, Deletion, event_id, "$a1")).result

    assert deleted_by("@moderator:uccn.test", "$d1") == "ignored"
    assert deleted_by("@bo:uccn.test", "$d2") == "ignored"  # a focal point of another city
    with network.store.begin() as tx:
        assert [r.city for r in tx.replies.for_call("survey-2026")] == ["lyon"]
    assert deleted_by("@sec:uccn.test", "$d3") == "withdrawn"


def test_a_message_without_words_changes_nothing(network: Network) -> None:
    """Issue 22, finding 11: a share or a file without a comment replaced the answer with ''."""
    post = opened(network)
    network.calls.handle(network.message("@ana:uccn.test", "1. 3\n2. Lights", "$a1", post))
    assert network.calls.handle(network.message("@ana:uccn.test", " \n ", "$a2", post)).result == (
        "ignored"
    )
    empty_edit = by("@ana:uccn.test", Edit, "$e1", "$a1", text="")
    assert network.calls.handle(empty_edit).result == "ignored"
    with network.store.begin() as tx:
        reply = tx.replies.require("survey-2026", "lyon")
    assert reply.answers == {"q1": 3.0, "q2": "Lights"} and reply.history == []


def test_deleting_an_edit_brings_the_answer_back_to_its_text_before_it(network: Network) -> None:
    """Issue 22, finding 10: the deletion of an edit was ignored."""
    post = opened(network)
    network.calls.handle(network.message("@ana:uccn.test", "1. 3\n2. old", "$a1", post))
    edit = by("@ana:uccn.test", Edit, "$e1", "$a1", text="1. 4\n2. new")
    assert network.calls.handle(edit).result == "edited"

    def deleted(target: str, event_id: str) -> str:
        return network.calls.handle(by("@ana:uccn.test", Deletion, event_id, target)).result

    assert deleted("$e1", "$d1") == "restored"
    with network.store.begin() as tx:
        reply = tx.replies.require("survey-2026", "lyon")
    assert reply.answers == {"q1": 3.0, "q2": "old"} and not reply.withdrawn
    assert [r.text for r in reply.history] == ["1. 4\n2. new"]
    assert deleted("$e1", "$d2") == "ignored"  # that edit is undone already
    assert deleted("$a1", "$d3") == "withdrawn"


def test_someone_not_linked_is_told_once_however_many_lines_they_send(network: Network) -> None:
    """Issue 22, finding 9: 40 lines from an unlinked user queued 40 notices."""
    post = opened(network)
    for n in range(40):
        outcome = network.calls.handle(
            network.message("@mallory:evil.test", f"line {n}", f"$m{n}", post)
        )
        assert outcome.result == "unlinked"
    assert len(notices(network)) == 1
    with network.store.begin() as tx:
        (kept,) = tx.unlinked_replies.for_call("survey-2026")
    assert kept.text == "line 39"  # the latest is kept


def test_a_withdrawn_answer_is_acknowledged_in_the_calls_thread(network: Network) -> None:
    """Issue 23, item 6: deleting an answer withdrew it without a word to anyone."""
    post = opened(network)
    network.calls.handle(network.message("@ana:uccn.test", "1. 3\n2. Lights", "$a1", post))
    network.deliver()
    assert network.calls.handle(by("@ana:uccn.test", Deletion, "$d1", "$a1")).result == (
        "withdrawn"
    )
    (notice,) = [r for r in network.deliver() if r.kind == "notice"]
    assert notice.message.thread_root == post  # type: ignore[union-attr]
    assert notice.message.text == (  # type: ignore[union-attr]
        "La réponse de Lyon est retirée : elle ne compte plus. Pour répondre à nouveau, "
        "écrivez dans ce fil avant la date limite."
    )


def test_a_number_reaction_on_a_call_of_several_questions_says_how_to_answer(
    network: Network,
) -> None:
    post = opened(network)  # two questions: a reaction cannot answer them

    def react(event_id: str, user: str, key: str) -> str:
        reaction = Reaction(
            platform="matrix",
            room="!lyon",
            event_id=event_id,
            sender=Sender("matrix", user),
            target=post,
            key=key,
        )
        return network.calls.handle(reaction).result

    assert react("$r1", "@ana:uccn.test", "1️⃣") == "refused"
    assert react("$r2", "@ana:uccn.test", "2️⃣") == "refused"  # told once per call
    assert react("$r3", "@bo:uccn.test", "1️⃣") == "refused"
    assert react("$r4", "@ana:uccn.test", "👍") == "ignored"  # a reaction, not an answer
    assert notices(network) == [
        "Une réaction ne répond pas à cet appel (il a 2 questions) : répondez dans ce fil, "
        "une réponse numérotée par question (1. … 2. …).",
        "A reaction does not answer this call (it has 2 questions): answer in this thread, "
        "one numbered answer per question (1. … 2. …).",
    ]
    with network.store.begin() as tx:
        assert tx.replies.for_call("survey-2026") == []


def test_the_current_answers_of_a_call_are_read_briefly_with_their_count_of_versions(
    network: Network,
) -> None:
    post = opened(network)
    network.calls.handle(network.message("@ana:uccn.test", "1. 3\n2. Salon", "$a1", post))
    network.calls.handle(network.message("@ana:uccn.test", "1. 4\n2. Salon", "$a2", post))
    bologna = network.post_of("survey-2026", "!bologna")
    network.calls.handle(network.message("@bo:uccn.test", "1. 7\n2. Jazz", "$b1", bologna))
    network.calls.handle(by("@bo:uccn.test", Deletion, "$b2", "$b1"))  # withdrawn
    with network.store.begin() as tx:
        (lyon,) = tx.replies.briefly("survey-2026")
    assert (lyon.city, lyon.answers, lyon.revisions) == ("lyon", {"q1": 4.0, "q2": "Salon"}, 1)
