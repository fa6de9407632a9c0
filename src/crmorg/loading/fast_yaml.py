"""A fast first parse for large, plain model files.

The Rust parser ``yaml-rs`` (a dependency wherever it ships wheels) reads plain YAML
several times faster than PyYAML, but keeps no positions and follows YAML 1.2 rules. So it
is used only where it must give exactly what the safe positioned reader
(:mod:`crmorg.loading.yaml_nodes`) would, and only where its work is bounded: a cheap
screen sends text with tabs, anchors, aliases, tags, directives, block scalars, merge
keys, several documents, digit separators, number prefixes the two readers read
differently (``0b11``, ``-0x1F``, ``0X1F``), characters PyYAML refuses or treats
specially (controls, DEL, non-characters, a second BOM, NEL/LS/PS), indentation too deep
to bound the parser's recursion, or lines longer than the longest value allowed to that
reader; and a scan of the parsed data sends back files holding YAML 1.1 booleans
(``no``, ``on``...), non-finite numbers or keys that are not text. Anything the fast
parser rejects goes the same way, so every finding keeps its exact position. Positions
for fast-parsed files are recovered later, only for the entries findings point at
(:mod:`crmorg.loading.positions`).
"""

from __future__ import annotations

import re
from typing import Any

from crmorg.loading.limits import DEFAULT_LIMITS

_yaml_rs: Any
try:  # optional accelerator
    import yaml_rs as _yaml_rs
except ImportError:  # pragma: no cover - depends on the environment
    _yaml_rs = None

YAML11_BOOLEANS = frozenset(
    word for base in ("yes", "no", "on", "off") for word in (base, base.capitalize(), base.upper())
)
"""The words the positioned reader reports (it follows PyYAML, which reads y/n as text)."""
_POSITIONED_DATA = (
    # Each starts with a literal, which the regular expression engine finds at C speed.
    re.compile("'(?:" + "|".join(sorted(YAML11_BOOLEANS)) + ")'"),  # quoted in the repr
    re.compile(r"inf[,\]}]"),  # a non-finite float, ``inf`` or ``-inf``, unquoted
    re.compile(r"nan[,\]}]"),
    # a key that is not text (a number, None, a boolean, a tuple, a frozenset)
    re.compile(r"""\{[^'"}]"""),
    re.compile(r""", (?:\(|frozenset\(|(?:[-0-9]|None|True|False)[^'"]*?: )"""),
)
_TOKEN_CHARS = ("&", "*", "!", "%", "|", ">")
_TOKEN_BEFORE = frozenset(" \t\n[{,:-?")
_NUMBER_SHAPE = bytes.maketrans(b"123456789+oBXO[,{", b"000000000-xbbb   ")
"""Folds every digit to 0, a sign to ``-``, the prefixes yaml-rs alone reads to ``b``, and
the flow indicators that may start a number to a space (one search for all of them)."""
_NUMBERS_READ_TWO_WAYS = tuple(
    re.compile(re.escape(shape))
    for shape in (
        b"0_0", b" _0",  # digit separators: ``1_000``, even ``_1`` (after `` [,{``)
        b"-0x",  # a signed hex or octal number: ``-0x1F``, ``+0o17``
        b"0b",  # binary, or an upper-case prefix: ``0b11``, ``0X1F``, ``0O17``
    )
)  # fmt: skip
"""Numbers to yaml-rs, text to the YAML 1.2 core schema (and so to the positioned reader).

Searched as regular expressions: the engine finds a short literal a few times faster
than ``in`` does when its characters are frequent (every digit is a ``0`` here)."""
_DOCUMENT_MARKER = re.compile(r"\n(?:---|\.\.\.)")
"""A line that starts or ends a YAML document."""
_MIN_FAST_CHARS = 64 * 1024
_PYYAML_ONLY_CHARS = ("\x85", "\u2028", "\u2029", "\ufeff")
"""Line breaks only PyYAML (YAML 1.1) knows, and a BOM after the first one."""
_PYYAML_PRINTABLE_BYTES = bytes(range(0x20, 0x7F)) + b"\n\r" + bytes(range(0x80, 0x100))
"""Bytes PyYAML accepts alone: deleting them leaves the C0 controls and DEL it refuses."""
_PYYAML_REFUSED = (
    re.compile(rb"\xc2[\x80-\x9f]"),  # C1 controls (NEL apart, refused above)
    re.compile(rb"\xef\xbf[\xbe\xbf]"),  # the non-characters U+FFFE and U+FFFF
    re.compile(rb"\xed[\xa0-\xbf]"),  # surrogates
)
"""What PyYAML's reader refuses, in UTF-8; yaml-rs accepts some of it (DEL, C1, U+FFFE)."""
_MAX_LEADING_INDICATORS = 256
"""How far a line may be indented (with ``- ``, ``? ``, ``: `` counted) on the fast path.

Every level of block nesting takes at least one such column, and yaml-rs refuses flow
nesting past a few hundred levels itself, so this bounds the Rust parser's recursion,
which would otherwise overflow its stack (tens of thousands of ``- `` on one line).
"""
_LINE_SHAPE = bytes(
    byte if byte == 0x0A else 0x20 if byte in b" ?:-" else 0x78 for byte in range(256)
)
"""Folds text to its shape: line feeds stay, indentation and indicators become spaces."""
_DEEP_LINE_START = b"\n" + b" " * _MAX_LEADING_INDICATORS


