"""Wrapping the Markdown handbook's long lines at 100 characters, where Markdown allows.

A paragraph or list item longer than :data:`WIDTH` is broken at spaces into lines that
continue it (a list item's continuation lines are indented under its text), so the
pages read well as plain text and in diffs. Nothing whose meaning depends on its line is
touched: table rows, headings, fenced code, HTML lines, the navigation line. A break is
never put inside a link or a code span, after a backslash (a hard line break), or before
a word that would start a list, heading, quote, table row or setext underline when it
begins a line. Text without spaces (Chinese) is left long: there is nowhere to break it.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["WIDTH", "wrap_markdown"]

WIDTH: Final = 100
_ITEM: Final = re.compile(r"(?P<bullet>(?:[-*+]|\d{1,9}[.)]) )(?:\[[ xX]\] )?")
_TOKEN: Final = re.compile(
    r"(?:\[(?:\\.|[^\]\\])*\]\([^)\s]*\)"  # a link, kept whole
    r"|(`+).*?\1"  # a code span, kept whole
    r"|\S)+"
)
_UNSAFE_START: Final = re.compile(r"(?:[-+*#>|=<]|```|~~~|\d{1,9}[.)](?:\s|$))")


def wrap_markdown(text: str, width: int = WIDTH) -> str:
    """``text`` (a Markdown page) with its long paragraph and list lines wrapped."""
    lines = text.split("\n")
    out: list[str] = []
    fenced = False
    for line in lines:
        if line.startswith("```"):
            fenced = not fenced
            out.append(line)
            continue
        if fenced or len(line) <= width or not _wrappable(line):
            out.append(line)
            continue
        out.extend(_wrapped(line, width))
    return "\n".join(out)


def _wrappable(line: str) -> bool:
    """A paragraph or list item line; not a table row, heading, HTML, quote or rule, nor
    an indented line (a continuation or code)."""
    stripped = line.lstrip(" ")
    if not stripped or stripped[0].isspace():
        return False
    item = _ITEM.match(stripped)
    if stripped != line and (len(line) - len(stripped) > 8 or not item):
        return False  # indented, not a nested list item: a continuation or code
    # A list item's text is a block too: `- # Title` is a heading, one line long.
    body = stripped[item.end() :] if item else stripped
    return not body.startswith(_LINE_BLOCKS) and not stripped.startswith(_LINE_BLOCKS)


_LINE_BLOCKS: Final = ("|", "#", "<", ">", "---", "***", "===", "```", "~~~")
"""Starts of blocks whose meaning depends on their line: table rows, headings, HTML,
quotes, rules and setext underlines, fences."""


def _wrapped(line: str, width: int) -> list[str]:
    stripped = line.lstrip(" ")
    lead = line[: len(line) - len(stripped)]
    item = _ITEM.match(stripped)
    first_prefix = lead + (item.group(0) if item else "")
    body = line[len(first_prefix) :]
    indent = lead + " " * (len(item.group("bullet")) if item else 0)
    tokens = [match.group(0) for match in _TOKEN.finditer(body)]
    if " ".join(tokens) != body:
        return [line]  # runs of spaces or tabs that matter: leave the line as it is
    result: list[str] = []
    words: list[str] = []
    prefix = first_prefix

    def length(extra: list[str]) -> int:
        return len(prefix) + len(" ".join(extra))

    for token in tokens:
        if not words or length([*words, token]) <= width:
            words.append(token)
            continue
        if _breakable(words[-1], token):
            result.append(prefix + " ".join(words))
            prefix, words = indent, [token]
        elif len(words) > 1 and _breakable(words[-2], words[-1]):
            # `token` may not start a line: carry the word before it over with it.
            result.append(prefix + " ".join(words[:-1]))
            prefix, words = indent, [words[-1], token]
        else:
            words.append(token)
    result.append(prefix + " ".join(words))
    return result


def _breakable(before: str, after: str) -> bool:
    """Whether a line may end with ``before`` and the next begin with ``after``."""
    return not before.endswith("\\") and not _UNSAFE_START.match(after)
