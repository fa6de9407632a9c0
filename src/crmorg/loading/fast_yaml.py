"""A fast first parse for large, plain model files.

The Rust parser ``yaml-rs`` (a dependency wherever it ships wheels) reads plain YAML
several times faster than PyYAML, but keeps no positions and follows YAML 1.2 rules. So it
is used only where it must give exactly what the safe positioned reader
(:mod:`crmorg.loading.yaml_nodes`) would: a cheap screen sends text with tabs, anchors,
aliases, tags, directives, block scalars, merge keys, several documents, digit separators
or lines longer than the longest value allowed to that
reader, and a scan of the parsed data sends back files holding YAML 1.1 booleans
(``no``, ``on``...). Anything the fast parser rejects
goes the same way, so every finding keeps its exact position. Positions for fast-parsed
files are recovered later, only for the entries findings point at
(:mod:`crmorg.loading.positions`).
"""

from __future__ import annotations

import re
from typing import Any

_yaml_rs: Any
try:  # optional accelerator
    import yaml_rs as _yaml_rs
except ImportError:  # pragma: no cover - depends on the environment
    _yaml_rs = None

YAML11_BOOLEANS = frozenset(
    word for base in ("yes", "no", "on", "off") for word in (base, base.capitalize(), base.upper())
)
"""The words the positioned reader reports (it follows PyYAML, which reads y/n as text)."""
_QUOTED_YAML11_WORD = re.compile("'(?:" + "|".join(sorted(YAML11_BOOLEANS)) + ")'")
_TOKEN_CHARS = ("&", "*", "!", "%", "|", ">")
_TOKEN_BEFORE = frozenset(" \t\n[{,:-?")
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_DIGIT_SEPARATORS = (b"0_0", b" _0", b"[_0", b",_0", b"{_0")
_MIN_FAST_CHARS = 64 * 1024
_YAML11_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")


def available() -> bool:
    """Whether the fast parser is installed."""
    return _yaml_rs is not None


def fast_parse(text: str, max_scalar_chars: int) -> Any | None:
    """The data of ``text``, or ``None`` when the safe positioned reader must read it.

    Small files always take the positioned path: they are cheap, and their findings
    then need no second parse.
    """
    if _yaml_rs is None or len(text) < _MIN_FAST_CHARS:
        return None
    # Every line break alike: the screen reads CR and CRLF text as it reads LF text.
    screened = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    if not _plain(screened):
        return None
    if max(map(len, screened.split("\n"))) > max_scalar_chars:
        return None  # a value may be over the limit: the positioned reader says where
    try:
        data = _yaml_rs.loads(text, parse_datetime=False)
    except Exception:  # any rejection: the positioned reader reports it properly
        return None
    if not isinstance(data, dict) or _needs_positioned_reader(data):
        return None
    return data


def _plain(text: str) -> bool:
    if any(brk in text for brk in _YAML11_ONLY_BREAKS):
        return False  # line breaks to PyYAML (YAML 1.1), text to yaml-rs (YAML 1.2)
    if "\t" in text or "<<" in text or text.startswith(("---", "%")):
        return False
    if "\n---" in text or "\n..." in text:
        return False
    for char in _TOKEN_CHARS:
        start = text.find(char)
        while start != -1:
            if start == 0 or text[start - 1] in _TOKEN_BEFORE:
                return False
            start = text.find(char, start + 1)
    # ``1_000`` and even ``_1`` are numbers to yaml-rs: leave such text to the reader
    # whose rules the findings follow. Digits are folded to 0 for plain substring tests.
    folded = text.encode("utf-8", "surrogatepass").translate(_DIGITS_AS_ZERO)
    return not any(pattern in folded for pattern in _DIGIT_SEPARATORS)


def _needs_positioned_reader(data: dict[str, Any]) -> bool:
    """YAML 1.1 booleans (``no``, ``on``...) must be reported, with their positions.

    ``repr`` walks the data in C; every text value appears in it quoted, so a regular
    expression finds the words at C speed. A quoted ``"no"`` in the YAML also matches:
    that file merely takes the positioned path. Deep nesting needs no check here:
    yaml-rs refuses very deep input itself, no field of the format nests deeper than a
    few levels, and a fast-read file with any finding is read again by the positioned
    reader (:func:`crmorg.loading.loader.load_document`), which reports the depth.
    """
    try:
        text = repr(data)
    except RecursionError:
        return True
    return _QUOTED_YAML11_WORD.search(text) is not None
