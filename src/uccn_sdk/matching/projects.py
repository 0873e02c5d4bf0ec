"""Projects cities lead and look for partners for: created from the CLI or chat."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from uccn_sdk.errors import NotValid, UccnError
from uccn_sdk.messages import N_
from uccn_sdk.models import Project
from uccn_sdk.plugins import Plugins
from uccn_sdk.store import Store


class ProjectError(UccnError):
    """A project that cannot be saved as given: the message says why."""


class Projects:
    def __init__(self, store: Store, fields: set[str] | None = None) -> None:
        self.store = store
        self.fields = fields
        """The known field slugs; None accepts any."""

    @classmethod
    def of(cls, store: Store, plugins: Plugins) -> Projects:
        """Projects checked against the fields the plugins provide."""
        return cls(store, {f.slug for f in plugins.fields()})

    def create(self, data: dict[str, Any]) -> Project:
        """Validate and save a new project; every city it names must exist."""
        try:
            project = Project.model_validate(data)
        except ValidationError as error:
            raise NotValid(error, whole=N_("the project")) from None
        if self.fields is not None:
            unknown = [f for f in project.fields if f not in self.fields]
            if unknown:
                raise ProjectError(
                    N_("unknown field “{field}”; known: {known}"),
                    field=unknown[0],
                    known=", ".join(sorted(self.fields)),
                )
        with self.store.begin() as tx:
            if tx.projects.get(project.id) is not None:
                raise ProjectError(
                    N_("a project “{project}” exists already; choose another id"),
                    project=project.id,
                )
            for city in (project.lead_city, *project.partners):
                if tx.cities.get(city) is None:
                    raise ProjectError(N_("there is no city “{city}”"), city=city)
            tx.projects.put(project)
        return project

    def listed(self, city: str | None = None) -> list[Project]:
        """Every project, or those `city` leads or joins."""
        with self.store.begin() as tx:
            found = tx.projects.all()
        if city is not None:
            city = city.strip().lower()  # ids are lowercase slugs: Lyon is lyon
            found = [p for p in found if city == p.lead_city or city in p.partners]
        return sorted(found, key=lambda p: p.id)

    def get(self, project_id: str) -> Project:
        with self.store.begin() as tx:
            project = tx.projects.get(project_id)
        if project is None:
            raise ProjectError(N_("there is no project “{project}”"), project=project_id)
        return project
