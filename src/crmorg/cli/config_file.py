"""Default options from a configuration file: ``.crmorg.toml`` or ``[tool.crmorg]``.

The file is looked for in the current directory and then each parent (in one
directory, ``.crmorg.toml`` before ``pyproject.toml``; a ``pyproject.toml`` without a
``[tool.crmorg]`` table does not count), and, when none is found there, beside the
model. Its keys are options of ``crmorg validate``; options given on the command line
win over it. A key it does not know, or a value of the wrong kind, is a usage error
naming the file and the line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crmorg.cli.common import UsageError
from crmorg.loading.files import display_name
from crmorg.suggestions import did_you_mean

__all__ = ["CONFIG_FILE", "KEYS", "Defaults", "find_config", "read_defaults"]

CONFIG_FILE = ".crmorg.toml"
PYPROJECT = "pyproject.toml"


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _names(value: object) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    return None


def _levels(value: object) -> list[str] | None:
    """``{kpi = "error"}`` as the command line's ``--severity kpi=error`` words."""
    if isinstance(value, dict) and all(isinstance(level, str) for level in value.values()):
        return [f"{rule}={level}" for rule, level in value.items()]
    return None


KEYS: Mapping[str, tuple[Callable[[object], object], str]] = {
    "format": (_text, "a string, as --format"),
    "select": (_names, "a list of rule names, codes, groups or families, as --select"),
    "ignore": (_names, "a list of rule names, codes, groups or families, as --ignore"),
    "severity": (_levels, 'a table of RULE = "LEVEL", as --severity RULE=LEVEL'),
    "fail-on": (_text, "a string, as --fail-on"),
    "output": (_text, "a file name (relative to the configuration file), as --output"),
}
"""Each key: how its value is read (None when it is of the wrong kind), and what it
must be."""


@dataclass(frozen=True)
class Defaults:
    """Options from a configuration file (``path``), by key; empty when there is none."""

    path: Path | None = None
    values: Mapping[str, object] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The file as messages name it."""
        return display_name(self.path) if self.path is not None else ""

    def get(self, key: str) -> object:
        value = self.values.get(key)
        if key == "output" and isinstance(value, str) and self.path is not None:
            return str(self.path.parent / value)
        return value


def find_config(cwd: Path, beside: Sequence[Path] = ()) -> Path | None:
    """The configuration file for a run in ``cwd`` on the models at ``beside``."""
    for directory in (cwd, *cwd.parents):
        found = _config_in(directory)
        if found is not None:
            return found
    for model in beside:
        found = _config_in(model if model.is_dir() else model.parent)
        if found is not None:
            return found
    return None


def read_defaults(path: Path | None) -> Defaults:
    """The options set in ``path``; raises :class:`UsageError` for a bad file."""
    if path is None:
        return Defaults()
    text = path.read_text(encoding="utf-8")
    table, header = _table(path, text)
    values: dict[str, object] = {}
    for key, raw in table.items():
        where = f"{display_name(path)}:{_line_of(text, header, key)}"
        if key not in KEYS:
            hint = did_you_mean(key, KEYS)
            raise UsageError(
                f"{where}: unknown key `{key}` in {header or path.name}{hint}; "
                f"the keys are: {', '.join(KEYS)}"
            )
        read, expected = KEYS[key]
        value = read(raw)
        if value is None:
            raise UsageError(f"{where}: `{key}` must be {expected}")
        values[key] = value
    return Defaults(path, values)


def _config_in(directory: Path) -> Path | None:
    own = directory / CONFIG_FILE
    if own.is_file():
        return own
    pyproject = directory / PYPROJECT
    if pyproject.is_file() and re.search(r"(?m)^\s*\[tool\.crmorg\]", _read(pyproject)):
        return pyproject
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _table(path: Path, text: str) -> tuple[dict[str, object], str]:
    """The table of options, and its header as written (``""`` for a whole file)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{display_name(path)}: not valid TOML: {exc}") from None
    if path.name != PYPROJECT:
        return document, ""
    tool = document.get("tool", {})
    table = tool.get("crmorg", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise UsageError(f"{display_name(path)}: `tool.crmorg` must be a table")
    return table, "[tool.crmorg]"


def _line_of(text: str, header: str, key: str) -> int:
    """The line that sets ``key`` (in the table under ``header``), or that of the header."""
    lines = text.splitlines()
    start = (
        next((i for i, line in enumerate(lines) if line.strip() == header), -1) if header else -1
    )
    quoted = rf"""["']?{re.escape(key)}["']?"""
    setting = re.compile(rf"^\s*({quoted}\s*[=.]|\[{quoted}\])")
    for index in range(start + 1, len(lines)):
        if header and index > start + 1 and lines[index].lstrip().startswith("["):
            break
        if setting.match(lines[index]):
            return index + 1
    return start + 1 if start >= 0 else 1
