"""Writing a call on the web: the questions added and removed one by one, the audience with the
count of cities and of rooms that reach them, the deadline in every time zone of the audience,
the post as it will read (and whether it fits), then saved as a draft or opened. Every step is a
form sent back to the server, so it all works without JavaScript."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from aiohttp import web
from multidict import MultiDictProxy
from pydantic import ValidationError

from uccn_sdk.audience import audience_cities, misnamed, rooms_for
from uccn_sdk.calls.parsing import DEADLINE_SYNTAX, read_deadline
from uccn_sdk.calls.service import Calls
from uccn_sdk.calls.texts import call_post
from uccn_sdk.errors import Invalid, NotValid, UccnError, describe_items
from uccn_sdk.messages import N_, languages
from uccn_sdk.models import Audience, Call, Region
from uccn_sdk.runtime.context import Runtime
from uccn_web.app import RUNTIME, Viewer, page, secretariat_only, viewer

KINDS = (N_("text"), N_("number"), N_("choice"), N_("date"))
"""A question's kinds, as the form names them (translated where shown)."""
MAX_QUESTIONS = 30
SHOWN_ZONES = 12


@dataclass
class QuestionRow:
    prompt: str = ""
    kind: str = "text"
    choices: str = ""
    """Choices as written, separated by |."""


@dataclass
class Written:
    """The form as sent: every field as text, kept to show it back."""

    id: str = ""
    title: str = ""
    text: str = ""
    language: str = "en"
    deadline: str = ""
    everyone: bool = False
    fields: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    countries: str = ""
    cities: str = ""
    questions: list[QuestionRow] = field(default_factory=lambda: [QuestionRow()])

    @classmethod
    def read(cls, form: MultiDictProxy[str | bytes | bytearray | web.FileField]) -> Written:
        def text(name: str) -> str:
            value = form.get(name, "")
            return value.strip() if isinstance(value, str) else ""

        count = min(int(text("questions")) if text("questions").isdigit() else 0, MAX_QUESTIONS)
        return cls(
            id=text("id"),
            title=text("title"),
            text=text("text"),
            language=text("language") or "en",
            deadline=text("deadline"),
            everyone=text("everyone") == "yes",
            fields=[v for v in form.getall("fields", []) if isinstance(v, str)],
            regions=[v for v in form.getall("regions", []) if isinstance(v, str)],
            countries=text("countries"),
            cities=text("cities"),
            questions=[
                QuestionRow(text(f"prompt-{n}"), text(f"kind-{n}") or "text", text(f"choices-{n}"))
                for n in range(count)
            ],
        )

    def audience(self) -> Audience:
        def listed(value: str) -> list[str]:
            return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]

        return Audience.model_validate(
            {
                "everyone": self.everyone,
                "fields": self.fields,
                "regions": self.regions,
                "countries": listed(self.countries),
                "cities": listed(self.cities),
            }
        )


@dataclass
class Checked:
    """What the written call would do, or what is wrong with it (by field; '' for the whole)."""

    call: Call | None = None
    problems: dict[str, list[str]] = field(default_factory=dict)
    cities: int = 0
    rooms: int = 0
    unreached: list[str] = field(default_factory=list)
    local_times: list[tuple[str, int, str]] = field(default_factory=list)
    """(time zone, how many of the audience's cities, the deadline there), most cities first."""
    preview: str = ""


