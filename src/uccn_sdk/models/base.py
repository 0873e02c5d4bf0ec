"""The base every stored model shares."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """A strict, immutable record: unknown keys are an error, not silently dropped."""

    # defer_build: a validator is built on first use, so importing the models stays cheap.
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )
