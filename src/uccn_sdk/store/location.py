"""Where the database is: an explicit URL, UCCN_DATABASE_URL, or a SQLite file."""

from __future__ import annotations

import os
from pathlib import Path

URL_ENV = "UCCN_DATABASE_URL"
HOME_ENV = "UCCN_HOME"


def data_dir() -> Path:
    """The folder for the default database: UCCN_HOME, else the user's data folder."""
    home = os.environ.get(HOME_ENV)
    if home:
        return Path(home)
    from platformdirs import user_data_dir

    return Path(user_data_dir("uccn", appauthor=False))


def database_url(explicit: str | None = None) -> str:
    """The SQLAlchemy URL to use, with a driver named for PostgreSQL."""
    url = explicit or os.environ.get(URL_ENV) or f"sqlite:///{data_dir() / 'uccn.db'}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def display_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1]
