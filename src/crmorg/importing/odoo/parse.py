"""Reading an Odoo module's files without running any of them.

The manifest is read with :func:`ast.literal_eval`; XML with lxml, entities unresolved
and no network; ``eval`` attributes (``[(6, 0, [ref('x')])]``, ``Command.link(ref(...))``,
``True``) and domains (``['|', ('user_id', '=', user.id), ...]``) are parsed with
:func:`ast.parse` and only literals, ``ref('...')`` calls and expressions over ``user``
are understood: nothing in the files is evaluated.
"""

from __future__ import annotations

import ast
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmorg.export.odoo.domains import Leaf, UserValue
from crmorg.importing.core import ImportFailed
from crmorg.importing.xml import parse_xml

MAX_FILE = 8 * 1024 * 1024
"""Bytes: a larger file is refused."""
MAX_DOMAIN = 20_000
"""Characters of one domain or ``eval`` expression."""


def read_text(path: Path, shown: str) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            raise ImportFailed(f"{shown}: {size} bytes is more than an Odoo security file holds")
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed(f"{shown}: not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise ImportFailed(f"{shown}: cannot be read ({error.strerror})") from None


def read_manifest(path: Path, shown: str) -> dict[str, Any]:
    text = read_text(path, shown)
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, RecursionError, MemoryError):
        raise ImportFailed(
            f"{shown}: not an Odoo manifest (one Python dict literal); give the folder of "
            "an Odoo addon module"
        ) from None
    if not isinstance(value, dict):
        raise ImportFailed(f"{shown}: an Odoo manifest is one dict literal")
    return value


def key_line(text: str, key: str) -> int:
    """The line of the manifest on which ``key`` is written (1 if not found)."""
    for number, line in enumerate(text.splitlines(), 1):
        if f"'{key}'" in line or f'"{key}"' in line:
            return number
    return 1


@dataclass
class Field:
    name: str
    text: str | None
    attrs: dict[str, str]
    line: int
    column: int


@dataclass
class Record:
    """A ``<record>`` of an XML data file, its fields by name."""

    file: str
    xmlid: str
    model: str
    line: int
    column: int
    fields: dict[str, Field] = field(default_factory=dict)

    def value(self, name: str) -> str | None:
        found = self.fields.get(name)
        if found is None:
            return None
        if "ref" in found.attrs:
            return found.attrs["ref"]
        if "eval" in found.attrs:
            return found.attrs["eval"]
        return found.text

    def ref(self, name: str) -> str | None:
        found = self.fields.get(name)
        return None if found is None else found.attrs.get("ref")


@dataclass
class Other:
    """Any other element of a data file (``menuitem``, ``function``, ``template``...)."""

    file: str
    tag: str
    attrs: dict[str, str]
    line: int
    column: int


def _column(lines: list[str], line: int, tag: str) -> int:
    if 0 < line <= len(lines):
        found = lines[line - 1].find("<" + tag)
        if found >= 0:
            return found + 1
    return 1


def read_xml(path: Path, shown: str) -> tuple[list[Record], list[Other]]:
    text = read_text(path, shown)
    root = parse_xml(text.encode("utf-8"), shown, hint="give the module's file as it is")
    if root.tag not in ("odoo", "openerp"):
        raise ImportFailed(f"{shown}: not an Odoo data file (its root is <{root.tag}>, not <odoo>)")
    lines = text.splitlines()
    records: list[Record] = []
    others: list[Other] = []
    containers = [root, *(child for child in root if child.tag == "data")]
    for container in containers:
        for element in container:
            if not isinstance(element.tag, str) or element.tag == "data":
                continue
            line = element.sourceline or 1
            column = _column(lines, line, element.tag)
            attrs = {str(k): str(v) for k, v in element.attrib.items()}
            if element.tag != "record":
                others.append(Other(shown, element.tag, attrs, line, column))
                continue
            record = Record(shown, attrs.get("id", ""), attrs.get("model", ""), line, column)
            for child in element:
                if not isinstance(child.tag, str) or child.tag != "field":
                    continue
                child_attrs = {str(k): str(v) for k, v in child.attrib.items()}
                child_line = child.sourceline or line
                record.fields[child_attrs.get("name", "")] = Field(
                    child_attrs.get("name", ""),
                    "".join(child.itertext()) if len(child) or child.text else None,
                    child_attrs,
                    child_line,
                    _column(lines, child_line, "field"),
                )
            records.append(record)
    return records, others


@dataclass
class AccessRow:
    file: str
    line: int
    xmlid: str
    name: str
    model: str
    group: str
    perms: frozenset[str]


ACCESS_PERMS = ("perm_read", "perm_write", "perm_create", "perm_unlink")


def read_access(path: Path, shown: str) -> list[AccessRow]:
    text = read_text(path, shown)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    needed = ("id", "model_id:id", "group_id:id", *ACCESS_PERMS)
    if header is None or any(column not in header for column in needed):
        raise ImportFailed(
            f"{shown}: not an Odoo access-rights file (its header needs {', '.join(needed)})"
        )
    index = {column: header.index(column) for column in header}
    rows: list[AccessRow] = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        cells = row + [""] * (len(header) - len(row))

        def cell(column: str, cells: list[str] = cells) -> str:
            return cells[index[column]].strip() if column in index else ""

        perms = frozenset(p for p in ACCESS_PERMS if cell(p) in ("1", "True", "true"))
        rows.append(
            AccessRow(
                shown,
                reader.line_num,
                cell("id"),
                cell("name"),
                cell("model_id:id"),
                cell("group_id:id"),
                perms,
            )
        )
    return rows


