"""The directory as a plugin: city exports in the forms `uccn cities import` reads back."""

from __future__ import annotations

from collections.abc import Callable

from uccn_sdk.contracts import Exporter


def uccn_register_exporters(register: Callable[[Exporter], None]) -> None:
    from uccn_sdk.directory.exporters import CityCsvExporter, CityJsonExporter

    register(CityCsvExporter())
    register(CityJsonExporter())
