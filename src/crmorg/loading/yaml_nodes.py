"""Turn one YAML text into plain Python data, recording where every value was written.

PyYAML composes the node graph (with its C parser when present); nothing is ever
*constructed* by PyYAML, so no tag can run code. This module converts nodes itself,
with YAML 1.2 core-schema scalars: ``yes``/``no``/``on``/``off`` are reported instead of
silently becoming booleans, dates and sexagesimal numbers stay text, ``1e3`` and ``0o17``
are numbers and ``0b11``, ``-0x1F`` and ``0X1F`` are text. PyYAML's own (YAML 1.1) guesses
at plain scalars are never consulted, so that the fast reader (:mod:`crmorg.loading.fast_yaml`,
YAML 1.2) and this one give every plain scalar one meaning. A number must be finite:
``.nan``, ``.inf`` and ``1e400`` are schema findings wherever they are written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

from crmorg.findings import Finding, Location, Path
from crmorg.loading.identities import make_finding
from crmorg.loading.limits import DEFAULT_LIMITS, Limits, exceeded
from crmorg.text import printable

try:
    _BaseLoader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader

_PLAIN_SCALAR_TAG = "?"
"""The tag of an untagged plain scalar: the converter alone decides what it is."""
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _CoreSchemaLoader(_BaseLoader):  # type: ignore[misc]
    """PyYAML's reader with its YAML 1.1 scalar resolution switched off.

    Plain scalars are tagged ``?`` (merge keys excepted, so they can be reported), and
    :meth:`_Converter.scalar` applies the YAML 1.2 core schema to them.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0]:
            return _MERGE_TAG if value == "<<" else _PLAIN_SCALAR_TAG
        return super().resolve(kind, value, implicit)


_Loader: Any = _CoreSchemaLoader

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
# The words YAML 1.1 loaders (PyYAML among them) turn into booleans. YAML 1.1's `y`
# and `n` are left out: loaders in practice read them as text, as YAML 1.2 does.
_YAML11_BOOLS = frozenset(
    word for base in ("yes", "no", "on", "off") for word in (base, base.capitalize(), base.upper())
)
_INT = re.compile(r"[-+]?[0-9]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_OCT = re.compile(r"0o[0-7]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_SPECIAL_FLOATS = {
    ".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
    "+.inf": float("inf"), "+.Inf": float("inf"), "+.INF": float("inf"),
    "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
    ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan"),
}  # fmt: skip
_PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "value")
)
_STR_TAG = "tag:yaml.org,2002:str"

Recorder = Callable[[Path, Location, Location | None], None]


class _Abort(Exception):
    """Conversion cannot go on (a bound was exceeded); the finding is already recorded."""


@dataclass
class ParsedYaml:
    """One file's data, or ``None`` when it could not be read, plus its findings."""

    data: Any
    findings: list[Finding] = field(default_factory=list)


def _location(file: str, mark: Any) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


