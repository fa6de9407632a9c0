"""How a target writes each scope's reach, and which scopes it can therefore express.

A target that decides on records writes the reach of a scope in its own language: a
Cedar condition, a Rego rule, a Zanzibar relation. It declares one *form* per scope it
can write, in a mapping keyed by the registry's :class:`~crmorg.roles.scopes.Scope`
members; everything else about scopes (which there are, their order, what each
includes) it reads from the registry through the functions here.

A target expresses a scope when it has a form for it and for every scope it includes:
a grant at a scope also answers at each scope below it, and reaches the records that
each of them reaches. A scope added to the registry is therefore inexpressible to a
target until the target gains its form, and so is every scope that includes it; the
export refuses grants at those (:func:`crmorg.export.capabilities.scopes_expressed`).
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping
from typing import TypeVar

from crmorg.roles.scopes import SCOPES, Scope, includes, wider


class Trivial(enum.Enum):
    """A reach that needs nothing written in a target's language."""

    NO_RECORD = "reaches no record"
    EVERY_RECORD = "reaches every record"


Form = TypeVar("Form")


def down_set(scope: Scope) -> tuple[Scope, ...]:
    """``scope`` and every scope it includes, narrowest first (the registry's order)."""
    return tuple(other for other in SCOPES if includes(scope, other))


def expressible(forms: Mapping[Scope, object]) -> tuple[Scope, ...]:
    """The scopes that ``forms`` expresses (see the module's docstring), in registry order."""
    return tuple(scope for scope in SCOPES if all(s in forms for s in down_set(scope)))


def reaching(forms: Mapping[Scope, Form | Trivial]) -> tuple[Scope, ...]:
    """The expressed scopes that reach some record: those a grant means something at."""
    return tuple(s for s in expressible(forms) if forms[s] is not Trivial.NO_RECORD)


def directly_wider(scope: Scope, among: Collection[Scope]) -> tuple[Scope, ...]:
    """The scopes of ``among`` that include ``scope`` with no other of ``among`` between."""
    above = [other for other in among if wider(other, scope)]
    return tuple(w for w in above if not any(wider(w, middle) for middle in above))
