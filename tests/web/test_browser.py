"""The console in a real headless Chromium (Debian's chromium and chromedriver, through
Selenium): signed in with the link the bot gave, a call answered from chat and from the web form,
the map showing both, the export link, the call closed with the keyboard alone; every page
passes axe-core's accessibility rules with no serious or critical violation, and a screenshot
of each is kept in the test's folder. CI installs Chromium and sets UCCN_REQUIRE_BROWSER=1:
there the test fails, not skips, when the browser does not start."""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from uccn_web.app import application

from uccn_sdk.models import Audience, Call, CallState, Question
from uccn_sdk.testing import TestBot

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
REQUIRE_BROWSER = os.environ.get("UCCN_REQUIRE_BROWSER") == "1"


@pytest.fixture
def browser() -> Iterator[Any]:
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        if chromium is None or driver is None:
            raise RuntimeError("chromium and chromedriver are not installed")
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
            options.add_argument(flag)
        options.add_argument("--window-size=1280,1000")
        chrome = webdriver.Chrome(options=options, service=Service(driver))
    except Exception as error:  # no browser here: CI installs one and requires it
        message = f"no headless Chromium: {error}"
        if REQUIRE_BROWSER:
            pytest.fail(message + " (UCCN_REQUIRE_BROWSER=1: CI needs this test)")
        pytest.skip(message)
    try:
        yield chrome
    finally:
        chrome.quit()


class Served:
    """The console on a loopback port, in a thread with its own event loop."""

    def __init__(self, app: web.Application) -> None:
        self.loop = asyncio.new_event_loop()
        self.runner = web.AppRunner(app)
        self.loop.run_until_complete(self.runner.setup())
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.port = self.runner.addresses[0][1]
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture
def served(uccn_bot: TestBot) -> Iterator[Served]:
    server = Served(application(uccn_bot.bot.runtime))
    yield server
    server.stop()


def accessible(chrome: Any, shot: Path) -> None:
    """axe-core's rules on the page: no serious or critical violation; a screenshot kept."""
    chrome.save_screenshot(str(shot))
    chrome.execute_script(AXE)
    violations = chrome.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(r.violations.map("
        "v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))));"
    )
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], f"{chrome.current_url}: {serious}"


def link_for(bot: TestBot, user: str, port: int) -> str:
    said = bot.say(user, "web", direct=True)
    (link,) = [word for text in said for word in text.split() if "/signin/" in word]
    # The links name the configured address; this server's port is the test's own.
    return f"http://127.0.0.1:{port}/signin/" + link.rsplit("/signin/", 1)[1]


SHOTS = os.environ.get("UCCN_SCREENSHOTS")
"""Where to keep the screenshots beyond the test (the README's comes from there); else the
test's own folder."""


def test_a_call_followed_answered_and_closed_in_a_real_browser(
    browser: Any, served: Served, uccn_bot: TestBot, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    shots = Path(SHOTS) if SHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    network = uccn_bot.network
    network.calls.create(
        Call.draft(
            {
                "id": "survey",
                "title": "Annual survey",
                "text": "Tell us about your year.",
                "questions": [Question(id="q1", prompt="How many events?", kind="number")],
                "audience": Audience(everyone=True),
                "deadline": network.now + timedelta(days=10),
            }
        )
    )
    network.calls.open("survey")
    uccn_bot.flush()
    uccn_bot.say("@lyon", "reply survey 1. 12", direct=True)  # from chat
    base = f"http://127.0.0.1:{served.port}"

    # A focal point of Bologna answers on the web form.
    browser.get(link_for(uccn_bot, "@bologna", served.port))
    accessible(browser, shots / "signin.png")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda page: page.current_url == f"{base}/")  # signed in
    browser.get(f"{base}/calls/survey/answer")
    accessible(browser, shots / "answer.png")
    browser.find_element(By.ID, "q1").send_keys("7")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()

    def answered(_: Any) -> bool:
        with network.store.begin() as tx:
            reply = tx.replies.get("survey", "bologna")
        return reply is not None and reply.answers == {"q1": 7.0}

    WebDriverWait(browser, 10).until(answered)
    browser.delete_all_cookies()

    # The Secretariat sees both on the map, and closes the call with the keyboard.
    browser.get(link_for(uccn_bot, "@secretariat", served.port))
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda page: page.current_url == f"{base}/")
    accessible(browser, shots / "calls.png")
    browser.find_element(By.LINK_TEXT, "Annual survey").click()
    accessible(browser, shots / "call.png")
    answered = browser.find_elements(By.CSS_SELECTOR, "g.dots circle.answered")
    assert len(answered) == 2
    export = browser.find_element(By.CSS_SELECTOR, "a[href='/calls/survey/export/csv']")
    assert export.get_attribute("download") is not None
    browser.get(f"{base}/calls/new")
    accessible(browser, shots / "new-call.png")
    browser.get(f"{base}/calls/survey")
    focused = browser.switch_to.active_element
    for _ in range(40):  # Tab through the page to the button, as a keyboard user does
        focused.send_keys(Keys.TAB)
        focused = browser.switch_to.active_element
        if focused.text == "Close the call":
            break
    assert focused.text == "Close the call"
    focused.send_keys(Keys.ENTER)

    def closed(_: Any) -> bool:  # the form's post is on its way when Enter returns
        with network.store.begin() as tx:
            return tx.calls.require("survey").state is CallState.CLOSED

    WebDriverWait(browser, 10).until(closed)
    browser.get(f"{base}/audit")
    accessible(browser, shots / "audit.png")
    assert "call close" in browser.page_source
    browser.get(f"{base}/announcements")
    accessible(browser, shots / "announcements.png")
    browser.get(f"{base}/announcements/new")
    for name, value in (("id", "day"), ("text", "Hello"), ("when", "fri 10:00 local")):
        browser.find_element(By.ID, name).send_keys(value)
    browser.find_element(By.ID, "audience").send_keys("everyone")
    browser.find_element(By.CSS_SELECTOR, "button[value=preview]").click()
    WebDriverWait(browser, 10).until(
        lambda page: page.find_elements(By.CSS_SELECTOR, "svg.timeline")
    )
    accessible(browser, shots / "new-announcement.png")
    browser.get(f"{base}/rounds")
    accessible(browser, shots / "rounds.png")
    browser.get(f"{base}/cities")
    accessible(browser, shots / "cities.png")
    browser.find_element(By.LINK_TEXT, "Lyon").click()
    accessible(browser, shots / "city.png")
