"""Each city's name as a reader sorts it (accents and case after the letters), kept in a column
so that the directory pages through 100,000 cities in the database, in order.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from uccn_sdk.directory.collation import stored_key

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cities") as batch:
        batch.add_column(sa.Column("sort_key", sa.String(700), nullable=False, server_default=""))
    op.create_index("ix_cities_sort_key", "cities", ["sort_key"])
    cities = sa.table("cities", sa.column("id", sa.String), sa.column("name", sa.String),
                      sa.column("sort_key", sa.String))  # fmt: skip
    connection = op.get_bind()
    for row in connection.execute(sa.select(cities.c.id, cities.c.name)).all():
        connection.execute(
            cities.update().where(cities.c.id == row.id).values(sort_key=stored_key(row.name))
        )


def downgrade() -> None:
    op.drop_index("ix_cities_sort_key", "cities")
    with op.batch_alter_table("cities") as batch:
        batch.drop_column("sort_key")
