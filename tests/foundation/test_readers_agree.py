"""Both YAML readers give one meaning to every file (issue 19, item 5).

Whenever the fast reader (yaml-rs) accepts a text, the positioned reader must read the
very same data from it with no finding; and a whole model gives the same findings
(rule, message, file, line, column) whichever reader takes it. Content comes from
hypothesis and from mutations of the shipped examples, padded past the size where the
fast path is taken.
"""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmorg.loading import fast_yaml, loader
from crmorg.loading.limits import DEFAULT_LIMITS
from crmorg.loading.yaml_nodes import parse_yaml

pytestmark = pytest.mark.skipif(not fast_yaml.available(), reason="yaml-rs is not installed")

EXAMPLES = Path(__file__).parents[2] / "examples"
PADDING = "# padding that takes the file past the fast path's threshold\n" * 1_200
TOKENS = (
    "1e3", "1.5e3", "1E3", "1.e3", ".5e3", "1e400", "-1e400", "1e-400", "0o17", "-0o17",
    "0O17", "0x1F", "-0x1F", "+0x1F", "0X1F", "0b11", "-0b11", "09", "+12", "-0", "+.5",
    ".inf", "-.inf", ".nan", ".NaN", "+.nan", "1_0", "~", "null", "true", "False", "no",
    "on", "y", "2001-01-01", "12:30", "x\x7fy", "a\ufffeb", "\ufeffk", "\x85", "\u2028",
    "&a x", "*a", "!!str x", "<<", "'quoted'", '"dq"', "[1, 2]", "{a: 1}", "é\x80",
)  # fmt: skip
SPECIAL_CHARACTERS = (
    "\x7f", "\ufffe", "\ufeff", "\x85", "\u2028", "\r", "\t", "&", "*",
    "é", "#", " ", '"', "'", ":", "-", "[", "{", "}", ",", "?", "0",
)  # fmt: skip
KEYS = ("k", "123", "~", "1.5", "true", "null", "no", "[a]", "{a: 1}", "1e3")


def _same(a: Any, b: Any) -> bool:
    """Equal data, NaN included, with the same types (1 is not 1.0 or True)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def _check_one_meaning(text: str) -> None:
    padded = text + PADDING
    fast = fast_yaml.fast_parse(padded, DEFAULT_LIMITS.max_scalar_chars)
    if fast is None:
        return  # the positioned reader takes it: one meaning by construction
    positioned = parse_yaml(padded, "f.yaml", lambda *_: None)
    assert positioned.findings == [], (text, positioned.findings)
    assert _same(fast, positioned.data), (text, fast, positioned.data)


@pytest.mark.parametrize("token", TOKENS)
@pytest.mark.parametrize("key", KEYS)
def test_every_tricky_scalar_has_one_meaning(key: str, token: str) -> None:
    _check_one_meaning(f"{key}: {token}\nother: [{token}]\n")


_SCALAR = st.one_of(
    st.sampled_from(TOKENS),
    st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.sampled_from((*KEYS, "a", "b c")), _SCALAR), min_size=1, max_size=6),
    st.sampled_from(("\n", "\r\n", "\r")),
)
def test_generated_text_has_one_meaning(entries: list[tuple[str, str]], newline: str) -> None:
    _check_one_meaning(newline.join(f"{key}: {value}" for key, value in entries) + newline)


def _corpus() -> list[str]:
    """The shipped example files that the fast reader takes as they are, once padded."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.rglob("*.yaml"))]
    return [
        text
        for text in texts
        if fast_yaml.fast_parse(text + PADDING, DEFAULT_LIMITS.max_scalar_chars) is not None
    ]


def _mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    index = rng.randrange(len(lines))
    line = lines[index]
    kind = rng.randrange(4)
    if kind == 0 and ": " in line:  # a value becomes a tricky token
        lines[index] = line[: line.index(": ") + 2] + rng.choice(TOKENS)
    elif kind == 1 and line.strip():  # a key becomes a tricky one
        indent = len(line) - len(line.lstrip())
        lines[index] = " " * indent + rng.choice(KEYS) + ": " + rng.choice(TOKENS)
    elif kind == 2:  # a character either reader may treat specially
        column = rng.randrange(len(line) + 1)
        char = rng.choice(SPECIAL_CHARACTERS)
        lines[index] = line[:column] + char + line[column:]
    else:  # deep nesting
        lines.insert(index, "deep: " + "- " * rng.randrange(60, 70) + "x")
    return rng.choice(("\n", "\r\n", "\r")).join(lines)


def _findings(path: Path) -> list[tuple[str, str, str, int, int]]:
    result = loader.load_document(path)
    return sorted((f.rule, f.message, f.file, f.line, f.column) for f in result.findings)


def _check_mutations(
    seed: int, count: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus()
    assert len(corpus) >= 10, "the examples no longer exercise the fast reader"
    rng = random.Random(seed)
    path = tmp_path / "model.yaml"
    fast_read = 0
    for _ in range(count):
        text = _mutate(rng.choice(corpus), rng) + PADDING
        path.write_text(text, encoding="utf-8", newline="")
        fast_read += fast_yaml.fast_parse(text, DEFAULT_LIMITS.max_scalar_chars) is not None
        with_fast = _findings(path)
        with monkeypatch.context() as patched:
            patched.setattr(loader, "fast_parse", lambda *_args, **_kw: None)
            positioned = _findings(path)
        assert with_fast == positioned, text[:2_000]
    assert fast_read >= count // 10, "too few mutations reach the fast reader"


def test_mutated_examples_give_the_same_findings_on_both_readers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _check_mutations(19, 80, tmp_path, monkeypatch)


@pytest.mark.slow
def test_many_mutated_examples_give_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _check_mutations(1919, 3_000, tmp_path, monkeypatch)
