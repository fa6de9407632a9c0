"""Positions of one block-style entry, read from its lines without a YAML parser.

Validating a large model can need the positions of thousands of entries (one finding per
role, say); reading each of them with PyYAML costs far more than the fast parse of the
whole file. Entries as people and generators write them are a few lines of
``key: value`` pairs, nested by indentation, whose values are plain words or flow
collections on one line. This scan reads exactly that subset and gives the very
positions the positioned reader (:mod:`crmorg.loading.yaml_nodes`) records for it;
anything else (quotes, block sequences, multi-line values, anchors, odd characters...)
makes it give up, and the caller reads the entry with PyYAML instead.
"""

from __future__ import annotations

import re
from functools import cache

Point = tuple[int, int]
"""A 0-based line (within the entry's text) and 0-based column."""
EntryPath = tuple[str | int, ...]
Positions = dict[EntryPath, tuple[Point, Point | None]]
"""Path within the entry's text -> the position of its value and of its key, if any."""

MAX_DEPTH = 16
"""Deeper entries are left to PyYAML, which checks the nesting bound."""
_OTHER = "\u00a1-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff"
"""Printable characters beyond ASCII (no BOM, no YAML 1.1 line breaks, no NBSP)."""
_UNSURE_CHARACTER = re.compile(f"[^\\n\\x20-\\x7e{_OTHER}]")
# Once every character is known to be sure, any beyond ASCII may be in a word: the
# classes below name them as "not ASCII", which keeps the patterns quick to compile.
_FIRST = "[^\\x00-\\x2f\\x3a-\\x40\\x5b-\\x5e\\x60\\x7b-\\x7f]"  # letters, digits, _
_LATER = "[^\\x00-\\x26\\x2a\\x2c\\x3a-\\x3f\\x5b-\\x5e\\x60\\x7b-\\x7f]"  # and '()+-./@
_KEY_LATER = "[^\\x00-\\x2c\\x2e\\x2f\\x3a-\\x40\\x5b-\\x5e\\x60\\x7b-\\x7f]"  # and -
_WORDS = re.compile(f"{_FIRST}{_LATER}*(?: +{_LATER}+)*")
_WORDS_PATTERN = _WORDS.pattern
_KEY_PATTERN = f"{_FIRST}{_KEY_LATER}*"
_CLOSERS = {"{": "}", "[": "]"}


def _flow_pattern(depth: int) -> str:
    """A flow collection on one line, nested at most ``depth`` levels."""
    item = _WORDS_PATTERN if depth == 1 else f"(?:{_WORDS_PATTERN}|{_flow_pattern(depth - 1)})"
    pair = f"{_WORDS_PATTERN}: +{item}"
    return f"(?:\\{{ *(?:{pair}(?: *, *{pair})* *)?\\}}|\\[ *(?:{item}(?: *, *{item})* *)?\\])"


_LINE = (
    f"(?: *{_KEY_PATTERN}:(?: +(?:{_WORDS_PATTERN}|{_flow_pattern(2)}))?(?: +#[^\\n]*)? *"
    "| *(?:#[^\\n]*)?)"
)


@cache
def _simple() -> re.Pattern[str]:
    """Plain lines only (compiled on first use: a model with no finding never needs it)."""
    return re.compile(f"{_LINE}(?:\\n{_LINE})*")


_LONG_LINE = re.compile("[^\\n]{1000}")  # YAML's simple keys end within 1,024 characters


def _nesting_pattern(levels: int) -> str:
    """Entries whose key lines nest as PyYAML reads them, ``levels`` deep below the root.

    Only indentation is checked here (``_simple()`` checks each line): a key's children
    are indented alike and deeper than it, after a key without a value on its line;
    every other line is a sibling of an open mapping. Group ``i<n>`` holds the
    indentation added at level ``n``.
    """
    body = ""
    for level in range(levels, 0, -1):
        outer = "".join(f"(?P=i{n})" for n in range(level))
        nested = f"{_BLANKS}(?:{body})?" if body else ""
        body = (
            f"(?=\\n{outer}(?P<i{level}> +)[^ ])"
            f"(?:\\n{outer}(?P=i{level}){_KEY_TO_COLON}(?:{_INLINE}|{_EMPTY}{nested}){_BLANKS})++"
        )
    return f"(?P<i0> +){_KEY_TO_COLON}(?:{_INLINE}|{_EMPTY}{_BLANKS}(?:{body})?){_BLANKS}"


_KEY_TO_COLON = "[^ #\\n:][^:\\n]*:"
_INLINE = " +[^ #\\n][^\\n]*"
_EMPTY = "(?: +#[^\\n]*)? *(?=\\n|\\Z)"
_BLANKS = "(?:\\n *(?:#[^\\n]*)?(?=\\n|\\Z))*+"