def parse_yaml(
    text: str, file: str, record: Recorder, limits: Limits = DEFAULT_LIMITS
) -> ParsedYaml:
    """Parse ``text`` (one document) into plain data; positions go to ``record``."""
    findings: list[Finding] = []
    start = Location(file, 1, 1)
    try:
        bound = _exceeded_bound(text, limits)
        if bound is not None:
            mark, message = bound
            findings.append(make_finding("limit-exceeded", message, _location(file, mark)))
            return ParsedYaml(None, findings)
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _location(file, mark) if mark is not None else start
        tab = _indenting_tab(text, mark) if mark is not None else None
        if mark is not None and tab is not None:
            # Tabs are fine inside text (block scalars, quotes, flow collections), so
            # they are only blamed when they are where the parser gave up.
            message = (
                "a tab is used for indentation; YAML allows only spaces there: "
                "replace the tab with spaces"
            )
            where = Location(file, mark.line + 1, tab)
        else:
            problem = exc.problem or exc.context or "cannot be parsed"
            context = f" ({exc.context})" if exc.context and exc.problem else ""
            started = exc.context_mark
            if context and started is not None and _location(file, started) != where:
                # Where the unfinished construct began: an unclosed quote or bracket.
                context = f" ({exc.context}, which begins at {_location(file, started)})"
            message = f"not valid YAML: {problem}{context}; fix the syntax at this position"
        findings.append(make_finding("yaml-syntax", message, where))
        return ParsedYaml(None, findings)
    except yaml.reader.ReaderError as exc:
        findings.append(
            make_finding(
                "yaml-syntax",
                f"the character U+{exc.character:04X} is not allowed in YAML text "
                "(a control character or a non-character); remove it",
                _text_location(file, text, _character_index(text, exc.position)),
            )
        )
        return ParsedYaml(None, findings)
    except (yaml.YAMLError, RecursionError, MemoryError) as exc:
        findings.append(
            make_finding(
                "yaml-syntax",
                f"not valid YAML: {type(exc).__name__}: {str(exc)[:200]}; "
                "check the file's syntax and nesting",
                start,
            )
        )
        return ParsedYaml(None, findings)
    if len(nodes) > 1:
        second = nodes[1]
        findings.append(
            make_finding(
                "yaml-syntax",
                "the file holds more than one YAML document (`---`); "
                "put each document in a file of its own",
                _location(file, second.start_mark) if second is not None else start,
            )
        )
        return ParsedYaml(None, findings)
    if not nodes or nodes[0] is None:
        return ParsedYaml(None, findings)
    converter = _Converter(file, record, limits, findings)
    try:
        data = converter.convert(nodes[0], (), 0)
    except _Abort:
        return ParsedYaml(None, findings)
    return ParsedYaml(data, findings)


def _character_index(text: str, position: int) -> int:
    """Where the reader stopped, in characters: libyaml counts bytes of the UTF-8 text."""
    if _BaseLoader is yaml.SafeLoader:
        return position
    return len(text.encode("utf-8")[:position].decode("utf-8", errors="ignore"))


def _text_location(file: str, text: str, index: int) -> Location:
    """The line and column of character ``index``, counting line breaks as YAML does.

    The reader stops at the first character it refuses, so the text before it holds
    only YAML's line breaks (LF, CR, CRLF, NEL, LS, PS), exactly what ``splitlines`` splits.
    """
    lines = text[:index].splitlines(keepends=True)
    if not lines or lines[-1].splitlines() != [lines[-1]]:
        return Location(file, len(lines) + 1, 1)
    return Location(file, len(lines), len(lines[-1]) + 1)


