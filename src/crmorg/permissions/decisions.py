"""Decisions: may this subject do this action, and why (or why not)."""

from __future__ import annotations

from dataclasses import dataclass

from crmorg.permissions.effective import EffectiveGrant
from crmorg.permissions.scopes import Scope


class UnknownIdError(LookupError):
    """A question named an id the model does not define."""


@dataclass(frozen=True)
class Decision:
    """The answer to one access question; truthy when allowed.

    ``required`` is the narrowest scope that reaches the record (or the scope asked
    about); ``granted`` the subject's effective scope; ``role`` and ``grant`` the
    winning grant, when there is one; ``reason`` says all of it in one sentence.
    """

    allowed: bool
    subject: str
    action: str
    resource: str
    required: Scope
    granted: Scope
    reason: str
    role: str | None = None
    grant: EffectiveGrant | None = None
    grant_location: str | None = None

    def __bool__(self) -> bool:
        return self.allowed
