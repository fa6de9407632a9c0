"""Why an export did not happen: refused findings, an unsafe output, an inexpressible model."""

from __future__ import annotations

from crmorg.findings import Finding


class ExportError(Exception):
    """An export could not be written; nothing was left behind."""


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


class UnsupportedModelError(ExportError):
    """The target cannot express something in this model (e.g. a forced cycle for Cedar)."""