def check(runtime: Runtime, written: Written, language: str) -> Checked:
    found = Checked()

    def problem(where: str, text: str) -> None:
        found.problems.setdefault(where, []).append(text)

    try:
        deadline: datetime | None = read_deadline(written.deadline or " ")
    except UccnError as error:
        problem("deadline", error.said(language))
        deadline = None
    try:
        audience: Audience | None = written.audience()
    except ValidationError as error:
        audience = None
        problem("audience", NotValid(error).said(language))
    questions = [
        {
            "id": f"q{n}",
            "prompt": row.prompt,
            "kind": row.kind if row.kind in KINDS else "text",
            **({"choices": _split(row.choices)} if row.kind == "choice" else {}),
        }
        for n, row in enumerate(written.questions, 1)
        if row.prompt
    ]
    data = {
        "id": written.id,
        "title": written.title,
        "text": written.text,
        "language": written.language,
        "questions": questions,
        "audience": audience or Audience(everyone=True),
        "deadline": deadline or runtime.clock(),
    }
    try:
        call = Call.draft(data, now=runtime.clock()) if deadline else Call.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            where = str(item["loc"][0]) if item["loc"] else ""
            if where == "questions" and len(item["loc"]) > 1:
                where = f"question-{int(item['loc'][1]) + 1}"
            problem(where, describe_items([item], language))
        return found
    except Invalid as error:  # a deadline that has passed
        problem("deadline", error.said(language))
        return found
    if deadline is None or audience is None:
        return found
    with runtime.store.begin() as tx:
        if wrong := misnamed(tx, call.audience):
            problem("audience", wrong.said(language))
            return found
        cities = audience_cities(tx, call.audience)
    targets, unreached = rooms_for(runtime.config, cities)
    zones = Counter(c.timezone or "UTC" for c in cities)
    found.call = call
    found.cities, found.rooms, found.unreached = len(cities), len(targets), unreached
    found.local_times = [
        (zone, count, call.deadline.astimezone(ZoneInfo(zone)).strftime("%a %Y-%m-%d %H:%M"))
        for zone, count in zones.most_common(SHOWN_ZONES)
    ]
    found.preview = call_post(
        call.language,
        call_id=call.id,
        title=call.title,
        text=call.text,
        questions=call.questions,
        deadline=call.deadline,
        zone=zones.most_common(1)[0][0] if zones else None,
    )
    try:
        Calls.of(runtime).check_fits(call)
    except UccnError as error:
        problem("", error.said(language))
    return found


def _split(choices: str) -> list[str]:
    return [choice.strip() for choice in choices.split("|") if choice.strip()]


def _choices(runtime: Runtime) -> dict[str, list[tuple[str, str]]]:
    fields = sorted(runtime.plugins.fields(), key=lambda f: f.slug)
    return {
        "fields": [(f.slug, f.slug) for f in fields],
        "regions": [(r.value, r.label) for r in Region],
        "languages": [(code, code) for code in languages()],
    }


@secretariat_only
async def new_call_form(request: web.Request) -> web.Response:
    who = viewer(request)
    runtime = request.app[RUNTIME]
    written = Written(language=runtime.config.language)
    return _shown(request, who, written, Checked(), status=200)


@secretariat_only
async def new_call(request: web.Request) -> web.StreamResponse:
    who = viewer(request)
    runtime = request.app[RUNTIME]
    form = await request.post()
    written = Written.read(form)
    action = str(form.get("do", "check"))
    if action == "add" and len(written.questions) < MAX_QUESTIONS:
        written.questions.append(QuestionRow())
        return _shown(request, who, written, Checked(), status=200)
    if action.startswith("remove-") and action[7:].isdigit():
        index = int(action[7:])
        written.questions = [q for n, q in enumerate(written.questions) if n != index]
        return _shown(request, who, written, Checked(), status=200)
    checked = await asyncio.to_thread(check, runtime, written, who.language)
    if action not in ("save", "open") or checked.problems or checked.call is None:
        return _shown(request, who, written, checked, status=400 if checked.problems else 200)
    call = checked.call
    try:
        await asyncio.to_thread(_keep, runtime, who, call, action == "open")
    except UccnError as error:
        checked.problems.setdefault("", []).append(error.said(who.language))
        return _shown(request, who, written, checked, status=409)
    raise web.HTTPSeeOther(f"/calls/{call.id}")


def _keep(runtime: Runtime, who: Viewer, call: Call, opening: bool) -> None:
    calls = Calls.of(runtime)
    calls.create(call)
    with runtime.store.begin() as tx:
        tx.audit.record(runtime.clock(), who.sender, "call new", call.id, "web console")
    if opening:
        calls.open(call.id)
        with runtime.store.begin() as tx:
            tx.audit.record(runtime.clock(), who.sender, "call open", call.id, "web console")


def _shown(
    request: web.Request, who: Viewer, written: Written, checked: Checked, *, status: int
) -> web.Response:
    return page(
        request,
        "new_call.html",
        status=status,
        written=written,
        checked=checked,
        choices=_choices(request.app[RUNTIME]),
        kinds=KINDS,
        syntax=DEADLINE_SYNTAX,
    )
