"""The standard CRM KPI library: well-known KPIs with their formulas and metrics.

Each :class:`StandardKpi` carries a formula in the model's formula language, the
metrics it uses (:class:`StandardMetric`), its unit, direction, typical owner role,
department, frequency, an optional target to start from and a short citation of the
definition it follows. Percent KPIs are fractions (0.85 means 85%), as in the model.

The entries are data: ``standard_kpis.json`` beside this module, written as a model's
``metrics:`` and ``kpis:`` sections would be (each KPI adds the ``metrics`` its formula
uses and its ``definition_source``) and validated by the model's own :class:`Metric`
and :class:`Kpi`. The file is read on first use, not at import, since most runs never
touch it. :data:`STANDARD_KPIS` and :data:`STANDARD_METRICS` are read-only registries
keyed by id. A metric id means the same thing in every KPI that uses it
(``new_customers`` feeds both retention and conversion).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from crmorg.kpi.formula import Formula, FormulaError, parse_formula
from crmorg.kpi.models import Direction, Frequency, Kpi, Metric, Unit
from crmorg.text import STRICT, Id, NonEmptyText, Text

__all__ = [
    "SOURCE_RESOURCES",
    "STANDARD_KPIS",
    "STANDARD_METRICS",
    "Direction",
    "Frequency",
    "StandardKpi",
    "StandardLibrary",
    "StandardLibraryError",
    "StandardMetric",
    "Unit",
    "read_library",
    "standard_library",
]

#: The CRM record types a standard metric is typically computed from.
SOURCE_RESOURCES: Final = (
    "lead",
    "contact",
    "account",
    "opportunity",
    "quote",
    "order",
    "invoice",
    "payment",
    "case",
    "campaign",
    "segment",
)

#: The languages every library name and description is written in.
_LANGUAGES: Final = frozenset({"en", "zh"})
_LIBRARY_FILE: Final = "standard_kpis.json"


@dataclass(frozen=True)
class StandardMetric:
    """A raw input of standard KPIs.

    ``source`` is the resource (one of :data:`SOURCE_RESOURCES`) the value is usually
    counted or summed from, or ``None`` for a figure set outside the CRM records
    (a discount rate, a quota, a margin assumption).
    """

    id: str
    name: Mapping[str, str]
    unit: Unit
    source: str | None

    def to_model(self) -> dict[str, object]:
        """This metric as an entry of a model's ``metrics:`` section."""
        entry: dict[str, object] = {"name": dict(self.name), "unit": self.unit}
        if self.source is not None:
            entry["source"] = self.source
        return entry


@dataclass(frozen=True)
class StandardKpi:
    """A well-known CRM KPI, ready to copy into a model's ``kpis:`` section."""

    id: str
    name: Mapping[str, str]
    description: Mapping[str, str]
    formula: str
    metrics: Mapping[str, StandardMetric]
    unit: Unit
    direction: Direction
    typical_owner: str
    typical_department: str
    frequency: Frequency
    definition_source: str
    typical_target: float | None
    typical_contributors: tuple[str, ...] = ()
    """The roles usually measured on it beside the owner (the reps of a win rate)."""

    def parsed_formula(self) -> Formula:
        """The formula, parsed and checked."""
        return parse_formula(self.formula)

    def to_model(self) -> dict[str, object]:
        """This KPI as an entry of a model's ``kpis:`` section (format v1)."""
        entry: dict[str, object] = {
            "name": dict(self.name),
            "description": dict(self.description),
            "department": self.typical_department,
            "owner": self.typical_owner,
            **(
                {"contributors": list(self.typical_contributors)}
                if self.typical_contributors
                else {}
            ),
            "formula": self.formula,
            "unit": self.unit,
            "direction": self.direction,
        }
        if self.typical_target is not None:
            entry["target"] = self.typical_target
        entry["frequency"] = self.frequency
        return entry


class StandardLibraryError(RuntimeError):
    """The library file shipped with crmorg does not hold a valid library: a crmorg bug."""


# Building a model's validator takes milliseconds: these wait for the first read.
_DEFERRED: Final = ConfigDict(defer_build=True)


class _LibraryKpi(Kpi):
    """A library entry: a model's KPI entry plus what only the library records."""

    model_config = _DEFERRED

    metrics: tuple[Id, ...]
    definition_source: NonEmptyText


