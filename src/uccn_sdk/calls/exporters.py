"""A call's replies as CSV, JSON or Markdown: one row per city in the audience."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

from uccn_sdk.chat.safety import neutralise
from uccn_sdk.contracts import RecordKind
from uccn_sdk.formulas import guarded

if TYPE_CHECKING:
    from uccn_sdk.calls.export import CallExport, CityRow

_FIXED = ("city", "name", "country", "field", "region", "answered", "author", "updated_at")


def _cells(export: CallExport, row: CityRow) -> dict[str, Any]:
    reply = row.reply
    cells: dict[str, Any] = {
        "city": row.city.id,
        "name": row.city.name,
        "country": row.city.country,
        "field": row.city.field,
        "region": row.city.region.value if row.city.region else "",
        "answered": "yes" if reply else "no",
        "author": reply.author if reply else "",
        "updated_at": reply.updated_at.isoformat() if reply else "",
    }
    for question in export.call.questions:
        answer = reply.answers.get(question.id, "") if reply else ""
        # A count of events is 4, not 4.0.
        cells[question.id] = (
            int(answer) if isinstance(answer, float) and answer.is_integer() else answer
        )
    cells["text"] = reply.text if reply else ""
    return cells


def _columns(export: CallExport) -> list[str]:
    return [*_FIXED, *(q.id for q in export.call.questions), "text"]


def _not_a_formula(value: Any) -> Any:
    """A text a spreadsheet would run as a formula kept as text; numbers as they are."""
    return guarded(value) if isinstance(value, str) else value


class ReplyCsvExporter:
    format = "csv"
    kind: RecordKind = "replies"

    def write(self, records: Iterable[CallExport], out: IO[str]) -> int:
        count = 0
        for export in records:
            writer = csv.DictWriter(out, fieldnames=_columns(export), lineterminator="\n")
            writer.writeheader()
            for row in export.rows:
                writer.writerow({k: _not_a_formula(v) for k, v in _cells(export, row).items()})
                count += 1
        return count


class ReplyJsonExporter:
    format = "json"
    kind: RecordKind = "replies"

    def write(self, records: Iterable[CallExport], out: IO[str]) -> int:
        count = 0
        for export in records:
            document = {
                "call": export.call.model_dump(mode="json"),
                "replies": [_cells(export, row) for row in export.rows],
                "unlinked": [u.model_dump(mode="json") for u in export.unlinked],
            }
            json.dump(document, out, ensure_ascii=False, indent=1)
            out.write("\n")
            count += len(export.rows)
        return count


def _md(value: object) -> str:
    return neutralise(str(value)).replace("|", "\\|").replace("\n", " ")


class ReplyMarkdownExporter:
    format = "md"
    kind: RecordKind = "replies"

    def write(self, records: Iterable[CallExport], out: IO[str]) -> int:
        count = 0
        for export in records:
            call = export.call
            answered = sum(1 for row in export.rows if row.reply)
            out.write(f"# {_md(call.title)}\n\n")
            out.write(
                f"Call `{call.id}`, {call.state.value}, deadline {call.deadline.isoformat()}. "
            )
            out.write(f"{answered} of {len(export.rows)} cities answered.\n\n")
            for question in call.questions:
                out.write(f"- **{question.id[1:]}.** {_md(question.prompt)}\n")
            headers = ["City", "Country", "Field", *(q.id[1:] for q in call.questions), "Text"]
            out.write("\n| " + " | ".join(headers) + " |\n")
            out.write("|" + "---|" * len(headers) + "\n")
            for row in export.rows:
                cells = _cells(export, row)
                values = [row.city.name, row.city.country, row.city.field]
                values += [cells[q.id] for q in call.questions]
                values.append(cells["text"] if row.reply else "*no answer*")
                out.write("| " + " | ".join(_md(v) for v in values) + " |\n")
                count += 1
            if unlinked := len(export.unlinked):
                answers = "1 answer" if unlinked == 1 else f"{unlinked} answers"
                out.write(f"\n{answers} from people not linked to a city.\n")
        return count
