"""Words the announcements keep in English and say in their reader's language: why a delivery
is skipped, an announcement's state.

A :class:`Phrase` is an English message marked for translation with the values it fills in,
like a :class:`~uccn_sdk.errors.UccnError` that is not an error: ``str()`` is the English the
records and the command line keep, :meth:`Phrase.said` the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from uccn_sdk.messages import N_, translate
from uccn_sdk.models.announcement import AnnouncementState


@dataclass(frozen=True)
class Phrase:
    message: str
    """English, marked with N_; ``{names}`` are filled in from `values`."""
    values: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, message: str, **values: str) -> Phrase:
        return cls(message, tuple(values.items()))

    def __str__(self) -> str:
        return self.message.format(**dict(self.values))

    def said(self, language: str) -> str:
        return translate(language, self.message, **dict(self.values))


WEEKEND = Phrase(N_("weekend"))
UNKNOWN_ZONE = Phrase(N_("the city's time zone is unknown"))
HELD_TOGETHER = Phrase(
    N_("held by the quiet hours with a later occurrence, posted once at their end")
)


def holiday(name: str) -> Phrase:
    """A public holiday, by its name as the `holidays` package gives it (in English)."""
    return Phrase.of(N_("holiday: {name}"), name=name)


_STATES = {
    AnnouncementState.SCHEDULED: N_("scheduled"),
    AnnouncementState.PAUSED: N_("paused"),
    AnnouncementState.CANCELLED: N_("cancelled"),
    AnnouncementState.DONE: N_("done"),
}


def state(value: AnnouncementState) -> Phrase:
    """An announcement's state, as a word: ``str()`` is its value (``scheduled``)."""
    return Phrase(_STATES[value])
