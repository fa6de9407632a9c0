"""The limits on a model's shape, checked once its entries are read: chain depths.

Inheritance, reporting lines and the department tree are measured in linear time
(:mod:`crmorg.roles.graphs`); a chain longer than its limit is one ``limit-exceeded``
finding at the entry it starts from. The checks that read these chains (effective
grants, lineages, reports) cost the model's size times its depth, so over a limit they
are not run (``Document.over_limits``), rather than left to exhaust the machine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from crmorg.document import Document
from crmorg.findings import Finding
from crmorg.loading.identities import make_finding
from crmorg.loading.limits import Limits, exceeded
from crmorg.roles import graphs
from crmorg.source import SourceMap

__all__ = ["entries_over_limit", "shape_findings"]


@dataclass(frozen=True)
class _Chain:
    """One depth limit: the relation it measures and how its finding reads."""

    limit: str
    section: str
    field: str
    what: str
    depths: Callable[[Document], tuple[int, str | None]]
    """The longest chain and the entry it starts from (linear, over the whole graph)."""

    def settled(self, document: Document) -> int | None:
        """The longest chain, when one pass in the order of the entries tells it: each
        entry's links point to entries before it, or outside the section (the way
        models and generators write them). ``None`` leaves it to :attr:`depths`."""
        entries: Mapping[str, Any] = getattr(document, self.section)
        if self.field == "inherits":
            return _settled_inheritance(entries)
        return _settled_chain(entries, self.field)


def _deepest(parents: Mapping[str, str | None]) -> tuple[int, str | None]:
    depths = graphs.chain_depths(parents)
    if not depths:
        return 0, None
    deepest = max(depths.values())
    return deepest, min(node for node, depth in depths.items() if depth == deepest)


def _settled_chain(entries: Mapping[str, Any], field: str) -> int | None:
    """:func:`graphs.chain_depths`'s deepest value, when every parent precedes its child."""
    parents = set(map(attrgetter(field), entries.values()))
    if parents.isdisjoint(entries):
        return 1 if entries else 0  # no parent in the section (the usual case): all roots
    depth: dict[str, int] = {}
    known = depth.get
    deepest = 0
    for node, entry in entries.items():
        parent = getattr(entry, field)
        if parent is None or parent not in entries:
            here = 1  # a root, or a chain that ends outside the section
        else:
            above = known(parent)
            if above is None:
                return None  # a parent written after its child, or a cycle
            here = above + 1
        depth[node] = here
        if here > deepest:
            deepest = here
    return deepest


def _settled_inheritance(roles: Mapping[str, Any]) -> int | None:
    """:func:`graphs.deepest_inheritance`'s depth, when every role inherits only roles
    written before it (or unknown ones, which end a chain)."""
    if not any(map(attrgetter("inherits"), roles.values())):
        return 1 if roles else 0  # no role inherits: one role deep
    depth: dict[str, int] = {}
    known = depth.get
    deepest = 0
    for role_id, role in roles.items():
        here = 1
        for parent in role.inherits:
            if parent not in roles:
                continue
            above = known(parent)
            if above is None:
                return None  # inherits a role written later, or itself: a cycle maybe
            if above >= here:
                here = above + 1
        depth[role_id] = here
        if here > deepest:
            deepest = here
    return deepest


_CHAINS = (
    _Chain(
        "max_inheritance_depth",
        "roles",
        "inherits",
        "inherits through a chain of {depth:,} roles",
        lambda document: graphs.deepest_inheritance(document.roles),
    ),
    _Chain(
        "max_reporting_depth",
        "people",
        "reports_to",
        "reports through a chain of {depth:,} people",
        lambda document: _deepest({p: x.reports_to for p, x in document.people.items()}),
    ),
    _Chain(
        "max_reporting_depth",
        "roles",
        "reports_to",
        "reports through a chain of {depth:,} roles",
        lambda document: _deepest({r: x.reports_to for r, x in document.roles.items()}),
    ),
    _Chain(
        "max_department_depth",
        "departments",
        "parent",
        "sits below a chain of {depth:,} departments",
        lambda document: _deepest({d: x.parent for d, x in document.departments.items()}),
    ),
)


def shape_findings(
    document: Document, limits: Limits, source: SourceMap
) -> tuple[list[Finding], tuple[str, ...]]:
    """A finding for each chain deeper than its limit, and the names of those limits."""
    findings: list[Finding] = []
    over: list[str] = []
    for chain in _CHAINS:
        limit = getattr(limits, chain.limit)
        settled = chain.settled(document)
        if settled is not None and settled <= limit:
            continue  # the usual case, told without walking the graph
        depth, start = chain.depths(document)
        if depth <= limit or start is None:
            continue
        found = f"`{start}` " + chain.what.format(depth=depth)
        message = exceeded(
            chain.limit,
            limit,
            found + " (a cycle counts all its members)",
            "the checks that follow these chains were not run",
        )
        path = (chain.section, start, chain.field)
        findings.append(make_finding("limit-exceeded", message, source.value(path), (start,)))
        over.append(chain.limit)
    return findings, tuple(dict.fromkeys(over))


def entries_over_limit(section: str, count: int, limits: Limits, noun: str) -> str:
    """The message for a section with more entries than ``limits`` allows."""
    return exceeded(
        "max_entries",
        limits.max_entries,
        f"`{section}` holds {count:,} {noun}s with this file",
        "the entries past the limit, and every later file, were not read",
    )
