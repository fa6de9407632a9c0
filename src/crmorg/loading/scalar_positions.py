"""Where a character of a YAML scalar's value was written in the file.

A finding about part of a value (the bad token of a KPI formula) should point at that
token, not at the start of the value. YAML changes text on the way in — quotes,
escapes, folded line breaks, block indentation — so an offset into the value is
mapped back through the scalar as written. Every mapping is checked by rebuilding
the value from the file; where it does not match, the scalar's start is returned,
which is never wrong, only less precise.
"""

from __future__ import annotations

from typing import Any

import yaml

from crmorg.findings import Location

__all__ = ["locate_in_scalar"]

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

# One character of the rebuilt value: its text (``None`` for an escape, which is not
# compared) and its 0-based (line, column) in the file.
_Char = tuple[str | None, int, int]
_ESCAPE_LENGTHS = {"x": 4, "u": 6, "U": 10}


def locate_in_scalar(text: str, start: Location, value: str, offset: int) -> Location:
    """The position of ``value[offset]`` for the scalar that starts at ``start``.

    ``text`` is the whole file; ``value`` is the scalar's value as loaded. An offset
    equal to ``len(value)`` points just after the last character.
    """
    node = _scalar_at(text, start)
    if node is None:
        return start
    lines = text.split("\n")
    style = node.style or ""
    if style in ("|", ">"):
        chars = _block_chars(lines, node, folded=style == ">")
    else:
        chars = _flow_chars(lines, node, style)
    if chars is None or not _matches(chars, value):
        return start
    if 0 <= offset < len(chars):
        _, line, column = chars[offset]
    elif offset == len(value) and chars:
        _, line, column = chars[-1]
        column += 1
    else:
        return start
    return Location(start.file, line + 1, column + 1)


def _scalar_at(text: str, start: Location) -> Any:
    """The scalar node whose value starts at ``start``, composed again from ``text``."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, RecursionError, MemoryError):
        return None
    stack = [root] if root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            mark = node.start_mark
            if (mark.line + 1, mark.column + 1) == (start.line, start.column):
                return node
        elif isinstance(node, yaml.MappingNode):
            for key, item in node.value:
                stack.extend((key, item))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return None


def _matches(chars: list[_Char], value: str) -> bool:
    body = value.rstrip("\n")
    if len(chars) < len(body) or any(
        char is not None and char != expected
        for (char, _, _), expected in zip(chars, body, strict=False)
    ):
        return False
    # Whatever follows the body may only be the line breaks a block scalar keeps.
    return all(char == "\n" for char, _, _ in chars[len(body) :])


def _flow_chars(lines: list[str], node: Any, style: str) -> list[_Char] | None:
    """Plain, single- and double-quoted scalars: lines are folded into spaces."""
    first, last = node.start_mark.line, node.end_mark.line
    start_column, end_column = node.start_mark.column, node.end_mark.column
    if style:  # skip the quotes
        start_column += 1
        end_column -= 1
    chars: list[_Char] = []
    blank_lines = 0
    for row in range(first, last + 1):
        if row >= len(lines):
            return None
        line = lines[row]
        begin = start_column if row == first else 0
        end = end_column if row == last else len(line)
        segment = line[begin:end]
        if row != first:
            stripped = segment.lstrip(" \t")
            begin += len(segment) - len(stripped)
            segment = stripped
        if row != last:
            segment = segment.rstrip(" \t")
        if row != first and not segment and row != last:
            blank_lines += 1
            continue
        if row != first:
            # A line break folds into a space; blank lines in between become breaks.
            if blank_lines:
                chars.extend(("\n", row, 0) for _ in range(blank_lines))
            else:
                chars.append((" ", row, max(begin - 1, 0)))
            blank_lines = 0
        if style == '"' and segment.endswith("\\") and row != last:
            return None  # an escaped line break: rare, and not worth mapping
        chars.extend(_unquote(segment, style, row, begin))
    return chars


def _unquote(segment: str, style: str, row: int, begin: int) -> list[_Char]:
    chars: list[_Char] = []
    index = 0
    while index < len(segment):
        char = segment[index]
        if style == '"' and char == "\\":
            length = _ESCAPE_LENGTHS.get(segment[index + 1 : index + 2], 2)
            chars.append((None, row, begin + index))
            index += length
        elif style == "'" and segment.startswith("''", index):
            chars.append(("'", row, begin + index))
            index += 2
        else:
            chars.append((char, row, begin + index))
            index += 1
    return chars


def _block_chars(lines: list[str], node: Any, *, folded: bool) -> list[_Char] | None:
    """Literal (``|``) and folded (``>``) block scalars, with the common indentation."""
    first = node.start_mark.line + 1
    last = node.end_mark.line if node.end_mark.column == 0 else node.end_mark.line + 1
    rows = list(range(first, min(last, len(lines))))
    content = [row for row in rows if lines[row].strip()]
    if not content:
        return None
    indent = len(lines[content[0]]) - len(lines[content[0]].lstrip(" "))
    chars: list[_Char] = []
    previous_text = False
    for row in rows:
        line = lines[row]
        text = line[indent:] if line.strip() else ""
        if chars or text:
            if folded and text and previous_text and not text.startswith(" "):
                chars[-1] = (" ", chars[-1][1], chars[-1][2])
            chars.extend((char, row, indent + index) for index, char in enumerate(text))
            chars.append(("\n", row, indent + len(text)))
        previous_text = bool(text) and not text.startswith(" ")
    return chars