class _LibraryFile(BaseModel):
    model_config = ConfigDict(**STRICT, **_DEFERRED)

    metrics: dict[Id, Metric]
    kpis: dict[Id, _LibraryKpi]


@dataclass(frozen=True)
class StandardLibrary:
    """The whole library: its KPIs and the metrics they use, in the file's order."""

    kpis: Mapping[str, StandardKpi]
    metrics: Mapping[str, StandardMetric]


def _bilingual(text: Text | None, what: str) -> Mapping[str, str]:
    if not isinstance(text, dict) or set(text) != _LANGUAGES:
        raise StandardLibraryError(f"{what} must be given in exactly {sorted(_LANGUAGES)}")
    return MappingProxyType(dict(text))


def _metric(metric_id: str, metric: Metric) -> StandardMetric:
    if metric.unit is None:
        raise StandardLibraryError(f"metric {metric_id} has no unit")
    return StandardMetric(
        metric_id, _bilingual(metric.name, f"metric {metric_id}'s name"), metric.unit, metric.source
    )


def _kpi(kpi_id: str, entry: _LibraryKpi, metrics: Mapping[str, StandardMetric]) -> StandardKpi:
    what = f"KPI {kpi_id}"
    unknown = [metric_id for metric_id in entry.metrics if metric_id not in metrics]
    if unknown:
        raise StandardLibraryError(f"{what} uses metrics not in the library: {unknown}")
    if (
        entry.standard is not None
        or entry.formula is None
        or entry.unit is None
        or entry.direction is None
        or entry.owner is None
        or entry.department is None
        or entry.frequency is None
    ):
        raise StandardLibraryError(
            f"{what} must give formula, unit, direction, owner, department and frequency, "
            "and no standard"
        )
    try:
        used = parse_formula(entry.formula).metrics
    except FormulaError as error:
        raise StandardLibraryError(f"{what}'s formula does not parse: {error}") from error
    if used != set(entry.metrics):
        raise StandardLibraryError(f"{what}'s formula uses {sorted(used)}, not its metrics")
    return StandardKpi(
        id=kpi_id,
        name=_bilingual(entry.name, f"{what}'s name"),
        description=_bilingual(entry.description, f"{what}'s description"),
        formula=entry.formula,
        metrics=MappingProxyType({metric_id: metrics[metric_id] for metric_id in entry.metrics}),
        unit=entry.unit,
        direction=entry.direction,
        typical_owner=entry.owner,
        typical_department=entry.department,
        frequency=entry.frequency,
        definition_source=entry.definition_source,
        typical_target=entry.target,
        typical_contributors=tuple(entry.contributors),
    )


def read_library(data: bytes, origin: str) -> StandardLibrary:
    """The library held by ``data``, the JSON text of ``origin``.

    Raises :class:`StandardLibraryError`, naming ``origin``, if it is not a valid library.
    """
    try:
        parsed = _LibraryFile.model_validate_json(data)
        metrics = {
            metric_id: _metric(metric_id, metric) for metric_id, metric in parsed.metrics.items()
        }
        kpis = {kpi_id: _kpi(kpi_id, entry, metrics) for kpi_id, entry in parsed.kpis.items()}
    except (ValidationError, StandardLibraryError) as error:
        raise StandardLibraryError(
            f"the standard KPI library shipped with crmorg ({origin}) is invalid; this is "
            f"a bug in crmorg, please report it:\n{error}"
        ) from error
    return StandardLibrary(MappingProxyType(kpis), MappingProxyType(metrics))


@functools.cache
def standard_library() -> StandardLibrary:
    """The library shipped with crmorg, read once."""
    from importlib.resources import files

    resource = files(__package__) / _LIBRARY_FILE
    return read_library(resource.read_bytes(), str(resource))


_Entry = TypeVar("_Entry")


class _Registry(Mapping[str, _Entry]):
    """A read-only view of one part of the library that reads the file on first use."""

    def __init__(self, part: Callable[[StandardLibrary], Mapping[str, _Entry]]) -> None:
        self._part = part

    def __getitem__(self, key: str) -> _Entry:
        return self._part(standard_library())[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._part(standard_library()))

    def __len__(self) -> int:
        return len(self._part(standard_library()))


STANDARD_KPIS: Final[Mapping[str, StandardKpi]] = _Registry(lambda library: library.kpis)
STANDARD_METRICS: Final[Mapping[str, StandardMetric]] = _Registry(lambda library: library.metrics)
