"""Block Kit: a call as a card with a reply button, and its questions as a modal.

Slack's limits are applied here (50 blocks in a message, a header of 150 characters, a
section of 3,000, a modal title of 24, an input label of 2,000, an option of 75). A call is
checked against them when it is written (:func:`refusal`), so what is posted is never cut.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from uccn_sdk.chat.events import CallCard, OutboundMessage
from uccn_sdk.chat.forms import Form
from uccn_sdk.chat.safety import neutralise
from uccn_sdk.models import Question

REPLY_ACTION = "uccn_reply"
"""The action id of a call's reply button, and the callback id of its modal."""
FREE_ANSWER = "q0"
"""The block id of the one field of a call without questions."""
SECTION_LIMIT = 3000
MAX_BLOCKS = 50
"""The most blocks Slack takes in one message."""
HEADER_LIMIT = 150
TEXT_LIMIT = 40_000
"""The most characters of a message's text Slack keeps."""
CARD_FRAME = 3
"""The blocks of a card besides its text and questions: the header, the deadline, the button."""


def escape(text: str) -> str:
    """`text` as Slack shows it literally: no links, no mentions, no `<!channel>`."""
    return neutralise(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": cut(text, limit) or "…", "emoji": True}


def _sections(text: str) -> list[dict[str, Any]]:
    """`text` escaped, in sections of at most 3,000 characters, cut at line ends."""
    chunks: list[str] = []
    chunk = ""
    for line in escape(text).splitlines(keepends=True):
        while len(line) > SECTION_LIMIT:
            chunks.append(line[:SECTION_LIMIT])
            line = line[SECTION_LIMIT:]
        if len(chunk) + len(line) > SECTION_LIMIT:
            chunks.append(chunk)
            chunk = ""
        chunk += line
    if chunk.strip():
        chunks.append(chunk)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": c}} for c in chunks]


def _body(card: CallCard) -> list[dict[str, Any]]:
    """The card's text and questions, in sections."""
    return _sections(card.text) + (_sections("\n".join(card.questions)) if card.questions else [])


def refusal(message: OutboundMessage) -> str | None:
    """Why Slack would not show `message` whole, or None. A card's text is only the
    notification's: the card's blocks show the post."""
    card = message.card
    if card is None:
        if len(text := escape(message.text)) > TEXT_LIMIT:
            return f"Slack keeps {TEXT_LIMIT:,} characters of a message; this has {len(text):,}"
        return None
    if len(card.title) > HEADER_LIMIT:
        return f"Slack shows {HEADER_LIMIT} characters of a title; this one has {len(card.title)}"
    if (needed := len(_body(card)) + CARD_FRAME) > MAX_BLOCKS:
        return (
            f"Slack shows {MAX_BLOCKS} blocks in a message and this call needs {needed} (a block "
            f"holds {SECTION_LIMIT:,} characters of its text or questions, and `&`, `<`, `>` "
            "count as several): shorten its text or questions"
        )
    return None


def card_blocks(card: CallCard) -> list[dict[str, Any]]:
    """A call: its title, text, questions, the deadline in each reader's own time, a button."""
    stamp = int(card.deadline.timestamp())
    fallback = card.deadline.strftime("%Y-%m-%d %H:%M UTC")
    body = _body(card)
    if len(body) > MAX_BLOCKS - CARD_FRAME:  # refused when written: only an older call
        body = [*body[: MAX_BLOCKS - CARD_FRAME - 1], *_sections("…")]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": _plain(card.title, HEADER_LIMIT)},
        *body,
    ]
    blocks += [
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    # Slack shows a <!date> in the reader's own time zone.
                    "text": f"*{escape(card.deadline_label)}:* "
                    f"<!date^{stamp}^{{date_long_pretty}} {{time}}|{fallback}>",
                },
                {"type": "mrkdwn", "text": cut(escape(card.hint), 3000)},
            ],
        },
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": REPLY_ACTION,
                    "text": _plain(card.reply_label, 75),
                    "value": card.call,
                    "style": "primary",
                }
            ],
        },
    ]
    return blocks


def _element(question: Question) -> dict[str, Any]:
    action = {"action_id": "answer"}
    if question.kind == "choice":
        return {
            **action,
            "type": "static_select",
            "options": [
                {"text": _plain(choice, 75), "value": choice} for choice in question.choices
            ],
        }
    if question.kind == "date":
        return {**action, "type": "datepicker"}
    if question.kind == "number":
        return {**action, "type": "number_input", "is_decimal_allowed": True}
    return {**action, "type": "plain_text_input", "multiline": True, "max_length": 3000}


def modal(form: Form, *, channel: str, ts: str) -> dict[str, Any]:
    """The modal for `form`, remembering the post it was opened from."""
    base: dict[str, Any] = {
        "type": "modal",
        "callback_id": REPLY_ACTION,
        "title": _plain(form.title, 24),
        "close": _plain(form.cancel_label, 24),
        "private_metadata": json.dumps({"call": form.call, "channel": channel, "ts": ts}),
    }
    if form.refusal:
        return {**base, "blocks": _sections(form.refusal)}
    if form.questions:
        inputs = [
            {
                "type": "input",
                "block_id": q.id,
                "optional": True,
                "label": _plain(f"{n}. {q.prompt}", 2000),
                "element": _element(q),
            }
            for n, q in enumerate(form.questions, 1)
        ]
    else:
        inputs = [
            {
                "type": "input",
                "block_id": FREE_ANSWER,
                "label": _plain(form.answer_label, 2000),
                "element": _element(Question(id=FREE_ANSWER, prompt="-")),
            }
        ]
    return {**base, "submit": _plain(form.submit_label, 24), "blocks": inputs}


def answers(state: Mapping[str, Any]) -> dict[str, str]:
    """The answers in a submitted modal's `view.state.values`, by question id."""
    found: dict[str, str] = {}
    for block_id, actions in (state.get("values") or {}).items():
        for value in actions.values():
            kind = value.get("type")
            if kind == "static_select":
                chosen = (value.get("selected_option") or {}).get("value")
            elif kind == "datepicker":
                chosen = value.get("selected_date")
            else:
                chosen = value.get("value")
            found[str(block_id)] = str(chosen or "")
    return found


def errors(problems: Mapping[str, str], form_blocks: list[str]) -> dict[str, str]:
    """Problems as Slack's `response_action: errors` wants them: by block id, at most
    150 characters each; a problem of the whole form goes on the first block."""
    shown: dict[str, str] = {}
    for block, problem in problems.items():
        target = block if block in form_blocks else (form_blocks[0] if form_blocks else "")
        if target:
            joined = f"{shown[target]}; {problem}" if target in shown else problem
            shown[target] = cut(joined, 150)
    return shown