@cache
def _nesting() -> re.Pattern[str]:
    return re.compile(_nesting_pattern(3))


class BlockEntry:
    """An entry of plain ``key: value`` lines, whose positions are found when asked for."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    @property
    def root(self) -> Point:
        """Where the entry's root mapping starts: its key."""
        first = self.lines[0]
        return (0, len(first) - len(first.lstrip(" ")))

    def locate(self, path: EntryPath) -> tuple[EntryPath, Point, Point | None]:
        """The deepest prefix of ``path`` (its first part the entry's id) the entry holds,
        with the positions of its value and key: what PyYAML records for that prefix."""
        number, indent = 0, self.root[1]
        depth = 1
        while True:
            key = (number, indent)
            value = self._value_of(number)
            kind, line, column = value
            if depth == len(path):
                return path, (line, column), key
            if kind == "flow":
                positions: Positions = {}
                _flow(self.lines[line], column, path[:depth], key, line, positions)
                for end in range(len(path), depth - 1, -1):
                    found = positions.get(path[:end])
                    if found is not None:
                        return path[:end], found[0], found[1]
            if kind != "block":
                return path[:depth], (line, column), key
            child = self._find_key(line, column, path[depth])
            if child is None:
                return path[:depth], (line, column), key
            number, indent = child, column
            depth += 1

    def _value_of(self, number: int) -> tuple[str, int, int]:
        """The kind of the value of the key on line ``number`` and where it starts."""
        line = self.lines[number]
        colon = line.index(":")
        start = _skip_spaces(line, colon + 1)
        if start < len(line) and line[start] != "#":
            return ("flow" if line[start] in _CLOSERS else "words", number, start)
        for below in range(number + 1, len(self.lines)):
            text = self.lines[below]
            stripped = text.lstrip(" ")
            if stripped and stripped[0] != "#":
                indent = len(text) - len(stripped)
                if indent > len(line) - len(line.lstrip(" ")):
                    return ("block", below, indent)  # a block mapping starts at its first key
                break
        return ("empty", number, colon + 1)  # PyYAML puts an empty value after the colon

    def _find_key(self, first: int, indent: int, name: str | int) -> int | None:
        """The line of the first key ``name`` in the block mapping from line ``first``."""
        for number in range(first, len(self.lines)):
            text = self.lines[number]
            stripped = text.lstrip(" ")
            if not stripped or stripped[0] == "#":
                continue
            here = len(text) - len(stripped)
            if here < indent:
                return None
            if here == indent and stripped[: stripped.index(":")] == name:
                return number
        return None


def simple_entry(text: str) -> BlockEntry | None:
    """``text`` as a :class:`BlockEntry`, or ``None`` when PyYAML must read it.

    ``text`` starts with the entry's key line; the positions are those PyYAML records
    when it reads ``text`` alone as a document, the root mapping at path ``()``.
    """
    if _UNSURE_CHARACTER.search(text) or _LONG_LINE.search(text) or not _simple().fullmatch(text):
        return None  # a line outside the subset
    if not _nesting().fullmatch(text):
        return None
    return BlockEntry(text.split("\n"))


def _flow(
    line: str,
    start: int,
    path: EntryPath,
    key: Point | None,
    number: int,
    positions: Positions,
) -> int:
    """Record the flow collection at ``line[start]``; the index after it.

    The line has matched ``_simple()``, so the collection is well formed.
    """
    opener = line[start]
    closer = _CLOSERS[opener]
    positions[path] = ((number, start), key)
    at = _skip_spaces(line, start + 1)
    seen: set[str] = set()
    index = 0
    while not line.startswith(closer, at):
        into = positions
        child: EntryPath
        child_key: Point | None = None
        if opener == "{":
            words = _WORDS.match(line, at)
            assert words is not None
            name = words.group()
            if name in seen:
                into = {}  # PyYAML keeps the first of two equal keys
            seen.add(name)
            child, child_key = (*path, name), (number, at)
            at = _skip_spaces(line, words.end() + 1)
        else:
            child = (*path, index)
            index += 1
        if line.startswith(("{", "["), at):
            at = _flow(line, at, child, child_key, number, into)
        else:
            words = _WORDS.match(line, at)
            assert words is not None
            into[child] = ((number, at), child_key)
            at = words.end()
        at = _skip_spaces(line, at)
        if line.startswith(",", at):
            at = _skip_spaces(line, at + 1)
    return at + 1


def _skip_spaces(line: str, at: int) -> int:
    while at < len(line) and line[at] == " ":
        at += 1
    return at