def available() -> bool:
    """Whether the fast parser is installed."""
    return _yaml_rs is not None


def fast_parse(
    text: str, max_scalar_chars: int, max_alias_nodes: int = DEFAULT_LIMITS.max_alias_nodes
) -> Any | None:
    """The data of ``text``, or ``None`` when the safe positioned reader must read it.

    Small files always take the positioned path: they are cheap, and their findings
    then need no second parse. The screen refuses every anchor and alias; the alias
    limits passed to yaml-rs are a second line, so that it can never expand more nodes
    than crmorg allows.
    """
    if _yaml_rs is None or len(text) < _MIN_FAST_CHARS:
        return None
    # Every line break alike: the screen reads CR and CRLF text as it reads LF text.
    screened = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    if not _plain(screened):
        return None
    if _has_line_longer_than(screened, max_scalar_chars):
        return None  # a value may be over the limit: the positioned reader says where
    try:
        data = _yaml_rs.loads(
            text,
            parse_datetime=False,
            alias_limits=_yaml_rs.AliasLimits(max_total_replayed_events=max_alias_nodes),
        )
    except Exception:  # any rejection: the positioned reader reports it properly
        return None
    if not isinstance(data, dict) or _needs_positioned_reader(data):
        return None
    return data


def _plain(text: str) -> bool:
    # Single characters first: ``in`` finds one at memory speed, a longer needle slower.
    ascii_only = text.isascii()
    if not ascii_only and any(char in text for char in _PYYAML_ONLY_CHARS):
        return False  # line breaks to PyYAML (YAML 1.1), text to yaml-rs (YAML 1.2)
    if "\t" in text or ("<" in text and "<<" in text) or text.startswith(("---", "%")):
        return False
    if _DOCUMENT_MARKER.search(text):
        return False
    for char in _TOKEN_CHARS:
        start = text.find(char)
        while start != -1:
            if start == 0 or text[start - 1] in _TOKEN_BEFORE:
                return False
            start = text.find(char, start + 1)
    # The rest is tested on bytes, where translations and substring tests run at C speed.
    encoded = text.encode("utf-8", "surrogatepass")
    if encoded.translate(None, _PYYAML_PRINTABLE_BYTES):
        return False  # C0 controls or DEL
    if not ascii_only and any(refused.search(encoded) for refused in _PYYAML_REFUSED):
        return False  # every byte of these is beyond ASCII
    shape = encoded.translate(_LINE_SHAPE)
    if shape.startswith(_DEEP_LINE_START[1:]) or _DEEP_LINE_START in shape:
        return False
    # Leave numbers the readers read differently to the reader whose rules the findings
    # follow. Their shapes are folded together for a few plain substring tests.
    folded = encoded.translate(_NUMBER_SHAPE)
    return not any(pattern.search(folded) for pattern in _NUMBERS_READ_TWO_WAYS)


def _has_line_longer_than(text: str, limit: int) -> bool:
    """Whether a line of ``text`` holds more than ``limit`` characters.

    Such a line holds one of the characters every ``limit`` apart, so only the lines
    around those are measured: a few searches at C speed instead of splitting the text.
    """
    for sample in range(0, len(text), max(limit, 1)):
        if text[sample] == "\n":
            continue
        start = text.rfind("\n", 0, sample) + 1
        end = text.find("\n", sample)
        if (len(text) if end == -1 else end) - start > limit:
            return True
    return False


def _needs_positioned_reader(data: dict[str, Any]) -> bool:
    """YAML 1.1 booleans (``no``, ``on``...), non-finite numbers and keys that are not
    text must be reported, with their positions.

    ``repr`` walks the data in C; every text value appears in it quoted, so a regular
    expression finds them at C speed. Text that merely looks like one (a quoted
    ``"no"``, ``"an inf"``) also matches: that file merely takes the positioned path.
    Deep nesting needs no check here: the screen bounds it, no field of the format nests
    deeper than a few levels, and a fast-read file with any finding is read again by the positioned
    reader (:func:`crmorg.loading.loader.load_document`), which reports the depth.
    """
    try:
        text = repr(data)
    except RecursionError:
        return True
    return any(pattern.search(text) for pattern in _POSITIONED_DATA)
