"""When a call closes, send its summary to a webhook (a team chat, a dashboard, a form).

Set UCCN_WEBHOOK_URL to an http(s) address; each closed call is POSTed there as JSON:
the call, the number of cities asked and answering, and each city's answers. Without the
variable the plugin does nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import urllib.request
from urllib.parse import urlsplit

log = logging.getLogger("uccn.webhook")
TIMEOUT = 10.0


def summary(call, replies):
    """The JSON document sent for a closed call."""
    return {
        "call": call.id,
        "title": call.title,
        "deadline": call.deadline.isoformat(),
        "replies": len(replies),
        "answers": {reply.city: reply.answers for reply in replies},
    }


async def send(url, document):
    body = json.dumps(document, ensure_ascii=False, default=str).encode()
    request = urllib.request.Request(
        url, body, {"Content-Type": "application/json", "User-Agent": "uccn-webhook"}
    )
    # urllib blocks: run it off the bot's event loop.
    with await asyncio.to_thread(urllib.request.urlopen, request, timeout=TIMEOUT) as response:
        log.info("sent the summary of %s to the webhook: %s", document["call"], response.status)


def uccn_call_closed(call, replies):
    url = os.environ.get("UCCN_WEBHOOK_URL", "")
    if not url:
        return None
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"UCCN_WEBHOOK_URL must be an http(s) address, not {url!r}")
    return send(url, summary(call, replies))  # an awaitable: uccn awaits it
