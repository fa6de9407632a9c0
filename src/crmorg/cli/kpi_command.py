"""``crmorg kpi``: evaluate every KPI for every period of metric data; list the library."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Final

from crmorg.cli.command import CommandBase
from crmorg.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, stderr, stdout
from crmorg.cli.loading import load_or_report
from crmorg.findings import Severity
from crmorg.kpi.evaluate import Scorecard, evaluate
from crmorg.kpi.render import (
    RENDERERS,
    ScorecardContext,
    csv_out,
    html,
    json_out,
    markdown,
    render,
    table,
)
from crmorg.kpi.render.library import LIBRARY_RENDERERS, render_library
from crmorg.lint.config import LintConfig
from crmorg.lint.engine import Report, run
from crmorg.lint.rules.kpi_unknown_metric import kpi_unknown_metric
from crmorg.loading.metric_data import DATA_FORMATS, MetricDataResult, read_metric_data
from crmorg.model import Model
from crmorg.reporters import text
from crmorg.text import localize

if TYPE_CHECKING:
    from crmorg.docs.context import Section

_STREAMED: Final[Mapping[str, Callable[[Scorecard, ScorecardContext], Iterator[str]]]] = {
    "json": json_out.render_chunks,
    "csv": csv_out.render_chunks,
    "table": table.render_chunks,
    "markdown": markdown.render_chunks,
    "html": html.render_chunks,
}
"""Every format, written a piece at a time."""


class KpiCommand(CommandBase):
    """Evaluate every KPI of a model for every period of metric data: value, target, status (met,
    missed, no-data, error), change against the previous period, and a roll-up per department.
    `--library` lists the standard KPIs instead."""

    name = "kpi"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("path", metavar="PATH", nargs="?", help="a model file or directory")
        parser.add_argument(
            "--data",
            metavar="FILE",
            help="metric values: CSV with columns period,metric,value, or YAML "
            "{period: {metric: value}}",
        )
        parser.add_argument(
            "--format",
            choices=sorted({*RENDERERS, *LIBRARY_RENDERERS}),
            default="table",
            help="scorecard: table, json, csv, html or markdown; --library: table, json or yaml",
        )
        parser.add_argument(
            "--period",
            metavar="P",
            help="show only this period (changes compare with the one before)",
        )
        parser.add_argument(
            "--library", action="store_true", help="list the standard KPI library and exit"
        )

    def run(self, args: argparse.Namespace) -> int:
        if args.library:
            if args.format not in LIBRARY_RENDERERS:
                raise UsageError(
                    f"--library prints {', '.join(LIBRARY_RENDERERS)}, not {args.format}"
                )
            stdout().write(render_library(args.format))
            return EXIT_OK
        if args.path is None or args.data is None:
            raise UsageError("give a model PATH and --data FILE (or --library)")
        if args.format not in RENDERERS:
            raise UsageError(f"a scorecard prints {', '.join(RENDERERS)}, not {args.format}")
        data_file = _data_file(args.data)
        err = stderr()
        model = load_or_report(args.path, err)
        if model is None:
            return EXIT_FINDINGS
        unmeasurable = _report_unknown_metrics(model)
        read = read_metric_data(data_file, model.metrics, limits=model.settings.limits)
        scorecard = evaluate(model.kpis, read.data, metrics=model.metrics)
        if args.period is not None:
            if args.period not in scorecard.periods:
                known = ", ".join(scorecard.periods) or "none"
                raise UsageError(f"no period {args.period!r} in {args.data} (periods: {known})")
            scorecard = scorecard.for_period(args.period)
        out = stdout()
        context = ScorecardContext(
            title=model.name,
            department_names={
                dept_id: localize(dept.name, fallback=dept_id)
                for dept_id, dept in model.departments.items()
            },
            role_names={
                role_id: localize(role.name, fallback=role_id)
                for role_id, role in model.roles.items()
            },
            colour=out.colour and args.format == "table",
        )
        streamed = _STREAMED.get(args.format)
        if streamed is not None:  # a million periods need no string of it all
            for chunk in streamed(scorecard, context):
                out.write(chunk)
        else:
            out.write(render(scorecard, args.format, context))
        data_failed = _report_data_findings(read)
        return EXIT_FINDINGS if data_failed or unmeasurable else EXIT_OK


def _report_unknown_metrics(model: Model) -> bool:
    """Print, on standard error, each KPI formula that names an undeclared metric (such a
    KPI can never be computed); True when there is one."""
    found = run(model, LintConfig.from_options(select=[kpi_unknown_metric.name])).errors
    if found:
        err = stderr()
        err.write(text.render(Report(found), err.colour))
    return bool(found)


def handbook_scorecard(data: str | None, model: Model) -> tuple[tuple[Section, ...], bool]:
    """For ``crmorg docs --kpi-data FILE``: the scorecard section, and whether the data
    had errors (reported on standard error; bad rows are left out of the page)."""
    if data is None:
        return (), False
    from crmorg.docs.scorecard import scorecard_section  # the handbook's, not `crmorg kpi`'s

    read = read_metric_data(_data_file(data), model.metrics, limits=model.settings.limits)
    failed = _report_data_findings(read)
    return (scorecard_section(read.data),), failed


def _data_file(data: str) -> Path:
    path = Path(data)
    if not path.is_file():
        raise UsageError(f"no such data file: {data}")
    if path.suffix.lower() not in DATA_FORMATS:
        raise UsageError(f"cannot tell the format of {data}: name it *.csv, *.yaml or *.yml")
    return path


def _report_data_findings(read: MetricDataResult) -> bool:
    """Print the data file's findings on standard error; True when one is an error."""
    if read.findings:
        err = stderr()
        report = Report(tuple(sorted(read.findings, key=lambda f: f.sort_key())))
        err.write(text.render(report, err.colour))
        err.write("rows with problems were left out of the scorecard\n")
    return any(finding.severity is Severity.ERROR for finding in read.findings)
