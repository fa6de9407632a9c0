"""One side of a comparison: a loaded model, its label, and how its files are named."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from crmorg.findings import Finding, Location, Path
from crmorg.model import Model


def _same(file: str) -> str:
    return file


@dataclass(frozen=True)
class Version:
    """A model as one side of a diff.

    ``rename`` turns a file name the loader gave into the one a reader should see: a
    model read from git is loaded from a temporary copy, and its files are shown as
    ``REV:PATH/file``.
    """

    model: Model
    label: str
    rename: Callable[[str], str] = _same

    def where(self, path: Path) -> str:
        """``file:line:col`` of a model path."""
        location = self.model.locate(path)
        return f"{self.rename(location.file)}:{location.line}:{location.column}"

    def finding(self, finding: Finding) -> Finding:
        """``finding`` with its files named as the reader should see them."""
        if self.rename is _same:
            return finding
        return replace(
            finding,
            location=self.location(finding.location),
            related=tuple(self.location(r) for r in finding.related),
        )

    def location(self, location: Location) -> Location:
        return replace(location, file=self.rename(location.file))


def version_of(model: Model, label: str | None = None) -> Version:
    """A model as a side of a diff, labelled by its root (or ``label``)."""
    return Version(model, label if label is not None else (model.root or model.name))
