"""What a rule is: its identity, how its findings arise, and its documentation.

Most rules check the model (``@rule``). A post-pass rule (``@post_pass_rule``) checks
what the other rules found, so the engine runs it after them. Some rules' findings are
reported elsewhere (by the loader, or by the engine about itself): those rules have an
identity and documentation but nothing to check (``reported_elsewhere``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from crmorg.findings import Finding, Group, Location, Path, RuleIdentity, Severity
from crmorg.model import Model


class Problem(NamedTuple):
    """What a rule reports: a message, where in the model, and the ids it concerns.

    ``path`` is resolved to file, line and column by the engine; ``at_key`` points at
    the key that introduces the path rather than its value. A named tuple, which is
    made in a third of a dataclass's time: a rule may report 300,000 of them.
    """

    message: str
    path: Path
    subjects: tuple[str, ...]
    at_key: bool = False
    location: Location | None = None
    at_most: Severity | None = None
    """A ceiling below the rule's level for this problem (a rule whose lesser cases warn)."""


Check = Callable[[Model], Iterator[Problem]]


@dataclass(frozen=True)
class FirstPass:
    """What a post-pass rule sees: the findings of every other rule, waivers applied,
    and the names of the rules that run in this run."""

    findings: tuple[Finding, ...]
    running: frozenset[str]


PostPassCheck = Callable[[Model, FirstPass], Iterator[Problem]]


@dataclass(frozen=True)
class Rule:
    """A registered rule: its identity, its check of the model, and its documentation.

    The first paragraph of ``doc`` is the rule's one summary, wherever it is shown.
    """

    info: RuleIdentity
    check: Check
    doc: str

    def __post_init__(self) -> None:
        # Docstrings arrive indented; the reference and help texts want them flush.
        object.__setattr__(self, "doc", inspect.cleandoc(self.doc))

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def summary(self) -> str:
        """The first paragraph of the documentation, on one line."""
        return " ".join(self.doc.split("\n\n", 1)[0].split())


@dataclass(frozen=True)
class PostPassRule(Rule):
    """A rule over the other rules' findings; its ``check`` of the model alone finds
    nothing, its ``review`` runs once they have all run."""

    review: PostPassCheck


def rule(name: str, code: str, group: Group, severity: Severity) -> Callable[[Check], Rule]:
    """Declare a rule with its check: the function's docstring is its documentation."""
    return checks(RuleIdentity.of(name, code, group, severity))


def checks(identity: RuleIdentity) -> Callable[[Check], Rule]:
    """Attach a check to an identity declared elsewhere (one the loader reports too)."""

    def wrap(check: Check) -> Rule:
        return Rule(identity, check, check.__doc__ or "")

    return wrap


def post_pass_rule(
    name: str, code: str, group: Group, severity: Severity
) -> Callable[[PostPassCheck], PostPassRule]:
    """Declare a post-pass rule with its review of the other rules' findings."""
    declared = RuleIdentity.of(name, code, group, severity)

    def wrap(review: PostPassCheck) -> PostPassRule:
        return PostPassRule(declared, no_check, review.__doc__ or "", review)

    return wrap


def reported_elsewhere(identity: RuleIdentity, doc: str) -> Rule:
    """A rule whose findings the loader or the engine reports: documentation only."""
    return Rule(identity, no_check, doc)


def no_check(model: Model) -> Iterator[Problem]:
    """Nothing to check in the model: the rule's findings arise elsewhere."""
    return iter(())
