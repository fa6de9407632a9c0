"""Decisions: may this subject do this action, and why (or why not)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as attribute
from enum import Enum
from functools import cached_property

from crmorg.permissions.effective import EffectiveGrant
from crmorg.permissions.scopes import Scope


class UnknownIdError(LookupError):
    """A question named an id the model does not define."""


class Layer(Enum):
    """What allowed or denied a decision (format v1.1 names each in ``explain``)."""

    GRANT = "grant"
    """A role's grant, its own or inherited."""
    BASELINE = "baseline"
    """The resource's organisation-wide default, gated by a grant of the action."""
    REPORTS = "reports"
    """A grant at ``subordinates``: the record's owner reports to the person."""
    SHARING = "sharing"
    """A sharing rule."""
    FIELD = "field"
    """A restricted field: the field grant (or its absence) decided."""
    NONE = "none"
    """Nothing grants it."""


@dataclass(frozen=True)
class Decision:
    """The answer to one access question; truthy when allowed.

    ``required`` is the narrowest scope that reaches the record (or the scope asked
    about); ``granted`` the subject's effective scope; ``role`` and ``grant`` the
    winning grant, when there is one; ``layer`` what decided, with ``chain`` (the
    reporting chain from the owner up to the person, for :attr:`Layer.REPORTS`),
    ``rule`` (a sharing rule) and ``field``; ``reason`` says all of it in one sentence,
    with the file position of each part.
    """

    allowed: bool
    subject: str
    action: str
    resource: str
    required: Scope
    granted: Scope
    role: str | None = None
    grant: EffectiveGrant | None = None
    grant_location: str | None = None
    layer: Layer = Layer.GRANT
    chain: tuple[str, ...] = ()
    rule: str | None = None
    field: str | None = None
    explain: Callable[[Decision], str] | None = attribute(default=None, repr=False, compare=False)

    def __bool__(self) -> bool:
        return self.allowed

    @cached_property
    def reason(self) -> str:
        """Why, in one sentence (made when first read: most decisions are not explained)."""
        return self.explain(self) if self.explain is not None else ""
