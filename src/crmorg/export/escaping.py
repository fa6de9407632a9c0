"""Making free text safe for each output syntax.

Ids match ``^[a-z][a-z0-9_]{0,63}$`` and are embedded as they are. Everything else
(names, file paths in provenance, the organisation's name) goes through one of these.
"""

from __future__ import annotations

import unicodedata

# Control characters, line and paragraph separators, and format characters (which include
# the bidirectional overrides of "Trojan Source" attacks) never reach a comment or literal.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def _unsafe(char: str) -> bool:
    return unicodedata.category(char) in _UNSAFE_CATEGORIES


def comment_text(text: str) -> str:
    """``text`` as one line that is safe inside a ``#`` or ``//`` comment.

    Line breaks and other invisible characters become spaces, so the comment cannot end
    early and nothing after it can turn into code.
    """
    return " ".join("".join(" " if _unsafe(c) else c for c in text).split())


def cedar_string(text: str) -> str:
    """``text`` as a quoted Cedar string literal."""
    out = ['"']
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif _unsafe(char):
            out.append(f"\\u{{{ord(char):x}}}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)
