"""The network as the matching engine sees it: every city's profile, and who met whom."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from uccn_sdk.config import MatchingSettings
from uccn_sdk.matching.profile import Profile, of_city
from uccn_sdk.messages import spoken
from uccn_sdk.models import City, CreativeField, Project
from uccn_sdk.store import Store


@dataclass
class Network:
    """The candidates of every match, in a fixed order: row `i` is `cities[i]`."""

    cities: list[City]
    profiles: list[Profile]
    rows: dict[str, int]
    projects: list[Project] = field(default_factory=list)
    paired: dict[frozenset[str], int] = field(default_factory=dict)
    """How many earlier rounds paired each two cities."""
    met: frozenset[frozenset[str]] = frozenset()
    """Pairs that said they met after a round's introduction."""
    opted_out: frozenset[str] = frozenset()
    fields: dict[str, CreativeField] = field(default_factory=dict)
    """The fields by slug, for their names in explanations."""
    settings: MatchingSettings = field(default_factory=MatchingSettings)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    @classmethod
    def of(
        cls,
        cities: Sequence[City],
        projects: Sequence[Project] = (),
        *,
        paired: dict[frozenset[str], int] | None = None,
        met: frozenset[frozenset[str]] = frozenset(),
        opted_out: frozenset[str] = frozenset(),
        fields: Iterable[CreativeField] = (),
        settings: MatchingSettings | None = None,
        now: datetime | None = None,
    ) -> Network:
        ordered = sorted(cities, key=lambda c: c.id)
        by_city: dict[str, list[Project]] = {}
        for project in projects:
            for member in {project.lead_city, *project.partners}:
                by_city.setdefault(member, []).append(project)
        return cls(
            cities=ordered,
            profiles=[of_city(c, by_city.get(c.id, ()), row) for row, c in enumerate(ordered)],
            rows={c.id: row for row, c in enumerate(ordered)},
            projects=list(projects),
            paired=paired or {},
            met=met,
            opted_out=opted_out,
            fields={f.slug: f for f in fields},
            settings=settings or MatchingSettings(),
            now=now or datetime.now(UTC),
        )

    @classmethod
    def load(
        cls,
        store: Store,
        *,
        fields: Iterable[CreativeField] = (),
        settings: MatchingSettings | None = None,
    ) -> Network:
        with store.begin() as tx:
            cities = tx.cities.all()
            projects = tx.projects.all()
            paired = tx.matches.paired_cities()
            met = frozenset(
                frozenset((a, b))
                for past in tx.rounds.all()
                for group in past.groups
                if group.met
                for a in group.cities
                for b in group.cities
                if a < b
            )
            opted_out = frozenset(tx.optouts.cities())
        return cls.of(
            cities,
            projects,
            paired=paired,
            met=met,
            opted_out=opted_out,
            fields=fields,
            settings=settings,
        )

    def __len__(self) -> int:
        return len(self.cities)

    def field_name(self, slug: str) -> str:
        """A field's name in the :func:`~uccn_sdk.messages.spoken` language: 'Gastronomy'."""
        known = self.fields.get(slug)
        return known.name(spoken()) if known else slug.replace("-", " ").title()
