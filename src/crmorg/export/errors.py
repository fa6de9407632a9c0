"""Why an export did not happen: refused findings, an unsafe output, an inexpressible model."""

from __future__ import annotations

from dataclasses import dataclass

from crmorg.findings import Finding
from crmorg.output import OutputError


class ExportError(Exception):
    """An export could not be written; nothing was left behind."""


class UnsafeOutputError(ExportError, OutputError):
    """The output directory cannot be replaced (it holds files no export wrote, or is
    not a directory); nothing was changed."""


class UnknownTargetError(ExportError, ValueError):
    """No exporter is registered under the name asked for."""


class ExportRefused(ExportError):
    """The model has error findings; ``findings`` holds them.

    Validation errors can be overridden with ``force=True``; a model that could not be
    read completely (``model.load_findings`` has errors) is never exported.
    """

    def __init__(self, findings: tuple[Finding, ...], forceable: bool = True) -> None:
        self.findings = findings
        self.forceable = forceable
        shown = "\n".join(f"{f.location}: {f.rule}: {f.message}" for f in findings[:10])
        more = f"\n... and {len(findings) - 10} more" if len(findings) > 10 else ""
        hint = (
            "fix them, or export anyway with force=True (--force)"
            if forceable
            else "the model could not be read completely, so it is never exported"
        )
        super().__init__(f"{len(findings)} error(s) in the model; {hint}:\n{shown}{more}")


@dataclass(frozen=True)
class Inexpressible:
    """One thing a model says that a target cannot express, and where it says it.

    Like a finding: ``construct`` names the kind of thing (a
    :class:`~crmorg.export.capabilities.Construct`'s name, or a target's own limit),
    ``location`` is ``file:line`` in the model (``None`` when nothing in the model's
    files is to blame), and ``message`` says what to change.
    """

    construct: str
    message: str
    location: str | None = None

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.construct}: {self.message}"


class UnsupportedModelError(ExportError):
    """The target cannot express something in the model; ``problems`` says what and where.

    The one error every target refuses a model with, forced or not (``--force``
    overrides validation errors, not what an engine can represent).
    """

    def __init__(self, problems: tuple[Inexpressible, ...], target: str | None = None) -> None:
        self.problems = problems
        self.target = target
        who = f"the {target} target" if target else "the target"
        shown = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"{who} cannot express {len(problems)} thing(s) in the model:\n{shown}")


class LossyExportError(ExportError):
    """``strict`` was asked for and the target cannot carry the model exactly;
    ``fidelity`` lists the losses. Nothing was written."""

    def __init__(self, fidelity: object, summary: str) -> None:
        self.fidelity = fidelity
        super().__init__(
            f"refused by --strict: {summary}; drop --strict to export with the losses "
            "listed in FIDELITY.md, or change the model"
        )
