"""Text from chat is hostile: bound it, and never let it mention a whole room."""

from __future__ import annotations

import re

MAX_TEXT = 10_000
"""The longest reply the bot accepts, in characters."""
MAX_POST_BYTES = 60_000
"""The largest post the bot writes, as its text travels JSON-encoded (non-ASCII as \\u escapes,
as matrix-nio sends it): Matrix refuses an event over 64 KiB, envelope and signatures included."""


def post_size(text: str) -> int:
    """How many bytes `text` takes in a platform's JSON: what MAX_POST_BYTES bounds."""
    import json

    return len(json.dumps(text))


# @room (Matrix), @channel/@here/@everyone (Slack text), <!channel>-style Slack tokens.
_MASS_MENTION = re.compile(
    r"(?i)(<!(?:channel|here|everyone)(?:\|[^>]*)?>|@(?:room|channel|here|everyone)\b)"
)


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> str:
    """`text` as every store keeps it: without NUL characters (PostgreSQL refuses them in text
    and JSON) and with each lone surrogate, which is not text, as U+FFFD."""
    if _UNSTORABLE.search(text) is None:
        return text
    return _UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)


def neutralise(text: str) -> str:
    """`text` with every mass mention broken by a zero-width space, so nobody is pinged."""
    return _MASS_MENTION.sub(lambda m: m.group(0)[0] + "\u200b" + m.group(0)[1:], text)


def clip(text: str, limit: int = 300) -> str:
    """A short, safe excerpt of user text for a message that quotes it."""
    text = neutralise(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"
