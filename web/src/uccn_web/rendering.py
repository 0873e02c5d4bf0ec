"""Pages from Jinja2 templates, escaped by default, in the reader's language: a template says
``{{ _("Calls") }}`` and gets the catalogs the bot speaks from (English is the source)."""

from __future__ import annotations

from functools import partial
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from uccn_sdk.messages import translate

ENVIRONMENT = Environment(
    loader=PackageLoader("uccn_web"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(template: str, language: str, **values: Any) -> str:
    """The page `template` in `language`, with `values`; every value is escaped."""
    page = ENVIRONMENT.get_template(template)
    return page.render(_=partial(translate, language), language=language, **values)
