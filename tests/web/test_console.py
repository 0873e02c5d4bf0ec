"""The web console over real HTTP on loopback (aiohttp's test server): signing in with the link
the bot gives, the calls and a call's page with its map, closing and exporting, and everything
that must be refused: a used, expired or forged link, a form without its CSRF token, a focal
point on another city's page or on the Secretariat's actions, hostile text."""

from __future__ import annotations

import os
import re
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer
from uccn_web.app import application

from uccn_sdk.chat.events import OutboundMessage
from uccn_sdk.models import Audience, Call, CallState, Question
from uccn_sdk.testing import TestBot

LINK = re.compile(r"https?://\S+/signin/(\S+)$")


def open_survey(bot: TestBot, title: str = "Annual survey") -> None:
    network = bot.network
    network.calls.create(
        Call.draft(
            {
                "id": "survey",
                "title": title,
                "text": "Tell us about your year.",
                "questions": [Question(id="q1", prompt="How many events?", kind="number")],
                "audience": Audience(everyone=True),
                "deadline": network.now + timedelta(days=10),
            }
        )
    )
    network.calls.open("survey")


@pytest_asyncio.fixture
async def console(uccn_bot: TestBot) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    async with TestClient(TestServer(application(uccn_bot.bot.runtime))) as client:
        yield client


async def link_for(bot: TestBot, user: str) -> str:
    said = await bot.say_async(user, "web", direct=True)
    (found,) = [link for text in said if (link := LINK.search(text))]
    return found.group(1)


