"""The schema revisions this code knows, without importing SQLAlchemy or Alembic."""

from __future__ import annotations

REVISIONS = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
    "0013",
)
"""Every migration this code knows, oldest first; the last is the head."""
HEAD = REVISIONS[-1]
