"""What an export target is: a name, the files it writes, and a pure render function."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from crmorg.model import Model

RenderedFiles = Mapping[str, str]
"""File name (inside the output directory) -> its complete text."""


@dataclass(frozen=True)
class Exporter:
    """One export target.

    ``render`` builds every file in memory and never touches the disk;
    :func:`crmorg.export.export_model` writes them atomically.
    """

    name: str
    summary: str
    files: tuple[str, ...]
    render: Callable[[Model], RenderedFiles]
