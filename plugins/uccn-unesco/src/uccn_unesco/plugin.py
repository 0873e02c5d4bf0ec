"""Hook implementations: the fields and the directory."""

from __future__ import annotations

from collections.abc import Callable

from uccn_sdk.contracts import CitySource
from uccn_sdk.models import CreativeField
from uccn_unesco.directory import UnescoDirectory
from uccn_unesco.fields import FIELDS


def uccn_register_fields(register: Callable[[CreativeField], None]) -> None:
    for field in FIELDS:
        register(field)


def uccn_register_city_sources(register: Callable[[CitySource], None]) -> None:
    register(UnescoDirectory())
