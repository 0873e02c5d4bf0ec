"""The SDK's docstrings name other objects as Sphinx does (:class:`TestNetwork`); this griffe
extension makes each a link to where the site documents the object, or, where it documents
none, the name in code, so that no page shows the markup as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from typing import Any

import griffe

ROLE = re.compile(
    r":(?:py:)?(?:class|func|meth|mod|attr|data|exc|obj):`(?P<short>~?)(?P<target>[\w.]+)`"
)


class SphinxRoles(griffe.Extension):
    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        for obj in _objects(pkg):
            if obj.docstring is not None:
                obj.docstring.value = ROLE.sub(partial(_link, obj), obj.docstring.value)


def _objects(obj: griffe.Object) -> Iterator[griffe.Object]:
    yield obj
    for member in obj.members.values():
        if isinstance(member, griffe.Object):  # an alias is documented where it points
            yield from _objects(member)


def _link(obj: griffe.Object, role: re.Match[str]) -> str:
    """A link to the role's target as `obj` names it, shown as its last name after a `~`.

    Optional, for autorefs: a target the site does not document is shown without a link.
    """
    target = role["target"]
    title = target.rsplit(".", 1)[-1] if role["short"] else target
    first, dot, rest = target.partition(".")
    try:
        path = target if first == obj.package.name else obj.resolve(first) + dot + rest
    except griffe.NameResolutionError:
        return f"<code>{title}</code>"
    return f'<autoref identifier="{path}" optional><code>{title}</code></autoref>'
