"""The city directory: loading sources, importing and exporting cities."""

from uccn_sdk.directory.reading import ImportFileError, RowError, read_cities
from uccn_sdk.directory.service import ImportReport, SourceLoad, import_cities, sync_sources

__all__ = [
    "ImportFileError",
    "ImportReport",
    "RowError",
    "SourceLoad",
    "import_cities",
    "read_cities",
    "sync_sources",
]
