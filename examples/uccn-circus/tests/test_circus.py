"""The field is named in each reader's language, and cities can be imported into it."""

import os
import subprocess
import sys
from pathlib import Path

import uccn_circus

UCCN = Path(sys.executable).parent / "uccn"


def uccn(*arguments, home, **variables):
    """Run the `uccn` command as a user would; the plugin is installed beside it."""
    env = {**os.environ, "UCCN_HOME": str(home), "COLUMNS": "200", **variables}
    env.pop("UCCN_DATABASE_URL", None)
    return subprocess.run(
        [str(UCCN), *arguments], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_field_is_named_in_each_language_and_falls_back_to_english(uccn_network, uccn_plugin):
    uccn_plugin(uccn_circus, "circus")
    field = uccn_network.plugins.fields()["circus"]
    assert field.name("pt") == "Artes circenses"
    assert field.name("pt-BR") == "Artes circenses"  # the base language
    assert field.name("ar") == "فنون السيرك"
    assert field.name("de") == "Circus Arts"  # no German name: English
    assert uccn_network.problems() == []


def test_cities_can_be_imported_into_the_field_once_it_is_installed(tmp_path):
    listed = uccn("fields", "--language", "fr", home=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "Arts du cirque" in listed.stdout
    data = tmp_path / "circus.csv"
    data.write_text(
        "id,name,country,field,year,lat,lon,timezone\n"
        "circusville,Circusville,FR,circus,2026,43.6,3.88,Europe/Paris\n",
        encoding="utf-8",
    )
    imported = uccn("cities", "import", str(data), home=tmp_path)
    assert imported.returncode == 0, imported.stderr
    shown = uccn("cities", "list", "--field", "circus", home=tmp_path)
    assert "Circusville" in shown.stdout


def test_without_the_plugin_the_same_import_is_refused(tmp_path):
    data = tmp_path / "circus.csv"
    data.write_text(
        "id,name,country,field,year\ncircusville,Circusville,FR,circus,2026\n", encoding="utf-8"
    )
    refused = uccn("cities", "import", str(data), home=tmp_path, UCCN_PLUGINS_BLOCK="circus")
    assert refused.returncode == 1
    assert "circus" in refused.stderr
