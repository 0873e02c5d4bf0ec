"""City exports in the same forms `uccn cities import` reads back."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO

from uccn_sdk.contracts import RecordKind
from uccn_sdk.directory import columns
from uccn_sdk.formulas import guarded
from uccn_sdk.models import City


class CityCsvExporter:
    """One row per city, with the columns import expects; a cell a spreadsheet would run as a
    formula is kept as text (see :mod:`uccn_sdk.formulas`), and import reads it back."""

    format = "csv"
    kind: RecordKind = "cities"

    def write(self, records: Iterable[City], out: IO[str]) -> int:
        writer = csv.DictWriter(out, fieldnames=columns.COLUMNS, lineterminator="\n")
        writer.writeheader()
        count = 0
        for city in records:
            writer.writerow({k: guarded(v) for k, v in columns.to_row(city).items()})
            count += 1
        return count


class CityJsonExporter:
    """A JSON list of whole city records, provenance included."""

    format = "json"
    kind: RecordKind = "cities"

    def write(self, records: Iterable[City], out: IO[str]) -> int:
        count = 0
        out.write("[")
        for city in records:
            out.write(",\n  " if count else "\n  ")
            out.write(json.dumps(city.model_dump(mode="json"), ensure_ascii=False))
            count += 1
        out.write("\n]\n" if count else "]\n")
        return count
