"""The member cities shipped in data/cities.json."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from functools import cached_property
from importlib.resources import files

from uccn_sdk import City

_DATA = files("uccn_unesco") / "data" / "cities.json"


class UnescoDirectory:
    """The city source: loaded by the store once per version of the file."""

    name = "unesco"

    @cached_property
    def _raw(self) -> bytes:
        return _DATA.read_bytes()

    @property
    def version(self) -> str:
        return hashlib.sha256(self._raw).hexdigest()[:16]

    def load(self) -> Iterator[City]:
        for record in json.loads(self._raw)["cities"]:
            yield City.model_validate(record)