def _exceeded_bound(text: str, limits: Limits) -> tuple[Any, str] | None:
    """Where nesting or alias expansion first exceeds ``limits``, and what to say.

    PyYAML's composer (the C one too) recurses once per level of nesting, so tens of
    thousands of ``[`` crash the interpreter's stack before the converter can check
    any bound; the event stream is flat, so it is measured first. Alias expansion is
    measured here too, so that an alias bomb is reported at the alias that sets it off.
    Every node counts, keys included, so this bound is slightly stricter than the
    converter's, which stays as a second line of defence.

    crmorg's bounds must not depend on the parser's release. libyaml reads up to 1,024
    characters ahead of the last event (a flow collection may turn out to be a key), and
    newer releases stop at a nesting limit of their own while doing so, before crmorg
    has seen the collection that crosses its bound. When the C parser gives up where the
    text it had not yet turned into events could hold that collection, the pure-Python
    parser, which has no such limit, measures again up to the place the C parser
    stopped; its verdict is the bound's, and the C parser's error stands otherwise.
    """
    measure = _BoundMeter(limits)
    try:
        return measure.events(yaml.parse(text, Loader=_BaseLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if _BaseLoader is yaml.SafeLoader or mark is None or not measure.may_cross(text, mark):
            raise
        try:
            found = _BoundMeter(limits).events(yaml.parse(text, Loader=yaml.SafeLoader), mark)
        except yaml.YAMLError:
            found = None
        if found is None:
            raise
        return found


class _BoundMeter:
    """Measures an event stream against the depth and alias bounds."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.open_collections: list[tuple[str | None, int]] = []
        self.last_index = 0

    def may_cross(self, text: str, mark: Any) -> bool:
        """Whether the text between the last event and ``mark`` could cross the depth bound.

        Only flow collections let libyaml read that far ahead; each needs a bracket.
        """
        budget = self.limits.max_nesting_depth - len(self.open_collections)
        window = slice(self.last_index, max(self.last_index, int(mark.index)) + 1)
        ahead = text[window]
        return ahead.count("[") + ahead.count("{") >= budget

    def events(self, stream: Iterable[Any], stop: Any = None) -> tuple[Any, str] | None:
        """The first bound ``stream`` crosses, looking no further than the mark ``stop``."""
        limits = self.limits
        open_collections = self.open_collections
        anchored_sizes: dict[str, int] = {}
        expanded = 0
        for event in stream:
            self.last_index = event.start_mark.index
            if stop is not None and self.last_index > stop.index:
                return None
            if isinstance(event, yaml.CollectionStartEvent):
                if len(open_collections) > limits.max_nesting_depth:
                    return event.start_mark, _too_deep_message(limits)
                open_collections.append((event.anchor, 1))
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                anchor, size = open_collections.pop()
            elif isinstance(event, yaml.ScalarEvent):
                anchor, size = event.anchor, 1
            elif isinstance(event, yaml.AliasEvent):
                anchor, size = None, anchored_sizes.get(event.anchor or "", 1)
                expanded += size
                if expanded > limits.max_alias_nodes:
                    return event.start_mark, _alias_bomb_message(limits)
            else:
                continue
            if anchor is not None:
                anchored_sizes[anchor] = size
            if open_collections:
                parent_anchor, parent_size = open_collections[-1]
                open_collections[-1] = (parent_anchor, parent_size + size)
        return None


def _alias_bomb_message(limits: Limits) -> str:
    return exceeded(
        "max_alias_nodes",
        limits.max_alias_nodes,
        "aliases expand to more nodes (an alias bomb?)",
        "the file was not read: write the values out instead of repeating aliases",
    )


def _too_deep_message(limits: Limits) -> str:
    return exceeded(
        "max_nesting_depth",
        limits.max_nesting_depth,
        "the values nest more levels deep",
        "the file was not read: a crmorg model never needs this, flatten the structure",
    )


def _indenting_tab(text: str, mark: Any) -> int | None:
    """The 1-based column of the tab that stopped the parser at ``mark``, if one did.

    That is the character at ``mark`` itself, or a tab in the whitespace that indents
    the line ``mark`` is on.
    """
    index: int = mark.index
    column: int = mark.column
    if not 0 <= index - column <= index < len(text):
        return None
    if text[index] == "\t":
        return column + 1
    line = text[index - column : index]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    tab = indent.find("\t")
    return tab + 1 if tab >= 0 else None


class _Converter:
    def __init__(
        self, file: str, record: Recorder, limits: Limits, findings: list[Finding]
    ) -> None:
        self.file = file
        self.record = record
        self.limits = limits
        self.findings = findings
        self.seen: set[int] = set()
        self.alias_nodes = 0
        self.in_alias = 0

    def fail(self, message: str, node: Any, rule: str = "yaml-syntax") -> None:
        self.findings.append(make_finding(rule, message, _location(self.file, node.start_mark)))

    def schema(self, message: str, node: Any) -> None:
        self.findings.append(make_finding("schema", message, _location(self.file, node.start_mark)))

    def convert(self, node: Any, path: Path, depth: int, key: Location | None = None) -> Any:
        if depth > self.limits.max_nesting_depth:
            self.fail(_too_deep_message(self.limits), node, "limit-exceeded")
            raise _Abort
        node_id = id(node)
        alias = node_id in self.seen
        if alias:
            self.in_alias += 1
        else:
            self.seen.add(node_id)
        try:
            if self.in_alias:
                self.alias_nodes += 1
                if self.alias_nodes > self.limits.max_alias_nodes:
                    self.fail(_alias_bomb_message(self.limits), node, "limit-exceeded")
                    raise _Abort
            self.record(path, _location(self.file, node.start_mark), key)
            self.check_tag(node)
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, path, depth)
            if isinstance(node, yaml.SequenceNode):
                return [
                    self.convert(item, (*path, index), depth + 1)
                    for index, item in enumerate(node.value)
                ]
            return self.scalar(node, path)
        finally:
            if alias:
                self.in_alias -= 1

    def check_tag(self, node: Any) -> None:
        tag = node.tag
        if tag and tag.startswith("tag:yaml.org,2002:") and tag in _PLAIN_TAGS:
            return
        if tag in (None, "!", "?"):
            return
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        self.fail(
            f"the YAML tag `{shown}` is not allowed: crmorg reads plain YAML only; remove the tag",
            node,
        )
        raise _Abort

    def mapping(self, node: Any, path: Path, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_key: dict[Any, Location] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                self.fail("YAML merge keys (`<<`) are not supported; write the keys out", key_node)
                raise _Abort
            if not isinstance(key_node, yaml.ScalarNode):
                self.schema("a mapping key must be plain text, not a list or mapping", key_node)
                continue
            self.check_tag(key_node)
            key = self.scalar(key_node)
            key_location = _location(self.file, key_node.start_mark)
            if not isinstance(key, str):
                key = key_node.value  # as written: `~`, not "None"
                self.schema(
                    f"the key `{key_node.value}` must be text; quote it "
                    f'("{key_node.value}") if you mean the text',
                    key_node,
                )
            if key in first_key:
                earlier = first_key[key]
                self.findings.append(
                    make_finding(
                        "duplicate-id",
                        f"`{printable(key)}` is defined twice in this mapping, first at line "
                        f"{earlier.line}:{earlier.column}; keep one of them",
                        key_location,
                        (key,),
                    )
                )
                continue
            first_key[key] = key_location
            result[key] = self.convert(value_node, (*path, key), depth + 1, key_location)
        return result

    def scalar(self, node: Any, path: Path = ()) -> Any:
        value: str = node.value
        if len(value) > self.limits.max_scalar_chars:
            self.fail(
                exceeded(
                    "max_scalar_chars",
                    self.limits.max_scalar_chars,
                    f"a value of {len(value):,} characters",
                    "the file was not read: shorten it",
                ),
                node,
                "limit-exceeded",
            )
            raise _Abort
        if node.style or node.tag == _STR_TAG:
            return value
        if value in _NULLS:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        if value in _YAML11_BOOLS and not _level_word(path, value):
            self.schema(
                f"unquoted `{value}` is ambiguous: YAML 1.1 reads it as a boolean. "
                f'Write "{value}" in quotes for text, or true/false for a yes/no flag',
                node,
            )
            return value
        integer = _integer(value)
        if integer is not None:
            if len(value) > _MAX_INT_CHARS:
                self.schema(
                    f"a number of {len(value):,} characters; crmorg reads whole numbers of "
                    f"at most {_MAX_INT_CHARS} characters: write a smaller number",
                    node,
                )
                return value
            return int(value[2:], 8) if integer == 8 else int(value, integer)
        number = float(value) if _FLOAT.fullmatch(value) else _SPECIAL_FLOATS.get(value, value)
        if isinstance(number, float) and not math.isfinite(number):
            self.schema(
                f"`{value}` is not a finite number; crmorg numbers are finite: write a "
                f'number, or quote it ("{value}") if you mean the text',
                node,
            )
            return value
        return number


_MAX_INT_CHARS = 4_000  # below Python's limit on converting text to int (4,300 digits)


def _integer(value: str) -> int | None:
    """The base of ``value`` if it is a YAML 1.2 integer (10, 16 or 8), else ``None``."""
    if _INT.fullmatch(value):
        return 10
    if _HEX.fullmatch(value):
        return 16
    if _OCT.fullmatch(value):
        return 8
    return None


def _level_word(path: Path, value: str) -> bool:
    """``off`` is the documented level in ``settings.rules``: it is text there, not a flag."""
    return value == "off" and len(path) == 3 and path[:2] == ("settings", "rules")
