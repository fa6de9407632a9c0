"""KPIs at load time: pull in standard KPIs, and check formulas where they are written.

Runs after every section is validated. A KPI with ``standard: <id>`` is completed from
the standard library (:mod:`crmorg.kpi.standard`), so rules, docs and exports see whole
KPIs. A formula that is not valid formula syntax is a ``schema`` finding at the
offending token. A formula that parses but names an undeclared metric is left to the
``kpi-unknown-metric`` rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from crmorg.document import Document
from crmorg.findings import Finding
from crmorg.kpi.formula import FormulaError, parse_formula
from crmorg.kpi.library import STANDARD_KPIS
from crmorg.kpi.models import Kpi, Metric
from crmorg.kpi.standard import implied_metrics, resolve_standard
from crmorg.loading.identities import make_finding
from crmorg.source import SourceMap
from crmorg.suggestions import did_you_mean

__all__ = ["complete_kpis", "formula_findings"]


def complete_kpis(
    document: Document, source: SourceMap, texts: Mapping[str, str]
) -> tuple[Document, list[Finding]]:
    """The document with standard KPIs filled in, and the findings about its KPIs.

    ``texts`` maps each file name (as findings name it) to its text, for positions
    inside formulas. Implied metrics are recorded in ``source`` at the KPI's
    ``standard`` line, where a finding about them should point.
    """
    findings: list[Finding] = []
    kpis: dict[str, Kpi] = dict(document.kpis)
    metrics: dict[str, Metric] = dict(document.metrics)
    declared = set(metrics) | set(document.rejected.get("metrics", frozenset()))
    for kpi_id, kpi in document.kpis.items():
        if kpi.standard is None:
            continue
        where = ("kpis", kpi_id, "standard")
        standard = STANDARD_KPIS.get(kpi.standard)
        if standard is None:
            hint = did_you_mean(kpi.standard, STANDARD_KPIS)
            findings.append(
                make_finding(
                    "unknown-reference",
                    f"KPI {kpi_id} names standard KPI `{kpi.standard}`, which is not in the "
                    f"standard KPI library{hint}; `crmorg kpi --library` lists them",
                    source.value(where),
                    (kpi_id, kpi.standard),
                )
            )
            continue
        resolved = resolve_standard(
            kpi, standard, roles=document.roles, departments=document.departments
        )
        kpis[kpi_id] = resolved
        for metric_id, metric in implied_metrics(
            resolved, standard, declared, document.resources
        ).items():
            metrics[metric_id] = metric
            declared.add(metric_id)
            source.record(("metrics", metric_id), source.value(where), source.key(where))
    findings.extend(formula_findings(kpis, source, texts))
    return replace(document, kpis=kpis, metrics=metrics), findings


def formula_findings(
    kpis: Mapping[str, Kpi], source: SourceMap, texts: Mapping[str, str]
) -> list[Finding]:
    """A ``schema`` finding for each formula that is not valid, at the offending token."""
    findings: list[Finding] = []
    for kpi_id, kpi in kpis.items():
        if kpi.formula is None:
            continue
        try:
            parse_formula(kpi.formula)
        except FormulaError as error:
            path = ("kpis", kpi_id, "formula")
            location = source.value(path)
            if source.has(path) and location.file in texts:
                from crmorg.loading.scalar_positions import locate_in_scalar

                location = locate_in_scalar(
                    texts[location.file], location, kpi.formula, error.column
                )
            findings.append(
                make_finding(
                    "schema",
                    f"KPI {kpi_id}: the formula is not valid: {error.message}",
                    location,
                    (kpi_id,),
                )
            )
    return findings
