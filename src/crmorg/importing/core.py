"""What an importer is, what it gives back, and how an imported model is written.

An importer reads the files a CRM system keeps its access design in (a retrieved
Salesforce project, an Odoo module, a Dataverse solution, saved Zoho API responses) and
gives back a crmorg model as YAML data, with a finding for every construct that has no
crmorg equivalent, at its source file, line and column: never silence. The model is
written as ``model.yaml`` (each entry under a comment saying where it came from) and
``IMPORT.md`` (the unmapped constructs), whole or not at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from crmorg.findings import Finding, Location, RuleIdentity, Severity
from crmorg.output import KnownFiles, write_directory
from crmorg.text import HIDDEN, reveal

UNMAPPED = RuleIdentity.of("import-unmapped", "CRM010", "model", Severity.WARNING)
"""A construct of the source system that the imported model does not carry."""

MODEL_FILE = "model.yaml"
REPORT_FILE = "IMPORT.md"
_SECTION_ORDER = (
    "version", "organization", "settings", "resources", "departments", "roles", "teams",
    "people", "responsibilities", "processes", "sharing", "constraints", "metrics", "kpis",
)  # fmt: skip
"""Sections in the order the format describes them; any other key follows."""


class ImportFailed(Exception):
    """The source cannot be read as that system's files at all (the message says why
    and where); nothing is written."""


def unmapped(
    message: str, file: str | Path, line: int = 1, column: int = 1, subjects: Iterable[str] = ()
) -> Finding:
    """A finding for a construct the import could not carry, at its place in the source."""
    return UNMAPPED.finding(message, Location(str(file), line, column), tuple(subjects))


@dataclass(frozen=True)
class Imported:
    """An imported model: the crmorg document (YAML data), what could not be carried,
    and where each entry came from (``(section, id) -> "file:line"``)."""

    system: str
    source: str
    document: Mapping[str, Any]
    findings: tuple[Finding, ...] = ()
    origins: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def files(self) -> dict[str, str]:
        """``model.yaml`` and ``IMPORT.md``."""
        return {MODEL_FILE: model_yaml(self), REPORT_FILE: report(self)}


@dataclass(frozen=True)
class Importer:
    """One system's importer, declared in its module as ``IMPORTER``."""

    name: str
    summary: str
    read: Callable[[Path], Imported]
    """Read the system's files at a path (a directory or a file); raises
    :class:`ImportFailed` when they are not that system's files at all."""


def _comment(text: str) -> str:
    """``text`` fit for one YAML comment line: hidden characters escaped, one line."""
    return " ".join(reveal(text).split())


def model_yaml(imported: Imported) -> str:
    """The document as YAML, each entry of a section under a comment naming its origin."""
    document = dict(imported.document)
    keys = [k for k in _SECTION_ORDER if k in document]
    keys += [k for k in document if k not in _SECTION_ORDER]
    lines = [
        f"# Imported by `crmorg import {imported.system}` from {_comment(imported.source)}.",
        "# Check it with: crmorg validate . --select model,access",
    ]
    for key in keys:
        value = document[key]
        if isinstance(value, dict) and value and any((key, k) in imported.origins for k in value):
            lines.append(f"{key}:")
            for entry_id, entry in value.items():
                origin = imported.origins.get((key, entry_id))
                if origin:
                    lines.append(f"  # from {_comment(origin)}")
                dumped = _dump({entry_id: entry})
                lines.extend("  " + line for line in dumped.splitlines())
        else:
            lines.extend(_dump({key: value}).splitlines())
    return "\n".join(lines) + "\n"


class _Dumper(yaml.SafeDumper):
    """Writes text holding a hidden character double-quoted, where YAML has escapes."""


_NOT_PLAIN_TEXT = re.compile(
    r"[-+.]?[0-9.].*|[-+]?\.?(inf|nan)|~|null|true|false|yes|no|on|off|y|n",
    re.IGNORECASE | re.DOTALL,
)
"""What a plain scalar's reader may take for something other than text: anything that
starts like a number (`0E0`, `1e3`, `0o17`, `1_000`, `12:30`), YAML 1.1's and 1.2's
booleans and nulls. PyYAML quotes only what its own YAML 1.1 resolver would misread;
crmorg's readers (and yaml-rs, YAML 1.2) read more as numbers."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    quoted = HIDDEN.search(value) or _NOT_PLAIN_TEXT.fullmatch(value)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"' if quoted else None)


_Dumper.add_representer(str, _text)


def _dump(value: Any) -> str:
    """``value`` as YAML: readable text (Chinese as it is), and every hidden character
    as an escape inside double quotes, so that no reader sees a reordered or invisible
    value and a terminal showing the file is not driven by it."""
    text = yaml.dump(
        value,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=88,
    )
    # Only double-quoted scalars hold a hidden character (see _text), and PyYAML leaves
    # the printable ones among them raw: write those as the escapes YAML reads back.
    return HIDDEN.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def report(imported: Imported) -> str:
    """``IMPORT.md``: what was imported, and every construct it could not carry."""
    counts = ", ".join(
        f"{len(imported.document.get(section) or {})} {section}"
        for section in ("roles", "people", "teams", "departments", "resources", "sharing")
    )
    lines = [
        f"# Imported from {imported.system}",
        "",
        f"Source: `{_cell(imported.source)}`. Model: {counts}.",
        "",
    ]
    if not imported.findings:
        lines += ["Every construct found has a crmorg equivalent.", ""]
    else:
        lines += [
            f"{len(imported.findings)} construct(s) have no crmorg equivalent and are not in "
            "the model:",
            "",
            "| Where | What |",
            "|---|---|",
        ]
        for finding in sorted(imported.findings, key=lambda f: f.sort_key()):
            where = f"{finding.file}:{finding.line}:{finding.column}"
            lines.append(f"| {_cell(where)} | {_cell(finding.message)} |")
        lines.append("")
    return "\n".join(lines)


def _cell(value: str) -> str:
    text = reveal(value)
    for raw, escaped in (("\\", "\\\\"), ("|", "\\|"), ("`", "\\`"), ("<", "&lt;")):
        text = text.replace(raw, escaped)
    return " ".join(text.split())


IMPORTED_FILES = KnownFiles(frozenset({MODEL_FILE, REPORT_FILE}), frozenset())
"""What an import writes: a directory holding only these may be replaced."""


def write_imported(imported: Imported, out_dir: Path, *, force: bool = False) -> list[Path]:
    """Write ``model.yaml`` and ``IMPORT.md`` into ``out_dir``, whole or not at all."""
    return write_directory(Path(out_dir), imported.files(), IMPORTED_FILES, force=force)
