"""JSON read with the place of every value: a small parser (never ``eval``) that keeps,
for each value, the line and column it starts at, so findings name their exact place."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

MAX_BYTES = 32 * 1024 * 1024
"""A saved response larger than this is refused (no real organisation's is)."""
MAX_DEPTH = 64

_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_NUMBER = frozenset("+-0123456789.eE")


class JSONError(ValueError):
    """Not JSON: the message names the line and column."""


@dataclass(frozen=True)
class Node:
    """A JSON value and where it starts (1-based line and column)."""

    value: Any
    """A str, int, float, bool, None, list[Node] or dict[str, Node]."""
    line: int
    column: int

    def get(self, key: str) -> Node | None:
        return self.value.get(key) if isinstance(self.value, dict) else None

    def items(self) -> list[Node]:
        return list(self.value) if isinstance(self.value, list) else []

    def text(self, key: str, default: str = "") -> str:
        found = self.get(key)
        return found.value if found is not None and isinstance(found.value, str) else default

    def flag(self, key: str) -> bool:
        found = self.get(key)
        return found is not None and found.value is True

    def plain(self) -> Any:
        """The value without places (for the SDK's converter)."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.line = 1
        self.line_start = 0

    def fail(self, what: str) -> JSONError:
        return JSONError(f"line {self.line} column {self.at - self.line_start + 1}: {what}")

    def space(self) -> None:
        text = self.text
        while self.at < len(text) and text[self.at] in " \t\r\n":
            if text[self.at] == "\n":
                self.line += 1
                self.line_start = self.at + 1
            self.at += 1

    def value(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise self.fail("nested too deeply")
        self.space()
        if self.at >= len(self.text):
            raise self.fail("unexpected end")
        line, column = self.line, self.at - self.line_start + 1
        char = self.text[self.at]
        if char == "{":
            return Node(self.object(depth), line, column)
        if char == "[":
            return Node(self.array(depth), line, column)
        if char == '"':
            return Node(self.string(), line, column)
        for word, meaning in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.at):
                self.at += len(word)
                return Node(meaning, line, column)
        start = self.at
        while self.at < len(self.text) and self.text[self.at] in _NUMBER:
            self.at += 1
        if start == self.at:
            raise self.fail(f"unexpected {char!r}")
        try:
            number = json.loads(self.text[start : self.at])
        except ValueError:
            raise self.fail("not a number") from None
        return Node(number, line, column)

    def expect(self, char: str) -> None:
        self.space()
        if not self.text.startswith(char, self.at):
            raise self.fail(f"expected {char!r}")
        self.at += 1

    def object(self, depth: int) -> dict[str, Node]:
        self.at += 1
        found: dict[str, Node] = {}
        self.space()
        if self.text.startswith("}", self.at):
            self.at += 1
            return found
        while True:
            self.space()
            if not self.text.startswith('"', self.at):
                raise self.fail("expected a key")
            key = self.string()
            self.expect(":")
            found[key] = self.value(depth + 1)
            self.space()
            if self.text.startswith(",", self.at):
                self.at += 1
                continue
            self.expect("}")
            return found

    def array(self, depth: int) -> list[Node]:
        self.at += 1
        found: list[Node] = []
        self.space()
        if self.text.startswith("]", self.at):
            self.at += 1
            return found
        while True:
            found.append(self.value(depth + 1))
            self.space()
            if self.text.startswith(",", self.at):
                self.at += 1
                continue
            self.expect("]")
            return found

    def string(self) -> str:
        text = self.text
        self.at += 1
        parts: list[str] = []
        start = self.at
        while True:
            if self.at >= len(text):
                raise self.fail("unterminated string")
            char = text[self.at]
            if char == '"':
                parts.append(text[start : self.at])
                self.at += 1
                return "".join(parts)
            if char == "\n":
                raise self.fail("newline in a string")
            if char == "\\":
                parts.append(text[start : self.at])
                escape = text[self.at + 1 : self.at + 2]
                if escape == "u":
                    digits = text[self.at + 2 : self.at + 6]
                    try:
                        code = int(digits, 16)
                    except ValueError:
                        raise self.fail("bad \\u escape") from None
                    self.at += 6
                    low = text[self.at : self.at + 6]
                    if 0xD800 <= code < 0xDC00 and low.startswith("\\u"):
                        try:
                            second = int(low[2:], 16)
                        except ValueError:
                            second = 0
                        if 0xDC00 <= second < 0xE000:
                            code = 0x10000 + ((code - 0xD800) << 10) + (second - 0xDC00)
                            self.at += 6
                    parts.append(chr(code) if not 0xD800 <= code < 0xE000 else "\ufffd")
                elif escape in _ESCAPES:
                    parts.append(_ESCAPES[escape])
                    self.at += 2
                else:
                    raise self.fail("bad escape")
                start = self.at
                continue
            self.at += 1


def parse(text: str) -> Node:
    """The JSON document ``text`` with places; raises :class:`JSONError`."""
    parser = _Parser(text[1:] if text.startswith("\ufeff") else text)
    node = parser.value(0)
    parser.space()
    if parser.at != len(parser.text):
        raise parser.fail("text after the JSON value")
    return node
