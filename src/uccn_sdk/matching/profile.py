"""What scorers compare: a city, a project or a free text, reduced to the same few facts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from uccn_sdk.models import City, Party, Project


@dataclass(frozen=True)
class Profile:
    """A subject or a candidate of a match; facts a subject lacks are empty or None."""

    party: Party
    row: int | None = None
    """Its row among the network's cities, when it is a member city."""
    city: str | None = None
    """The city it stands for: the city itself, or a project's lead city."""
    fields: tuple[str, ...] = ()
    """Creative fields, the current one first."""
    sdgs: frozenset[int] = frozenset()
    text: str = ""
    languages: frozenset[str] = frozenset()
    timezone: str | None = None
    country: str | None = None
    region: str | None = None
    year: int | None = None
    """The year it was first designated."""
    partners: frozenset[str] = field(default_factory=frozenset)
    """Cities it already works with on a project."""

    @property
    def label(self) -> str:
        return self.party.label or self.party.ref


def of_city(city: City, projects: Iterable[Project] = (), row: int | None = None) -> Profile:
    """A city, with the goals, texts and partners of the projects it leads or joins."""
    sdgs = set(city.sdgs)
    texts = [city.description]
    partners: set[str] = set()
    for project in projects:
        members = {project.lead_city, *project.partners}
        if city.id not in members:
            continue
        sdgs.update(project.sdgs)
        partners.update(members - {city.id})
        if project.lead_city == city.id:
            texts.append(project.description)
    return Profile(
        party=Party(kind="city", ref=city.id, label=city.name),
        row=row,
        city=city.id,
        fields=tuple(reversed([d.field for d in city.designations])),
        sdgs=frozenset(sdgs),
        text="\n".join(t for t in texts if t),
        languages=frozenset(city.languages),
        timezone=city.timezone,
        country=city.country,
        region=city.region.value if city.region else None,
        year=city.year,
        partners=frozenset(partners),
    )


def of_project(project: Project, lead: City) -> Profile:
    """A project: its own fields, goals and words, and its lead city's place and languages."""
    text = "\n".join(
        t for t in (project.title, project.description, project.looking_for, *project.themes) if t
    )
    return Profile(
        party=Party(kind="project", ref=project.id, label=project.title),
        city=lead.id,
        fields=tuple(project.fields) or tuple(reversed([d.field for d in lead.designations])),
        sdgs=frozenset(project.sdgs),
        text=text,
        languages=frozenset(lead.languages),
        timezone=lead.timezone,
        country=lead.country,
        region=lead.region.value if lead.region else None,
        year=lead.year,
        partners=frozenset(project.partners),
    )


def of_text(text: str) -> Profile:
    """A free text: only what it says is known."""
    return Profile(party=Party(kind="text", ref=text[:1_000], label="your text"), text=text)
