"""What an export target is: a name, its files, what it can express, and a render function."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from crmorg.export.capabilities import Capabilities
from crmorg.model import Model

RenderedFiles = Mapping[str, str]
"""File name (inside the output directory) -> its complete text."""


@dataclass(frozen=True)
class Exporter:
    """One export target, declared in its package's ``__init__`` as ``EXPORTER``.

    ``render`` builds every file in memory and never touches the disk; it is given only
    models that ``capabilities`` says the target expresses.
    :func:`crmorg.export.export_model` checks that, then writes the files atomically.
    """

    name: str
    summary: str
    files: tuple[str, ...]
    render: Callable[[Model], RenderedFiles]
    capabilities: Capabilities = field(default_factory=Capabilities)
