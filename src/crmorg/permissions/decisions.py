"""Decisions: may this subject do this action, and why (or why not)."""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from typing import TYPE_CHECKING, Any

from crmorg.permissions.effective import EffectiveGrant
from crmorg.permissions.scopes import Scope

if TYPE_CHECKING:
    from crmorg.permissions.reasons import Finding, Outcome, Words


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


class Decision(tuple):  # type: ignore[type-arg]
    """The answer to one access question; truthy when allowed. Immutable.

    ``required`` is the narrowest scope that reaches the record (or the scope asked
    about); ``granted`` the subject's effective scope; ``role`` and ``grant`` the
    winning grant, when there is one; ``layer`` what decided, with ``chain`` (the
    reporting chain from the owner up to the person, for :attr:`Layer.REPORTS`),
    ``rule`` (a sharing rule) and ``field``; ``reason`` says all of it in one sentence,
    with the file position of each part.

    A decision keeps what it was decided from and works out each of these when first
    read: most decisions are asked for ``allowed`` alone, millions of times.
    """

    # A tuple underneath (allowed, field, question, outcome, words, [finding, reason]):
    # made in one step, immutable by construction, and the cheapest object Python makes.
    # ``question`` is (subject, action, resource, as_person); the grant tables' finding
    # about it, and the sentence, are made the first time a part that needs them is read.
    __slots__ = ()

    def __new__(
        cls,
        allowed: bool,
        field: str | None,
        question: tuple[str, str, str, bool],
        outcome: Outcome,
        words: Words,
        found: Finding | None = None,
    ) -> Decision:
        return tuple.__new__(cls, (allowed, field, question, outcome, words, [found, None]))

    @property
    def allowed(self) -> bool:
        allowed: bool = self[0]
        return allowed

    @property
    def field(self) -> str | None:
        field: str | None = self[1]
        return field

    @property
    def _found(self) -> Finding:
        kept: list[Any] = self[5]
        found: Finding | None = kept[0]
        if found is None:
            found = kept[0] = self._words.find(*self[2])
        return found

    @property
    def _outcome(self) -> Outcome:
        outcome: Outcome = self[3]
        return outcome

    @property
    def _words(self) -> Words:
        words: Words = self[4]
        return words

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def subject(self) -> str:
        subject: str = self[2][0]
        return subject

    @property
    def action(self) -> str:
        action: str = self[2][1]
        return action

    @property
    def resource(self) -> str:
        resource: str = self[2][2]
        return resource

    @property
    def required(self) -> Scope:
        return self._words.required(self._outcome)

    @property
    def granted(self) -> Scope:
        held = self._words.held(self._found, self._outcome)
        return held.scope if held is not None else self._found.granted

    @property
    def role(self) -> str | None:
        held = self._words.held(self._found, self._outcome)
        return held.role if held is not None else self._found.role

    @property
    def grant(self) -> EffectiveGrant | None:
        held = self._words.held(self._found, self._outcome)
        return held.grant if held is not None else self._found.grant

    @property
    def grant_location(self) -> str | None:
        return self._words.location(self._found, self._outcome)

    @property
    def layer(self) -> Layer:
        return self._words.layer(self._found, self._outcome, self.allowed)

    @property
    def chain(self) -> tuple[str, ...]:
        return self._words.chain(self._found, self._outcome)

    @property
    def rule(self) -> str | None:
        return self._outcome.rule

    @property
    def reason(self) -> str:
        """Why, in one sentence."""
        kept: list[Any] = self[5]  # the one mutable part: what is made when first read
        reason: str | None = kept[1]
        if reason is None:
            reason = kept[1] = self._words.reason(self)
        return reason

    def _key(self) -> tuple[object, ...]:
        return (
            self.allowed,
            self.subject,
            self.action,
            self.resource,
            self.field,
            self.required,
            self.granted,
            self.role,
            self.grant,
            self.layer,
            self.chain,
            self.rule,
        )

    def __len__(self) -> int:  # a decision is not a sequence to its users
        raise TypeError("a Decision has no length")

    def __iter__(self) -> Iterator[object]:
        raise TypeError("a Decision is not iterable")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Decision) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Decision(allowed={self.allowed}, subject={self.subject!r}, action={self.action!r}, "
            f"resource={self.resource!r}, field={self.field!r}, layer={self.layer.value!r}, "
            f"required={self.required.label!r}, granted={self.granted.label!r}, "
            f"role={self.role!r})"
        )