class NotUnderstood(ValueError):
    """An expression outside the small grammar this reader knows."""


def _parse(text: str) -> ast.expr:
    if len(text) > MAX_DOMAIN:
        raise NotUnderstood("too long")
    try:
        return ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        raise NotUnderstood("not a Python expression") from None


def _ref(node: ast.expr) -> str | None:
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "ref"
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return node.args[0].value
    return None


def _refs(node: ast.expr) -> list[str]:
    found = _ref(node)
    if found is not None:
        return [found]
    if isinstance(node, ast.List | ast.Tuple):
        return [r for element in node.elts for r in _refs_only(element)]
    raise NotUnderstood("not a list of ref()")


def _refs_only(node: ast.expr) -> list[str]:
    found = _ref(node)
    if found is None:
        raise NotUnderstood("not ref()")
    return [found]


def x2many_refs(text: str) -> tuple[list[str], list[str]]:
    """The records a many2many ``eval`` links (``[(4, ref('x'))]``, ``[(6, 0, [...])]``,
    ``[Command.link(ref('x'))]``, ``Command.set([...])``) and the commands it holds that
    are not links (unlink, clear, create...), as text."""
    node = _parse(text)
    commands = node.elts if isinstance(node, ast.List) else [node]
    linked: list[str] = []
    other: list[str] = []
    for command in commands:
        if isinstance(command, ast.Tuple) and command.elts:
            code = command.elts[0]
            if isinstance(code, ast.Constant) and code.value == 4 and len(command.elts) >= 2:
                linked += _refs_only(command.elts[1])
                continue
            if isinstance(code, ast.Constant) and code.value == 6 and len(command.elts) == 3:
                linked += _refs(command.elts[2])
                continue
        if (
            isinstance(command, ast.Call)
            and isinstance(command.func, ast.Attribute)
            and isinstance(command.func.value, ast.Name)
            and command.func.value.id == "Command"
            and len(command.args) == 1
        ):
            if command.func.attr == "link":
                linked += _refs_only(command.args[0])
                continue
            if command.func.attr == "set":
                linked += _refs(command.args[0])
                continue
        other.append(ast.unparse(command))
    return linked, other


def boolean(text: str | None, default: bool = True) -> bool:
    if text is None:
        return default
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        return default
    return bool(value)


Term = Any
"""A parsed domain: a :class:`Leaf`, or ``("|", a, b)``, ``("&", a, b)``, ``("!", a)``."""


def _user_value(node: ast.expr) -> UserValue:
    """``user.id``, ``user.employee_ids.department_id.ids``, ``user.env.ref('x').ids``."""
    current = node
    while True:
        if isinstance(current, ast.Attribute):
            current = current.value
        elif isinstance(current, ast.Call) and _ref_call(current):
            assert isinstance(current.func, ast.Attribute)
            current = current.func.value
        else:
            break
    if isinstance(current, ast.Name) and current.id == "user":
        return UserValue(ast.unparse(node))
    raise NotUnderstood("not a value")


def _ref_call(node: ast.Call) -> bool:
    return (
        isinstance(node.func, ast.Attribute)
        and node.func.attr == "ref"
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    )


def _value(node: ast.expr) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List | ast.Tuple):
        values = [_value(e) for e in node.elts]
        if all(isinstance(v, str) for v in values):
            return tuple(values)
        raise NotUnderstood("a list of values other than text")
    return _user_value(node)


def _token(node: ast.expr) -> str | Leaf:
    if isinstance(node, ast.Constant) and node.value in ("|", "&", "!"):
        return str(node.value)
    if isinstance(node, ast.Tuple | ast.List) and len(node.elts) == 3:
        path, operator, value = node.elts
        if not (isinstance(path, ast.Constant) and isinstance(path.value, str | int)):
            raise NotUnderstood("a leaf's path")
        if not (isinstance(operator, ast.Constant) and isinstance(operator.value, str)):
            raise NotUnderstood("a leaf's operator")
        return Leaf(path.value, operator.value, _value(value))
    raise NotUnderstood("a domain term")


def parse_domain(text: str) -> Term:
    """The domain as a term tree (consecutive terms AND-ed, as Odoo does); raises
    :class:`NotUnderstood` for anything outside the grammar."""
    node = _parse(text)
    if not isinstance(node, ast.List | ast.Tuple):
        raise NotUnderstood("not a list")
    try:
        return tokens_term([_token(e) for e in node.elts])
    except RecursionError:
        raise NotUnderstood("nested too deep") from None


def tokens_term(tokens: list[str | Leaf] | tuple[str | Leaf, ...]) -> Term:
    position = 0

    def term() -> Term:
        nonlocal position
        if position >= len(tokens):
            raise NotUnderstood("an operator without its operands")
        token = tokens[position]
        position += 1
        if token == "!":
            return ("!", term())
        if token in ("|", "&"):
            left = term()
            return (token, left, term())
        return token

    terms = []
    while position < len(tokens):
        terms.append(term())
    if not terms:
        return ("&",)  # the empty domain: every record
    found = terms[-1]
    for earlier in reversed(terms[:-1]):
        found = ("&", earlier, found)
    return found
