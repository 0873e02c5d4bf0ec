"""Announcements from chat: the Secretariat schedules, previews and cancels; nobody else."""

from __future__ import annotations

from tests.calls.conftest import Network
from tests.calls.test_commands import run

NEW = 'announce new fair when="2030-03-01 10:00 local" audience=city:lyon,city:bologna\n'


def test_the_secretariat_previews_schedules_lists_and_cancels(network: Network) -> None:
    preview = run(network, "@sec:uccn.test", NEW.replace("new", "preview") + "The fair @room")
    assert "!lyon (lyon): Fri 2030-03-01 10:00 Europe/Paris = 2030-03-01 09:00 UTC" in preview
    assert "Nothing is scheduled yet." in preview
    assert "There are no announcements yet." in run(network, "@sec:uccn.test", "announce list")
    scheduled = run(network, "@sec:uccn.test", NEW + "The fair @room", event_id="$2")
    assert "Announcement fair is scheduled." in scheduled
    assert "fair (scheduled, 10:00 local time" in run(network, "@sec:uccn.test", "announce list")
    assert run(network, "@sec:uccn.test", "announce cancel fair") == (
        "Announcement fair is now cancelled."
    )


def test_a_focal_point_is_politely_refused(network: Network) -> None:
    answer = run(network, "@ana:uccn.test", NEW + "Mine")
    assert answer == "Only the Secretariat can use “announce new”."
    assert "There are no announcements yet." in run(network, "@sec:uccn.test", "announce list")


def test_bad_requests_say_what_to_fix(network: Network) -> None:
    assert run(network, "@sec:uccn.test", 'announce new when="x"\nT') == (
        "That did not work: ID is missing\n"
        'Write: announce new ID when="fri 10:00 local" audience=field:music [tz=Europe/Paris] '
        "[quiet=21:00-08:00] [skip=weekends]"
    )
    assert "there is no option qiuet= here" in run(
        network, "@sec:uccn.test", 'announce new a when="fri 10:00 local" qiuet=1\nT'
    )
    assert "is not an audience" in run(
        network, "@sec:uccn.test", 'announce new a when="fri 10:00 local" audience=town:x\nT'
    )
    assert "the text" in run(
        network, "@sec:uccn.test", 'announce new a when="fri 10:00 local" audience=city:lyon'
    )


def test_the_secretariat_changes_the_moment_and_the_text(network: Network) -> None:
    run(network, "@sec:uccn.test", NEW + "The fair")
    changed = run(
        network, "@sec:uccn.test", 'announce edit fair when="2030-03-02 11:00 local"\nNew text'
    )
    assert "Announcement fair is changed." in changed
    assert "Sat 2030-03-02 11:00 Europe/Paris = 2030-03-02 10:00 UTC" in changed
    moved = run(network, "@sec:uccn.test", "announce edit fair audience=city:bologna")
    assert "to 1 room." in moved and "!bologna (bologna)" in moved
    assert "is not a time of day" in run(
        network, "@sec:uccn.test", 'announce edit fair when="sat 25:00 local"'
    )
    assert "nothing to change" in run(network, "@sec:uccn.test", "announce edit fair")


def french(network: Network, text: str) -> str:
    """`text` from the Secretariat member, who reads the bot in French."""
    return run(network, "@sec:uccn.test", text, language="fr")


def test_a_french_secretariat_member_reads_a_refused_announcement_in_french(
    network: Network,
) -> None:
    refused = "Cela n’a pas fonctionné : "
    assert french(network, "announce new a when=someday audience=city:lyon\nT") == refused + (
        "'someday' n’est pas un moment que je sais lire : écrivez 2026-12-04T10:00+01:00, "
        "'fri 10:00 local' ou 'cron 0 10 * * fri'"
    )
    saturday = 'announce new a when="sat 10:00 local" audience=city:lyon skip=weekends\nT'
    assert french(network, saturday) == refused + (
        "« sat » est un jour de week-end dans chaque ville visée et les week-ends sont sautés : "
        "elle ne serait jamais publiée ; choisissez un jour ouvré, ou ne sautez pas les week-ends"
    )
    past = 'announce new a when="2020-01-01T10:00+00:00" audience=city:lyon\nT'
    assert french(network, past) == (
        refused + "2020-01-01T10:00+00:00 est dans le passé ; donnez un moment à venir"
    )
    friday = french(network, 'announce new a when="friday 10:00 local" audience=city:lyon\nT')
    assert friday.startswith(refused) and "'friday' n’est pas un jour : utilisez mon," in friday
    assert french(network, "announce edit fair quiet=10:00-10:00") == refused + (
        "les heures calmes commencent et finissent à la même heure ; donnez deux heures différentes"
    )


def test_a_french_secretariat_member_reads_the_preview_in_french(network: Network) -> None:
    # A Saturday, skipped in Lyon; the music room's cities do not all rest on Saturdays.
    preview = french(
        network,
        'announce preview fair when="2030-03-02 10:00 local" audience=city:lyon,field:music '
        "skip=weekends\nThe fair",
    )
    assert "fair : 10:00 heure locale, 2030-03-02, vers " in preview, preview
    assert (
        "matrix !lyon (lyon) : sam. 2030-03-02 10:00 Europe/Paris = 2030-03-02 09:00 UTC"
        " — sautée : week-end"
    ) in preview, preview
    assert "Rien n’est encore programmé." in preview
    french(network, NEW + "The fair")
    listed = french(network, "announce list")
    assert listed.startswith(
        "• fair (programmée, 10:00 heure locale, 2030-03-01, prochain envoi le "
    )
    assert french(network, "announce cancel fair") == "L’annonce fair est maintenant annulée."
