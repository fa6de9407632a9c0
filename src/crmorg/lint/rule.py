"""What a rule is: an identity from the catalogue, one generator of problems, its docs."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from crmorg.findings import Location, Path
from crmorg.lint.catalog import CATALOG, RuleInfo
from crmorg.model import Model


@dataclass(frozen=True)
class Problem:
    """What a rule reports: a message, where in the model, and the ids it concerns.

    ``path`` is resolved to file, line and column by the engine; ``at_key`` points at
    the key that introduces the path rather than its value.
    """

    message: str
    path: Path
    subjects: tuple[str, ...]
    at_key: bool = False
    location: Location | None = None


Check = Callable[[Model], Iterator[Problem]]


@dataclass(frozen=True)
class Rule:
    """A registered rule: catalogue identity plus its check and documentation."""

    info: RuleInfo
    check: Check
    doc: str

    def __post_init__(self) -> None:
        # Docstrings arrive indented; the reference and help texts want them flush.
        object.__setattr__(self, "doc", inspect.cleandoc(self.doc))

    @property
    def name(self) -> str:
        return self.info.name


def rule(name: str) -> Callable[[Check], Rule]:
    """Attach a check function to the catalogue entry ``name``; its docstring is the doc."""

    def wrap(check: Check) -> Rule:
        return Rule(CATALOG[name], check, check.__doc__ or "")

    return wrap


def no_check(model: Model) -> Iterator[Problem]:
    """Rules whose findings the loader reports have nothing to check afterwards."""
    return iter(())
