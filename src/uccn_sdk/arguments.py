"""A chat command's arguments, declared once: the usage line in the help and the parsing both
come from the declaration, so what the help shows is what the command reads.

```python
from uccn_sdk.arguments import option, word
from uccn_sdk.commands import command

@command("call status", N_("Who has answered a call."), word("id", "ID"), secretariat_only=True)
async def call_status(context, arguments):
    summary = Calls.of(context.runtime).summary(arguments["id"])
```

The first line of a command is read as shell words (quotes group, as on the command line):
words in the declared order, ``key=value`` options and bare flags in any order. The lines after
it are the command's ``body``; a ``rest`` takes everything after the words as written.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from uccn_sdk.chat.safety import clip
from uccn_sdk.errors import Invalid, UccnError
from uccn_sdk.messages import N_
from uccn_sdk.messages import translate as _


class ArgumentError(UccnError):
    """A command's text does not fit its declaration; the dispatcher adds the usage line."""


Style = Literal["word", "option", "flag", "rest", "body"]


@dataclass(frozen=True)
class Param:
    """One declared argument; made with :func:`word`, :func:`option`, :func:`flag`, :func:`rest`
    or :func:`body`."""

    name: str
    """The key the handler reads it under."""
    style: Style
    shown: str = ""
    """How the usage line shows its value: ``ID``, ``field:music``."""
    required: bool = True
    choices: tuple[str, ...] = ()
    read: Callable[[str], object] | None = None
    """Turns the text into the value (an audience, a date), raising ValueError or UccnError with
    a clear message for text it cannot read."""
    default: object = None

    def usage(self) -> str:
        if self.style == "word":
            shown = "|".join(self.choices) if self.choices else self.shown
        elif self.style == "option":
            shown = f"{self.name}={self.shown}"
        elif self.style == "flag":
            return f"[{self.name}]"
        else:
            shown = self.shown
        return shown if self.required else f"[{shown}]"


def word(
    name: str,
    shown: str | None = None,
    *,
    optional: bool = False,
    choices: Sequence[str] = (),
    read: Callable[[str], object] | None = None,
    default: object = None,
) -> Param:
    """A word in its place: ``call open ID``; with `choices`, one of them (any case)."""
    return Param(name, "word", shown or name.upper(), not optional, tuple(choices), read, default)


def option(
    name: str,
    shown: str = "…",
    *,
    required: bool = False,
    read: Callable[[str], object] | None = None,
    default: object = None,
) -> Param:
    """A ``name=value`` option, anywhere on the first line (``title="Two words"``)."""
    return Param(name, "option", shown, required, (), read, default)


def flag(name: str) -> Param:
    """A bare word that switches something on: ``cross-field``. Read as True or False."""
    return Param(name, "flag", required=False, default=False)


def rest(name: str, shown: str, *, optional: bool = False) -> Param:
    """Everything after the words, as written, lines included: ``reply ID 1. … 2. …``."""
    return Param(name, "rest", shown, not optional, default="")


def body(name: str = "text", shown: str = "TEXT") -> Param:
    """The lines after the first (a call's text, an announcement's)."""
    return Param(name, "body", shown, required=False, default="")


@dataclass(frozen=True)
class Signature:
    """A command's declared arguments, in order."""

    params: tuple[Param, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        names = [p.name for p in self.params]
        if len(set(names)) != len(names):
            raise ValueError(f"two arguments have the same name: {sorted(names)}")
        words = [p for p in self.params if p.style == "word"]
        if any(p.style == "rest" for p in self.params) and any(
            p.style in ("option", "flag", "body") for p in self.params
        ):
            raise ValueError("a rest takes the whole text after the words: no options beside it")
        seen_optional = False
        for param in words:
            if seen_optional and param.required:
                raise ValueError(f"{param.name}: a required word cannot follow an optional one")
            seen_optional = seen_optional or not param.required

    def usage(self) -> str:
        """The usage line: ``ID deadline=… [title=…] [cross-field]``."""
        return " ".join(p.usage() for p in self.params if p.style != "body")

    def parse(self, text: str, language: str = "en") -> dict[str, Any]:
        """The arguments `text` gives, by name; UccnError saying what is wrong otherwise (in
        `language`)."""
        words = [p for p in self.params if p.style == "word"]
        rest_param = next((p for p in self.params if p.style == "rest"), None)
        if rest_param is not None:
            parts = text.strip().split(maxsplit=len(words))
            found = self._words(words, parts[: len(words)], language)
            remainder = parts[len(words)].strip() if len(parts) > len(words) else ""
            if rest_param.required and not remainder:
                raise ArgumentError(_(language, "{what} is missing", what=rest_param.shown))
            found[rest_param.name] = remainder
            return found
        first, _newline, body_text = text.partition("\n")
        try:
            tokens = shlex.split(first)
        except ValueError as error:
            raise ArgumentError(
                _(language, "the first line cannot be read ({error})", error=str(error))
            ) from None
        options = {p.name: p for p in self.params if p.style == "option"}
        flags = {p.name: p for p in self.params if p.style == "flag"}
        given_words: list[str] = []
        given_options: dict[str, str] = {}
        found = {p.name: p.default for p in self.params}
        for token in tokens:
            key, equals, value = token.partition("=")
            if token.lower() in flags:
                found[flags[token.lower()].name] = True
            elif equals and key.lower() in options:
                given_options[key.lower()] = value
            elif equals:
                known = ", ".join(f"{name}=" for name in options) or "—"
                raise ArgumentError(
                    _(language, "there is no option {key}= here ({known})", key=key, known=known)
                )
            else:
                given_words.append(token)
        found.update(self._words(words, given_words, language))
        for name, param in options.items():
            if name in given_options:
                found[name] = _read(param, given_options[name])
            elif param.required:
                raise ArgumentError(_(language, "{what} is missing", what=param.usage()))
        for param in self.params:
            if param.style == "body":
                found[param.name] = body_text.strip()
        return found

    def _words(self, declared: list[Param], given: list[str], language: str) -> dict[str, Any]:
        if len(given) > len(declared):
            extra = " ".join(given[len(declared) :])
            raise ArgumentError(_(language, "too many words: {extra}", extra=clip(extra, 60)))
        found: dict[str, Any] = {}
        for index, param in enumerate(declared):
            if index >= len(given):
                if param.required:
                    raise ArgumentError(_(language, "{what} is missing", what=param.usage()))
                found[param.name] = param.default
                continue
            value = given[index]
            if param.choices:
                if value.lower() not in param.choices:
                    raise ArgumentError(
                        _(
                            language,
                            "“{value}”: write {choices}",
                            value=clip(value, 60),
                            choices=" | ".join(param.choices),
                        )
                    )
                value = value.lower()
            found[param.name] = _read(param, value)
        return found


def _read(param: Param, value: str) -> object:
    if param.read is None:
        return value
    try:
        return param.read(value)
    except Invalid as error:  # a value refused: said with the usage, like any bad argument
        raise ArgumentError(N_("{name}: {problem}"), name=param.name, problem=error) from None
    except UccnError:
        raise
    except ValueError as error:
        raise ArgumentError(N_("{name}: {problem}"), name=param.name, problem=str(error)) from None
