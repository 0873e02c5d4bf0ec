"""The network's eight creative fields."""

from __future__ import annotations

from uccn_sdk import CreativeField


def _field(slug: str, since: int, en: str, fr: str, es: str) -> CreativeField:
    return CreativeField(slug=slug, since=since, names={"en": en, "fr": fr, "es": es})


FIELDS = (
    _field("architecture", 2025, "Architecture", "Architecture", "Arquitectura"),
    _field(
        "crafts-folk-art",
        2005,
        "Crafts and Folk Art",
        "Artisanat et arts populaires",
        "Artesanía y artes populares",
    ),
    _field("design", 2005, "Design", "Design", "Diseño"),
    _field("film", 2009, "Film", "Cinéma", "Cine"),
    _field("gastronomy", 2005, "Gastronomy", "Gastronomie", "Gastronomía"),
    _field("literature", 2004, "Literature", "Littérature", "Literatura"),
    _field("media-arts", 2008, "Media Arts", "Arts numériques", "Artes digitales"),
    _field("music", 2006, "Music", "Musique", "Música"),
)
