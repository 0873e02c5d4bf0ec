"""How `uccn bot run` logs: text for a terminal, or JSON, one object a line, for a log collector
(python-json-logger), where a line about an event or a post has its platform, room, event id or
post key, and call or announcement as fields. uccn's own lines from INFO up by default, its
DEBUG lines with `-v`, and the libraries' (matrix-nio, slack-bolt, aiohttp, APScheduler…)
below WARNING only with `-vv`."""

from __future__ import annotations

import logging
import sys
from typing import Literal

from pythonjsonlogger.json import JsonFormatter

from uccn_sdk.runtime.context_log import AboutFilter

LogFormat = Literal["text", "json"]

TEXT = "%(asctime)s %(processName)s %(levelname)s %(name)s %(message)s"
JSON_FIELDS = "{asctime}{levelname}{name}{processName}{process}{message}"
RENAMED = {
    "asctime": "time",
    "levelname": "level",
    "name": "logger",
    "processName": "worker",
    "process": "pid",
}


def configure(verbosity: int, form: LogFormat) -> None:
    """Log to stderr in `form`; `verbosity` is how many `-v` were given."""
    handler = logging.StreamHandler(sys.stderr)
    if form == "json":
        handler.setFormatter(JsonFormatter(JSON_FIELDS, style="{", rename_fields=RENAMED))
    else:
        handler.setFormatter(logging.Formatter(TEXT))
    # Every line logged while an event is handled or a post sent says which (JSON fields).
    handler.addFilter(AboutFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbosity >= 2 else logging.WARNING)
    logging.getLogger("uccn").setLevel(logging.DEBUG if verbosity >= 1 else logging.INFO)
