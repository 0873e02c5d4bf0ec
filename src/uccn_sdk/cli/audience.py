"""The options that name an audience (everyone, fields, regions, countries, cities)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from uccn_sdk.cli.session import fail

if TYPE_CHECKING:
    from uccn_sdk.models import Audience

EVERYONE = typer.Option(False, "--everyone", help="Every member city.")
FIELD = typer.Option([], "--field", help="A field's sub-network; repeatable.")
REGION = typer.Option([], "--region", help="A UNESCO region; repeatable.")
COUNTRY = typer.Option([], "--country", help="A country code; repeatable.")
CITY = typer.Option([], "--city", help="A city id; repeatable.")


def audience(
    everyone: bool, field: list[str], region: list[str], country: list[str], city: list[str]
) -> Audience:
    """The audience the options name; a clear error when they name none or too much."""
    from pydantic import ValidationError

    from uccn_sdk.errors import describe_error
    from uccn_sdk.models import Audience

    try:
        return Audience(
            everyone=everyone,
            fields=field,
            regions=region,
            countries=country,
            cities=city,
        )
    except ValidationError as error:
        fail(f"the audience is not valid: {describe_error(error)}")