async def sign_in(client: TestClient, bot: TestBot, user: str) -> str:  # type: ignore[type-arg]
    token = await link_for(bot, user)
    shown = await client.get(f"/signin/{token}")
    assert shown.status == 200 and "Sign in" in await shown.text()  # a button, not yet used
    signed = await client.post(f"/signin/{token}", allow_redirects=False)
    assert signed.status == 303
    cookie = signed.cookies["uccn_session"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    return token


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


@pytest.mark.asyncio
async def test_the_secretariat_signs_in_sees_the_map_closes_and_exports(
    console: TestClient,
    uccn_bot: TestBot,  # type: ignore[type-arg]
) -> None:
    open_survey(uccn_bot)
    await uccn_bot.bot.flush()
    await uccn_bot.say_async("@lyon", "reply survey 1. 12", direct=True)
    await sign_in(console, uccn_bot, "@secretariat")
    listed = await (await console.get("/")).text()
    assert "Annual survey" in listed and "1 of 5" in listed
    response = await console.get("/calls/survey")
    page = await response.text()
    for header in ("Content-Security-Policy", "X-Frame-Options", "Referrer-Policy"):
        assert header in response.headers
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    svg = page[page.index("<svg") : page.index("</svg>") + 6]
    svg_ns = "{http://www.w3.org/2000/svg}"
    (dots,) = [
        g for g in ElementTree.fromstring(svg).iter(f"{svg_ns}g") if g.get("class") == "dots"
    ]
    states = [c.get("class") for c in dots.iter(f"{svg_ns}circle")]  # not the legend's
    assert states.count("dot answered") == 1 and states.count("dot waiting") == 4
    assert "<td>12.0</td>" not in page and "12" in page  # Lyon's answer in its row
    filtered = await (await console.get("/calls/survey?state=answered")).text()
    assert "The cities asked, 1 shown" in filtered
    exported = await console.get("/calls/survey/export/csv")
    assert exported.status == 200 and exported.headers["Content-Type"].startswith("text/csv")
    assert "lyon" in await exported.text()
    refused = await console.post("/calls/survey/close", data={})
    assert refused.status == 403  # no CSRF token: nothing closed
    with uccn_bot.network.store.begin() as tx:
        assert tx.calls.require("survey").state is CallState.OPEN
    closed = await console.post("/calls/survey/close", data={"csrf": csrf_of(page)})
    assert closed.status == 200 and "closed" in await closed.text()  # the call page again
    with uccn_bot.network.store.begin() as tx:
        assert tx.calls.require("survey").state is CallState.CLOSED


@pytest.mark.asyncio
async def test_a_link_works_once_and_briefly_and_only_in_a_direct_chat(
    console: TestClient,
    uccn_bot: TestBot,  # type: ignore[type-arg]
) -> None:
    token = await sign_in(console, uccn_bot, "@secretariat")
    console.session.cookie_jar.clear()
    again = await console.post(f"/signin/{token}", allow_redirects=False)
    assert again.status == 400 and "used already, or has expired" in await again.text()
    forged = await console.post("/signin/not-a-token", allow_redirects=False)
    assert forged.status == 400
    late = await link_for(uccn_bot, "@secretariat")
    uccn_bot.network.now += timedelta(minutes=11)
    expired = await console.post(f"/signin/{late}", allow_redirects=False)
    assert expired.status == 400
    assert (await console.get("/")).status == 401  # signed in nowhere
    (in_room,) = await uccn_bot.say_async("@secretariat", "!uccn web")
    assert "write “web” to me in a direct chat" in in_room and "/signin/" not in in_room
    (stranger,) = await uccn_bot.say_async("@nobody", "web", direct=True)
    assert "/signin/" not in stranger


@pytest.mark.asyncio
async def test_a_focal_point_sees_their_own_city_only_and_no_secretariat_action(
    console: TestClient,
    uccn_bot: TestBot,  # type: ignore[type-arg]
) -> None:
    open_survey(uccn_bot)
    await sign_in(console, uccn_bot, "@lyon")
    listed = await (await console.get("/")).text()
    assert '<html lang="fr">' in listed and "Appels à contributions" in listed  # Lyon's language
    page = await (await console.get("/calls/survey")).text()
    assert page.count("<tr class=") == 1 and "Lyon" in page
    assert "/close" not in page and "/export/" not in page
    assert (await console.get("/calls/survey/export/csv")).status == 403
    refused = await console.post("/calls/survey/close", data={"csrf": csrf_of(page)})
    assert refused.status == 403
    assert (await console.get("/calls/nope")).status == 404


@pytest.mark.asyncio
async def test_hostile_text_is_shown_as_text(
    console: TestClient,
    uccn_bot: TestBot,  # type: ignore[type-arg]
) -> None:
    hostile = '<script>alert(1)</script> @room "x" & y'
    network = uccn_bot.network
    with network.store.begin() as tx:
        lyon = tx.cities.require("lyon")
        tx.cities.put(
            lyon.model_copy(
                update={"name": hostile, "description": "javascript:alert(1) " + hostile}
            )
        )
    open_survey(uccn_bot, title=hostile)
    await uccn_bot.bot.flush()
    await uccn_bot.say_async("@lyon", "reply survey 1. 3", direct=True)
    from uccn_sdk.announcements.service import Announcements
    from uccn_sdk.models import Announcement, Once

    Announcements(network.store, network.config, lambda: network.now).schedule(
        Announcement(
            id="hostile",
            text=hostile,
            audience=Audience(cities=["lyon"]),
            schedule=Once(at=network.now + timedelta(days=1)),
        )
    )
    await sign_in(console, uccn_bot, "@secretariat")
    pages = ["/", "/calls/survey", "/calls/survey/cities/lyon", "/cities", "/cities/lyon"]
    for path in [*pages, "/announcements/hostile", "/audit"]:
        page = await (await console.get(path)).text()
        assert "<script>" not in page, path
        assert 'href="javascript:' not in page, path
        if path != "/audit":
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path


def test_uccn_web_serves_the_console_on_loopback(tmp_path: Path) -> None:
    import socket
    import subprocess
    import sys
    import urllib.error
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    uccn = Path(sys.executable).parent / "uccn"
    server = subprocess.Popen(
        [
            str(uccn),
            "--database-url",
            f"sqlite:///{tmp_path / 'web.db'}",
            "web",
            "--port",
            str(port),
        ],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "UCCN_HOME": str(tmp_path)},
    )
    try:
        assert server.stderr is not None
        said = ""
        while "listens" not in said:
            said = server.stderr.readline()
            assert said, "uccn web ended before listening"
        assert f"http://127.0.0.1:{port}" in said
        answer = None
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/")
            except urllib.error.HTTPError as error:  # 401: the sign-in page
                answer = (error.code, error.read().decode())
                break
            except urllib.error.URLError:
                time.sleep(0.1)
        assert answer is not None, "the console never answered"
        assert answer[0] == 401 and "You are not signed in" in answer[1]
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_bot_serves_the_console_and_gives_the_link_that_opens_it(tmp_path: Path) -> None:
    """As the README tells it: `web` to the bot (here the console connector, where one types as
    the Secretariat), the link it answers, the console signed in."""
    import http.cookiejar
    import subprocess
    import sys
    import urllib.request

    from tests.processes import free_port

    port = free_port()
    config = tmp_path / "uccn.toml"
    config.write_text(f'[web]\nurl = "http://127.0.0.1:{port}"\nport = {port}\n')
    config.chmod(0o600)
    uccn = Path(sys.executable).parent / "uccn"
    bot = subprocess.Popen(
        [
            *(str(uccn), "--database-url", f"sqlite:///{tmp_path / 'bot.db'}"),
            *("--config", str(config), "bot", "run", "-p", "console"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "UCCN_HOME": str(tmp_path)},
    )
    try:
        assert bot.stdin is not None and bot.stdout is not None
        bot.stdin.write("web\n")
        bot.stdin.flush()
        link = None
        while link is None:
            line = bot.stdout.readline()
            assert line, "the bot ended without giving a link"
            found = LINK.search(line.strip())
            link = found.group(0) if found else None
        assert link.startswith(f"http://127.0.0.1:{port}/signin/")
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        signed = browser.open(urllib.request.Request(link, data=b"", method="POST"), timeout=10)
        assert signed.status == 200  # the calls, after the redirect, with the session cookie
        assert "Calls for contributions" in signed.read().decode()
        # The same port answers the health and metrics endpoints, signed in or not.
        from tests.processes import scrape

        assert scrape(port, "healthz") == (200, "ok\n")
        for _ in range(100):  # ready once the bot is (it may still be starting its scheduler)
            if scrape(port, "readyz")[0] == 200:
                break
            time.sleep(0.1)
        assert scrape(port, "readyz")[0] == 200, scrape(port, "readyz")[1]
        assert 'uccn_connector_up{platform="console"} 1.0' in scrape(port, "metrics")[1]
    finally:
        bot.terminate()
        bot.wait(timeout=30)


@pytest.mark.asyncio
async def test_a_citys_answer_page_shows_its_history_to_whom_may_read_it(
    console: TestClient,  # type: ignore[type-arg]
    uccn_bot: TestBot,
) -> None:
    open_survey(uccn_bot)
    await uccn_bot.bot.flush()
    await uccn_bot.say_async("@lyon", "reply survey 1. 12", direct=True)
    await uccn_bot.say_async("@lyon", "reply survey 1. 13", direct=True)  # replaces it
    await sign_in(console, uccn_bot, "@lyon")
    call_page = await (await console.get("/calls/survey")).text()
    assert "/calls/survey/cities/lyon" in call_page
    own = await console.get("/calls/survey/cities/lyon")
    text = await own.text()
    assert own.status == 200 and "13" in text and "1. 12" in text  # the answer, then before
    assert (await console.get("/calls/survey/cities/bologna")).status == 404  # not theirs


@pytest.mark.asyncio
async def test_a_focal_point_answers_on_the_web_as_in_a_form_and_the_thread_is_told(
    console: TestClient,  # type: ignore[type-arg]
    uccn_bot: TestBot,
) -> None:
    open_survey(uccn_bot)
    await uccn_bot.bot.flush()
    post = uccn_bot.last_post("#lyon")
    await sign_in(console, uccn_bot, "@lyon")
    form = await (await console.get("/calls/survey/answer")).text()
    assert 'name="q1"' in form
    csrf = csrf_of(form)
    bad = await console.post("/calls/survey/answer", data={"csrf": csrf, "q1": "many"})
    shown = await bad.text()
    assert bad.status == 400
    assert 'id="problem-q1"' in shown and "many" in shown  # beside its field
    with uccn_bot.network.store.begin() as tx:
        assert tx.replies.get("survey", "lyon") is None  # nothing stored
    good = await console.post("/calls/survey/answer", data={"csrf": csrf, "q1": "12"})
    assert good.status == 200 and "/calls/survey" in str(good.url)
    with uccn_bot.network.store.begin() as tx:
        stored = tx.replies.get("survey", "lyon")
    assert stored is not None and stored.answers == {"q1": 12.0} and stored.verified
    sent = await uccn_bot.bot.flush()
    assert sent >= 1
    (told,) = [m for m in uccn_bot.sent if isinstance(m, OutboundMessage) and m.thread_root == post]
    assert told.room == "#lyon"  # acknowledged in the call's thread, as a form is
    again = await (await console.get("/calls/survey/answer")).text()
    assert 'value="12"' in again  # the current answer, to change
    assert (await console.post("/calls/survey/answer", data={"q1": "3"})).status == 403


@pytest.mark.asyncio
async def test_the_secretariat_has_no_answer_form(
    console: TestClient,  # type: ignore[type-arg]
    uccn_bot: TestBot,
) -> None:
    open_survey(uccn_bot)
    await sign_in(console, uccn_bot, "@secretariat")
    refused = await console.get("/calls/survey/answer")
    assert refused.status == 403 and "focal points answer" in await refused.text()


@pytest.mark.asyncio
async def test_the_secretariat_reminds_from_the_call_page(
    console: TestClient,  # type: ignore[type-arg]
    uccn_bot: TestBot,
) -> None:
    open_survey(uccn_bot)
    await uccn_bot.bot.flush()
    await uccn_bot.say_async("@lyon", "reply survey 1. 12", direct=True)
    await sign_in(console, uccn_bot, "@secretariat")
    page = await (await console.get("/calls/survey")).text()
    reminded = await console.post("/calls/survey/remind", data={"csrf": csrf_of(page)})
    shown = await reminded.text()
    assert reminded.status == 200 and "Reminders queued: 4" in shown
    before = len(uccn_bot.sent)
    await uccn_bot.bot.flush()
    rooms = {m.room for m in uccn_bot.sent[before:] if isinstance(m, OutboundMessage)}
    assert len(rooms) == 4 and "#lyon" not in rooms  # one reminder per city not answered
    assert shown.count('<tr class="reminded">') == 4  # and the map, from the same states


@pytest.mark.asyncio
async def test_the_secretariats_actions_are_kept_and_listed(
    console: TestClient,  # type: ignore[type-arg]
    uccn_bot: TestBot,
) -> None:
    open_survey(uccn_bot)
    await uccn_bot.bot.flush()
    await uccn_bot.say_async("@secretariat", "call remind survey", direct=True)  # in chat
    await uccn_bot.say_async("@lyon", "call list", direct=True)  # anyone's: not an action
    await sign_in(console, uccn_bot, "@secretariat")
    page = await (await console.get("/calls/survey")).text()
    await console.post("/calls/survey/close", data={"csrf": csrf_of(page)})  # on the web
    listed = await (await console.get("/audit")).text()
    rows = re.findall(r"<tr><td>[^<]+</td><td>([^<]+) <span", listed)
    actions = re.findall(r"</span></td><td>([^<]+)</td><td>([^<]*)</td>", listed)
    assert actions == [("call close", "survey"), ("call remind", "survey")]  # newest first
    assert rows == ["@secretariat", "@secretariat"]
    await sign_in(console, uccn_bot, "@lyon")
    assert (await console.get("/audit")).status == 403


@pytest.mark.asyncio
async def test_the_secretariat_writes_checks_and_opens_a_call_on_the_web(
    console: TestClient,  # type: ignore[type-arg]
    uccn_bot: TestBot,
) -> None:
    await sign_in(console, uccn_bot, "@secretariat")
    form = await (await console.get("/calls/new")).text()
    csrf = csrf_of(form)
    written = {
        "csrf": csrf,
        "id": "fair",
        "title": "Book fair",
        "text": "Who comes to the fair?",
        "language": "en",
        "questions": "1",
        "prompt-0": "Coming?",
        "kind-0": "choice",
        "choices-0": "yes | no",
        "cities": "lyon, bologna",
        "deadline": "2099-03-01T12:00+01:00",
    }
    more = await (await console.post("/calls/new", data={**written, "do": "add"})).text()
    assert 'name="prompt-1"' in more and 'value="Coming?"' in more  # kept, one more row
    bad = await console.post(
        "/calls/new",
        data={**written, "questions": "2", "prompt-1": "How many?", "kind-1": "number",
              "deadline": "2099-03-01T12:00", "cities": "lyon, atlantis", "do": "check"},
    )  # fmt: skip
    shown = await bad.text()
    assert bad.status == 400
    assert "give the time with its UTC offset" in shown  # beside the deadline
    checked = await console.post(
        "/calls/new", data={**written, "questions": "2", "prompt-1": "How many?",
                            "kind-1": "number", "do": "check"}
    )  # fmt: skip
    page = await checked.text()
    assert checked.status == 200
    assert "Cities asked: 2. Rooms that reach them: 2." in page
    assert "Europe/Paris" in page and "Sun 2099-03-01 12:00" in page  # Lyon's local deadline
    assert "📣 Book fair" in page and "1️⃣ yes" in page  # the post as chat shows it
    with uccn_bot.network.store.begin() as tx:
        assert tx.calls.get("fair") is None  # checking keeps nothing
    opened = await console.post(
        "/calls/new", data={**written, "questions": "2", "prompt-1": "How many?",
                            "kind-1": "number", "do": "open"}
    )  # fmt: skip
    assert opened.status == 200 and "/calls/fair" in str(opened.url)
    with uccn_bot.network.store.begin() as tx:
        call = tx.calls.require("fair")
    assert call.state is CallState.OPEN and [q.kind for q in call.questions] == ["choice", "number"]
    await uccn_bot.bot.flush()
    assert {m.room for m in uccn_bot.sent if isinstance(m, OutboundMessage)} >= {
        "#lyon",
        "#bologna",
    }


def test_the_demo_ends_on_the_web_console_signed_in_as_its_secretariat(tmp_path: Path) -> None:
    """`python3 dev.py demo --web`, the README's first command with the console after it."""
    import http.cookiejar
    import signal
    import subprocess
    import sys
    import urllib.request

    from tests.processes import free_port

    port = free_port()
    uccn = Path(sys.executable).parent / "uccn"
    demo = subprocess.Popen(
        [str(uccn), "bot", "demo", "--web", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "UCCN_HOME": str(tmp_path), "COLUMNS": "200"},
    )
    try:
        assert demo.stdout is not None
        link = None
        while link is None:
            line = demo.stdout.readline()
            assert line, "the demo ended without serving the console"
            found = LINK.search(line.strip().split(" to sign in")[0].removeprefix("Open "))
            link = found.group(0) if found else None
        assert link.startswith(f"http://127.0.0.1:{port}/signin/")
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        for _ in range(50):  # the console starts listening just after saying so
            try:
                signed = browser.open(urllib.request.Request(link, data=b"", method="POST"))
                break
            except OSError:
                time.sleep(0.2)
        page = signed.read().decode()
        assert "survey-2026" in page and "forum-2027" in page  # the demo's calls, closed
        demo.send_signal(signal.SIGINT)
        assert demo.wait(timeout=30) == 0
    finally:
        if demo.poll() is None:
            demo.kill()


@pytest.mark.asyncio
async def test_announcements_their_deliveries_as_they_are_and_pause_resume_cancel(
    console: TestClient,  # type: ignore[type-arg]
    uccn_bot: TestBot,
) -> None:
    from uccn_sdk.announcements.service import Announcements
    from uccn_sdk.models import Announcement, Once

    network = uccn_bot.network
    service = Announcements(network.store, network.config, lambda: network.now)
    at = network.now + timedelta(hours=1)
    service.schedule(
        Announcement(
            id="hello",
            text="Hello <b>all</b> @room",
            audience=Audience(cities=["lyon", "bologna"]),
            schedule=Once(at=at),
        )
    )
    await sign_in(console, uccn_bot, "@secretariat")
    listed = await (await console.get("/announcements")).text()
    assert "hello" in listed and "scheduled" in listed
    network.now = at + timedelta(seconds=1)
    assert service.fire("hello").queued == 2
    await uccn_bot.bot.flush()
    page = await (await console.get("/announcements/hello")).text()
    assert page.count('<tr class="sent">') == 2  # as they are now, not "queued"
    assert "Hello &lt;b&gt;all&lt;/b&gt;" in page
    service.schedule(
        Announcement(
            id="later",
            text="Later",
            audience=Audience(cities=["lyon"]),
            schedule=Once(at=network.now + timedelta(days=1)),
        )
    )
    later = await (await console.get("/announcements/later")).text()
    paused = await console.post("/announcements/later/pause", data={"csrf": csrf_of(later)})
    assert paused.status == 200 and "paused" in await paused.text()
    resumed = await console.post("/announcements/later/resume", data={"csrf": csrf_of(later)})
    assert "scheduled" in await resumed.text()
    await console.post("/announcements/later/cancel", data={"csrf": csrf_of(later)})
    assert service.get("later").announcement.state.value == "cancelled"
    audited = await (await console.get("/audit")).text()
    assert audited.count("announce ") == 3
    again = await console.post("/announcements/later/resume", data={"csrf": csrf_of(later)})
    assert again.status == 409 and "cancelled" in await again.text()
    assert (await console.get("/announcements/nope")).status == 404


@pytest.mark.asyncio
async def test_the_directory_searched_and_a_citys_facts_sources_and_peers(
    console: TestClient,  # type: ignore[type-arg]
    uccn_bot: TestBot,
) -> None:
    await sign_in(console, uccn_bot, "@bologna")
    listed = await (await console.get("/cities")).text()
    assert "5 cities; page 1 of 1" in listed
    searched = await (await console.get("/cities?q=bolo")).text()
    assert "1 city; page 1 of 1" in searched and "/cities/bologna" in searched
    page = await (await console.get("/cities/bologna")).text()
    assert "Bologna" in page and "Designations" in page
    assert "<h2>Peers worth meeting</h2>" in page and "<ol><li>" in page  # explained peers
    assert "@bologna" in page  # their own city: its focal points
    other = await (await console.get("/cities/lyon")).text()
    assert "@lyon" not in other  # another city's focal points are not shown to them
    assert (await console.get("/cities/atlantis")).status == 404


@pytest.mark.asyncio
async def test_a_new_announcement_previewed_as_who_gets_what_when_then_scheduled(
    console: TestClient,  # type: ignore[type-arg]
    uccn_bot: TestBot,
) -> None:
    await sign_in(console, uccn_bot, "@secretariat")
    form = await (await console.get("/announcements/new")).text()
    drafted = {
        "csrf": csrf_of(form),
        "id": "music-day",
        "text": "Happy Music Day <script>x</script>",
        "when": "sat 10:00 local",
        "audience": "city:lyon,city:bologna,city:chengdu",
        "skip-weekends": "yes",
    }
    refused = await console.post("/announcements/new", data={**drafted, "do": "preview"})
    assert refused.status == 400  # Saturday is a weekend in all three countries
    assert "is a weekend day in every target city" in await refused.text()
    drafted["when"] = "fri 10:00 local"
    shown = await console.post("/announcements/new", data={**drafted, "do": "preview"})
    page = await shown.text()
    assert (
        shown.status == 200 and '<svg xmlns="http://www.w3.org/2000/svg" class="timeline"' in page
    )
    assert page.count("<circle") == 3 and "#chengdu" in page  # one post per room
    assert page.count("<td>Fri ") == 3  # 10:00 on Friday in each room's own time zone
    assert "<script>" not in page
    scheduled = await console.post("/announcements/new", data={**drafted, "do": "schedule"})
    assert scheduled.status == 200 and "/announcements/music-day" in str(scheduled.url)
    assert "scheduled" in await scheduled.text()
    audited = await (await console.get("/audit")).text()
    assert "announce new" in audited


@pytest.mark.asyncio
async def test_a_round_tried_as_a_dry_run_then_recorded(
    console: TestClient,  # type: ignore[type-arg]
    uccn_bot: TestBot,
) -> None:
    await sign_in(console, uccn_bot, "@secretariat")
    page = await (await console.get("/rounds")).text()
    tried = {"csrf": csrf_of(page), "id": "r1", "audience": "everyone"}
    dry = await (await console.post("/rounds", data={**tried, "do": "try"})).text()
    assert "Round r1, as it would be" in dry and dry.count('<a href="/cities/') >= 4
    with uccn_bot.network.store.begin() as tx:
        assert tx.rounds.get("r1") is None  # a dry run keeps nothing
    recorded = await (await console.post("/rounds", data={**tried, "do": "record"})).text()
    assert "Round r1 is recorded" in recorded and "<td>r1 " in recorded
    again = await console.post("/rounds", data={**tried, "do": "record"})
    assert again.status == 400 and "exists already" in await again.text()
    assert "round new" in await (await console.get("/audit")).text()
