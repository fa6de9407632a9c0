"""What an export target is: a name, its files, what it can express, and a render function."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crmorg.export.capabilities import Capabilities
from crmorg.model import Model

if TYPE_CHECKING:
    from crmorg.export.fidelity import Fidelity

RenderedFiles = Mapping[str, str | bytes]
"""File path (inside the output directory, ``/``-separated) -> its complete content:
text (written as UTF-8) or bytes (a zip, a workbook)."""

Options = Mapping[str, str]
"""A target's options by name (:class:`Option`), each resolved to one of its values."""


@dataclass(frozen=True)
class Option:
    """A choice a target offers (``--odoo-version 18``): the first value is the default."""

    name: str
    values: tuple[str, ...]
    help: str

    @property
    def default(self) -> str:
        return self.values[0]


@dataclass(frozen=True)
class Rendering:
    """A target's files, and for a CRM system what it could not carry (section 16)."""

    files: RenderedFiles
    fidelity: Fidelity | None = None


@dataclass(frozen=True)
class Exporter:
    """One export target, declared in its package's ``__init__`` as ``EXPORTER``.

    ``render`` builds every file in memory and never touches the disk; it is given only
    models that ``capabilities`` says the target expresses.
    :func:`crmorg.export.export_model` checks that, then writes the files atomically.

    A CRM-system target (section 16) gives ``build`` instead, which also takes the
    target's ``options`` and reports its :class:`~crmorg.export.fidelity.Fidelity`;
    its ``render`` is ``build`` with the default options. ``files`` are the top-level
    files a target writes, ``directories`` the top-level directories (an export
    directory holding nothing else may be replaced).
    """

    name: str
    summary: str
    files: tuple[str, ...]
    render: Callable[[Model], RenderedFiles]
    capabilities: Capabilities = field(default_factory=Capabilities)
    directories: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    build: Callable[[Model, Options], Rendering] | None = None

    def resolve(self, given: Mapping[str, str | None] | None = None) -> dict[str, str]:
        """``given`` (unset ones ignored) over the defaults; raises ValueError on a value
        or an option the target does not have."""
        chosen = {option.name: option.default for option in self.options}
        known = {option.name: option for option in self.options}
        for name, value in (given or {}).items():
            if value is None:
                continue
            option = known.get(name)
            if option is None:
                raise ValueError(f"the {self.name} target has no option {name!r}")
            if value not in option.values:
                raise ValueError(f"--{name} {value!r} is not one of {', '.join(option.values)}")
            chosen[name] = value
        return chosen

    def rendering(self, model: Model, options: Mapping[str, str | None] | None = None) -> Rendering:
        """The files for ``model`` (and the fidelity report, for a CRM target)."""
        if self.build is None:
            if options and any(v is not None for v in options.values()):
                self.resolve(options)  # refuses options the target does not have
            return Rendering(self.render(model))
        return self.build(model, self.resolve(options))


def crm_exporter(
    name: str,
    summary: str,
    build: Callable[[Model, Options], Rendering],
    *,
    files: tuple[str, ...] = (),
    directories: tuple[str, ...] = (),
    capabilities: Capabilities | None = None,
    options: tuple[Option, ...] = (),
) -> Exporter:
    """A CRM-system target: its files always include ``FIDELITY.md`` and
    ``fidelity.json`` (which ``build`` returns among its files). By default it takes
    every construct: what the system cannot carry is a loss in its fidelity report,
    not a refusal."""
    from crmorg.export.capabilities import ACCESS_V1_1
    from crmorg.export.fidelity import FIDELITY_FILES

    defaults = {option.name: option.default for option in options}
    return Exporter(
        name=name,
        summary=summary,
        files=tuple(dict.fromkeys((*files, *FIDELITY_FILES))),
        render=lambda model: build(model, defaults).files,
        capabilities=(
            capabilities if capabilities is not None else Capabilities.v1(also=ACCESS_V1_1)
        ),
        directories=directories,
        options=options,
        build=build,
    )
