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


def _deepest(parents: Mapping[str, str | None]) -> tuple[int, str | None]:
    depths = graphs.chain_depths(parents)
    if not depths:
        return 0, None
    deepest = max(depths.values())
    return deepest, min(node for node, depth in depths.items() if depth == deepest)


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
