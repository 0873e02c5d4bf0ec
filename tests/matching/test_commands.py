"""Peers from chat: a focal point asks for its own city; the Secretariat runs rounds."""

from __future__ import annotations

from tests.calls.conftest import Network
from tests.calls.test_commands import run
from uccn_sdk import messages


def test_a_focal_point_gets_explained_peers_for_its_own_city(network: Network) -> None:
    answer = run(network, "@bo:uccn.test", "match k=3")
    lines = answer.splitlines()
    assert lines[0] == "Peers for Bologna:"
    assert len(lines) == 4 and lines[1].startswith("1. ")
    assert "both Music" in answer
    messages.use(network.calls.plugins.translations())  # as the bot does when it starts
    try:
        french = run(network, "@ana:uccn.test", "match k=2", language="fr")
    finally:
        messages.use({})
    assert french.splitlines()[0] == "Pairs pour Lyon :"
    assert "même domaine : Littérature; travaillent toutes deux en français" in french


def test_a_focal_point_cannot_ask_for_another_city_and_strangers_are_told_how_to_link(
    network: Network,
) -> None:
    assert "your own city only" in run(network, "@bo:uccn.test", "match lyon")
    assert "“iam CITY” links you" in run(network, "@eve:uccn.test", "match")
    assert "at most in chat" in run(network, "@bo:uccn.test", "match k=500")
    assert "k must be a number" in run(network, "@bo:uccn.test", "match k=ten")


def test_the_secretariat_names_any_city_and_filters(network: Network) -> None:
    answer = run(network, "@sec:uccn.test", "match lyon k=5 other-fields")
    assert answer.startswith("Peers for Lyon:") and "both Literature" not in answer


def test_free_text_and_opting_out(network: Network) -> None:
    answer = run(network, "@bo:uccn.test", "match about a festival of music for young people")
    assert "no city has a description to compare a text with yet" in answer
    assert "left out" in run(network, "@ana:uccn.test", "match optout")
    everyone = run(network, "@sec:uccn.test", "match bologna k=25")
    assert "Lyon" not in everyone
    assert "again" in run(network, "@ana:uccn.test", "match optin")


def test_the_secretariat_runs_a_round_and_a_focal_point_says_they_met(network: Network) -> None:
    refused = run(network, "@bo:uccn.test", "round new music-1 audience=field:music")
    assert refused == "Only the Secretariat can use “round new”."
    made = run(network, "@sec:uccn.test", "round new music-1 audience=field:music")
    assert made.startswith("Round music-1:") and "groups" in made
    with network.store.begin() as tx:
        introductions = [r for r in tx.outbox.pending("matrix") if r.kind == "introduction"]
    assert introductions and {r.room for r in introductions} == {"!music"}
    assert run(network, "@bo:uccn.test", "met music-1 yes") == "Thank you, noted."
    shown = run(network, "@sec:uccn.test", "round show music-1")
    assert "✔" in shown and "bologna" in shown


def test_a_focal_point_adds_a_project_and_asks_for_partners(network: Network) -> None:
    saved = run(
        network,
        "@bo:uccn.test",
        'project new sound-2027 title="Sound archives" sdgs=4,11 looking-for="archives"\n'
        "Recording the city's music and its festivals.",
    )
    assert "Project sound-2027 saved" in saved
    answer = run(network, "@bo:uccn.test", "match project sound-2027 k=3")
    assert answer.startswith("Peers for Sound archives:")


def test_projects_are_listed_in_chat(network: Network) -> None:
    assert "No projects yet" in run(network, "@bo:uccn.test", "project list")
    run(network, "@bo:uccn.test", 'project new sound-2027 title="Sound <!channel> archives"')
    run(network, "@ana:uccn.test", 'project new words-2027 title="Words"')
    mine = run(network, "@bo:uccn.test", "project list")
    assert mine.startswith("sound-2027: Sound") and "(bologna)" in mine
    assert "words-2027" not in mine and "<!channel>" not in mine
    everyone = run(network, "@bo:uccn.test", "project list all")
    assert "sound-2027" in everyone and "words-2027: Words (lyon)" in everyone
    assert run(network, "@sec:uccn.test", "project list lyon") == "words-2027: Words (lyon)"
    assert "“iam CITY” links you" in run(network, "@eve:uccn.test", "project list")


def test_a_round_in_chat_says_how_many_groups_no_room_introduces(network: Network) -> None:
    made = run(network, "@sec:uccn.test", "round new lit-1 audience=field:literature")
    assert made.startswith("Round lit-1: ") and " groups, recorded. No room reaches " in made
    assert "which are not introduced" in made and "on their way" not in made
    messages.use(network.calls.plugins.translations())
    try:
        french = run(
            network, "@sec:uccn.test", "round new lit-2 audience=field:literature", language="fr"
        )
    finally:
        messages.use({})
    assert " groupes, enregistrés. Aucun salon n’atteint " in french
    with network.store.begin() as tx:
        rooms = {r.room for r in tx.outbox.pending("matrix") if r.kind == "introduction"}
    assert "!secretariat" not in rooms and rooms <= {"!lyon", "!bologna"}


def test_a_french_focal_point_reads_a_refused_matching_command_in_french(
    network: Network,
) -> None:
    messages.use(network.calls.plugins.translations())  # as the bot does when it starts
    try:
        about = run(network, "@ana:uccn.test", "match about a festival of music", language="fr")
        too_many = run(network, "@ana:uccn.test", "match k=500", language="fr")
        no_round = run(network, "@ana:uccn.test", "met r9 yes", language="fr")
    finally:
        messages.use({})
    assert about == (
        "Cela n’a pas fonctionné : aucune ville n’a encore de description à laquelle comparer "
        "un texte ; le Secrétariat les ajoute avec `uccn cities import` (une colonne description)"
    )
    assert too_many == (
        "Cela n’a pas fonctionné : demandez au plus 25 pairs dans le chat ; `uccn match` en "
        "liste davantage"
    )
    assert no_round == "Cela n’a pas fonctionné : il n’y a pas de tour « r9 »"
