"""Several paths at once, as ``crmorg validate A B ...`` and a pre-commit hook give them.

Each directory is a model of its own. Files given together are one model, merged as
the files of a model directory are: they are linked, in the order given, into a
temporary directory that the loader reads as a model directory, and findings are
given back the names the files have (a file under the working directory resolves
through its link to its own name anyway; any other gets the path it was given as).
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from crmorg.findings import Finding, Location
from crmorg.loading.files import HR_FILE_NAMES, MODEL_SUFFIXES, display_name

__all__ = ["ModelPaths", "group_paths", "linked_together", "renamed"]


@dataclass(frozen=True)
class ModelPaths:
    """The models that several paths name: directories one each, files all together."""

    directories: tuple[Path, ...]
    files: tuple[Path, ...]


def group_paths(paths: Sequence[str | Path]) -> ModelPaths:
    """Split ``paths`` into model directories and model files, each once, in order.

    Raises ``FileNotFoundError`` for a path that does not exist, and ``ValueError`` for
    a file that cannot be part of a model when it is given with others.
    """
    directories: dict[Path, Path] = {}
    files: dict[Path, Path] = {}
    for given in map(Path, paths):
        if not given.exists():
            raise FileNotFoundError(f"no such file or directory: {given}")
        chosen = directories if given.is_dir() else files
        chosen.setdefault(given.resolve(), given)
    if len(files) > 1:
        for file in files.values():
            if file.suffix not in MODEL_SUFFIXES and file.name not in HR_FILE_NAMES:
                raise ValueError(
                    f"{file} is not a model file: files read together as one model are "
                    f"*.yaml or *.yml, or the HR exports {' and '.join(sorted(HR_FILE_NAMES))}"
                )
    return ModelPaths(tuple(directories.values()), tuple(files.values()))


@contextlib.contextmanager
def linked_together(files: Sequence[Path]) -> Iterator[tuple[Path, dict[str, str]]]:
    """A model directory holding ``files`` (symbolic links, in the order given), and how
    to rename findings from the links' names to the files' own (see :func:`renamed`).

    The directory lives as long as the context: positions are recovered from it lazily.
    """
    with tempfile.TemporaryDirectory(prefix="crmorg-files-") as staging:
        names: dict[str, str] = {}
        for index, file in enumerate(files):
            # One folder per file keeps the order given and any two files of one name;
            # the loader skips names starting with a dot, so a link never has one.
            link = Path(staging, f"{index:06d}", file.name.lstrip(".") or "model.yaml")
            link.parent.mkdir()
            link.symlink_to(file.resolve())
            names[display_name(link)] = display_name(file)
        yield Path(staging), names


def renamed(findings: Sequence[Finding], names: Mapping[str, str]) -> tuple[Finding, ...]:
    """``findings`` with every file name in ``names`` replaced by its value."""

    def place(location: Location) -> Location:
        file = names.get(location.file, location.file)
        return location if file == location.file else replace(location, file=file)

    return tuple(
        replace(
            finding,
            location=place(finding.location),
            related=tuple(place(location) for location in finding.related),
        )
        for finding in findings
    )
