"""The KPI formula language: grammar, errors with positions, rendering and evaluation."""

from __future__ import annotations

import builtins
import contextlib
import math
import operator
import pickle
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from fractions import Fraction
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from crmorg.kpi.formula import (
    MAX_DEPTH,
    MAX_FORMULA_LENGTH,
    MAX_NODES,
    METRIC_ID_PATTERN,
    BinaryOp,
    Call,
    Expr,
    Formula,
    FormulaError,
    FormulaEvaluationError,
    MetricRef,
    MissingMetric,
    Number,
    Round,
    UnaryOp,
    metrics_of,
    parse_formula,
    render,
)

# ---------------------------------------------------------------- audit: nothing runs

# Every audit event raised while a formula is parsed or evaluated. ast.parse raises
# "compile" (it builds a tree); eval/exec of code would raise "exec", and running a
# command or importing a module raise their own events, which the hook also blocks.
_AUDITED: list[str] = []
_ARMED = False
_DANGEROUS_PREFIXES = ("exec", "os.", "subprocess.", "import", "open", "ctypes", "socket.")


def _audit_hook(event: str, _args: tuple[object, ...]) -> None:
    if not _ARMED:
        return
    _AUDITED.append(event)
    if event.startswith(_DANGEROUS_PREFIXES):
        raise RuntimeError(f"blocked {event} while handling a formula")


sys.addaudithook(_audit_hook)


class Canary:
    """Stands in for anything a hostile formula might try to call."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, *args: object, **kwargs: object) -> int:
        self.calls += 1
        return 0


def _parse_and_evaluate_watched(text: str) -> tuple[Formula | None, Canary, list[str]]:
    """Parse ``text`` and, if it parses, evaluate it; report what got called."""
    global _ARMED
    canary = Canary()
    formula: Formula | None = None
    with (
        mock.patch.object(builtins, "canary", canary, create=True),
        mock.patch("os.system", canary),
    ):
        _AUDITED.clear()
        _ARMED = True
        try:
            formula = parse_formula(text)
            for value in (1.0, 0.0):
                with contextlib.suppress(FormulaEvaluationError):
                    formula.evaluate(dict.fromkeys(formula.metrics, value))
        except FormulaError:
            pass
        finally:
            _ARMED = False
    return formula, canary, list(_AUDITED)


# ---------------------------------------------------------------- trees and reference

METRIC_NAMES = ("a", "b", "churned", "customers_at_start", "x1", "won_deals")

_SPECIAL_VALUES = (0.0, -0.0, 1.0, -1.0, 0.5, 2.5, -2.5, 1e308, -1e308, 5e-324, 1e16, 0.1)

# Mostly values that make divisions by zero, cancellations and overflows likely.
values_strategy = st.one_of(
    st.sampled_from(_SPECIAL_VALUES),
    st.integers(-2, 2).map(float),
    st.floats(allow_nan=False, allow_infinity=False),
)

literal_strategy = st.one_of(
    st.floats(min_value=0.0, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, 0.5, 1.0, 2.0, 100.0, 1e16, 1e-7, 5e-324, 1.7976931348623157e308]),
    st.integers(0, 10**6).map(float),
).map(abs)  # abs: a literal is never negative (-x is a negation), nor -0.0

leaf_strategy: st.SearchStrategy[Expr] = st.one_of(
    literal_strategy.map(Number), st.sampled_from(METRIC_NAMES).map(MetricRef)
)


def _extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    return st.one_of(
        st.builds(UnaryOp, st.sampled_from(["+", "-"]), children),
        st.builds(BinaryOp, st.sampled_from(["+", "-", "*", "/"]), children, children),
        st.builds(
            Call,
            st.sampled_from(["min", "max"]),
            st.lists(children, min_size=2, max_size=4).map(tuple),
        ),
        children.map(lambda child: Call("abs", (child,))),
        st.builds(Round, children, st.none() | st.integers(0, 12)),
    )


tree_strategy = st.recursive(leaf_strategy, _extend, max_leaves=24)


def _children(expr: Expr) -> tuple[Expr, ...]:
    if isinstance(expr, UnaryOp | Round):
        return (expr.operand,)
    if isinstance(expr, BinaryOp):
        return (expr.left, expr.right)
    if isinstance(expr, Call):
        return expr.args
    return ()


def _nodes(expr: Expr) -> Iterator[tuple[Expr, int]]:
    stack = [(expr, 1)]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        stack.extend((child, depth + 1) for child in _children(node))


class NotANumber(Exception):
    """Python's float arithmetic divided by zero or left the finite numbers.

    ``kind`` is how the engine's message must start: "division by zero" or "overflow".
    """

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


_PYTHON_OPERATORS: Mapping[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}


def python_value(expr: Expr, values: Mapping[str, float]) -> float:
    """What Python's own float arithmetic gives for ``expr`` (the test's oracle)."""
    result: float
    if isinstance(expr, Number):
        return expr.value
    if isinstance(expr, MetricRef):
        return values[expr.name]
    if isinstance(expr, UnaryOp):
        inner = python_value(expr.operand, values)
        result = operator.neg(inner) if expr.op == "-" else operator.pos(inner)
    elif isinstance(expr, BinaryOp):
        left, right = python_value(expr.left, values), python_value(expr.right, values)
        try:
            result = _PYTHON_OPERATORS[expr.op](left, right)
        except ZeroDivisionError as error:
            raise NotANumber("division by zero") from error
        except OverflowError as error:
            raise NotANumber("overflow") from error
    elif isinstance(expr, Call):
        args = [python_value(arg, values) for arg in expr.args]
        functions: dict[str, Callable[..., float]] = {"min": min, "max": max, "abs": abs}
        result = functions[expr.function](*args)
    else:
        inner = python_value(expr.operand, values)
        result = float(round(inner) if expr.ndigits is None else round(inner, expr.ndigits))
    if not math.isfinite(result):
        raise NotANumber("overflow")
    return result


def _same_float(actual: float, expected: float) -> bool:
    return actual == expected and math.copysign(1.0, actual) == math.copysign(1.0, expected)


# ---------------------------------------------------------------- properties


@settings(max_examples=400, deadline=None)
@given(
    tree=tree_strategy,
    values=st.fixed_dictionaries(dict.fromkeys(METRIC_NAMES, values_strategy)),
)
@example(
    tree=BinaryOp("/", MetricRef("churned"), MetricRef("customers_at_start")),
    values=dict.fromkeys(METRIC_NAMES, 0.0),
)
@example(
    tree=BinaryOp("*", MetricRef("a"), MetricRef("b")),
    values=dict.fromkeys(METRIC_NAMES, 1e308),
)
@example(
    tree=Call("min", (Number(0.0), UnaryOp("-", Number(0.0)))),
    values=dict.fromkeys(METRIC_NAMES, 0.0),
)
@example(tree=Round(MetricRef("a")), values=dict.fromkeys(METRIC_NAMES, 2.5))
def test_rendered_trees_parse_back_and_evaluate_like_python(
    tree: Expr, values: dict[str, float]
) -> None:
    _check_round_trip_and_value(tree, values)


@settings(max_examples=300, deadline=None)
@given(
    tree=tree_strategy,
    values=st.fixed_dictionaries(
        dict.fromkeys(METRIC_NAMES, st.sampled_from([0.0, -0.0, 1.0, -1.0]))
    ),
)
def test_small_values_divide_by_zero_exactly_when_python_does(
    tree: Expr, values: dict[str, float]
) -> None:
    _check_round_trip_and_value(tree, values)


def _check_round_trip_and_value(tree: Expr, values: dict[str, float]) -> None:
    nodes = list(_nodes(tree))
    assert max(depth for _, depth in nodes) <= MAX_DEPTH
    assert len(nodes) <= MAX_NODES
    text = render(tree)
    assert len(text) <= MAX_FORMULA_LENGTH - 4

    formula = parse_formula(text)
    assert formula.tree == tree
    assert formula.source == text
    assert formula.metrics == {node.name for node, _ in nodes if isinstance(node, MetricRef)}
    # Whitespace and redundant parentheses do not change the tree.
    assert parse_formula(f"( {text} )\n").tree == tree

    try:
        expected = python_value(tree, values)
    except NotANumber as python_error:
        event(f"python: {python_error.kind}")
        with pytest.raises(FormulaEvaluationError) as caught:
            formula.evaluate(values)
        assert caught.value.message.startswith(python_error.kind + ": `")
        return
    event("python: a finite value")
    actual = formula.evaluate(values)
    assert _same_float(actual, expected), (text, actual, expected)


HOSTILE_FRAGMENTS = (
    "__import__",
    "__import__('os')",
    "().__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "__builtins__",
    "lambda",
    "lambda: canary()",
    "os.system",
    "os.system('exit 0')",
    "**",
    "[",
    "]",
    ";",
    'f"{canary()}"',
    "f'{canary()}'",
    "'a'*10**9",
    "9**9**9",
    "canary()",
    "canary",
    "(",
    ")",
    ",",
    ":=",
    "a",
    "b",
    "1",
    "0.5",
    "1e309",
    "0x1f",
    "1j",
    "True",
    "...",
    "+",
    "-",
    "*",
    "/",
    " ",
    "\n",
    "min(",
    "max(",
    "abs(",
    "round(",
    "if",
    "else",
    "and",
    "not",
    "{",
    "}",
    ".",
    "=",
    "#",
    "\\",
    "\x00",
    "ｍin",  # fullwidth m: Python would normalise it to `min`
    "'",
    '"',
    "eval(",
    "exec(",
    "getattr(",
    "breakpoint()",
    "open('/etc/passwd')",
)


def _insert(text: str, fragment: str, position: int) -> str:
    position %= len(text) + 1
    return text[:position] + fragment + text[position:]


hostile_strategy = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(HOSTILE_FRAGMENTS), max_size=40).map("".join),
    st.text(alphabet="ab01(),+-*/.e_ \n", max_size=200),
    # A valid formula with one hostile fragment spliced in somewhere.
    st.builds(
        _insert,
        tree_strategy.map(render),
        st.sampled_from(HOSTILE_FRAGMENTS),
        st.integers(min_value=0, max_value=10_000),
    ),
)

_WHITELISTED_NODES = (Number, MetricRef, UnaryOp, BinaryOp, Call, Round)


def _assert_harmless(text: str) -> None:
    formula, canary, events = _parse_and_evaluate_watched(text)
    assert canary.calls == 0
    assert set(events) <= {"compile"}, events
    if formula is not None:
        for node, depth in _nodes(formula.tree):
            assert type(node) in _WHITELISTED_NODES
            assert depth <= MAX_DEPTH
            if isinstance(node, MetricRef):
                assert METRIC_ID_PATTERN.fullmatch(node.name)
            if isinstance(node, Call):
                assert node.function in ("min", "max", "abs")


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile_strategy)
def test_hostile_text_never_runs_anything(text: str) -> None:
    _assert_harmless(text)


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('exit 0')",
        "().__class__.__bases__[0].__subclasses__()",
        "canary()",
        "min(canary(), 1)",
        "round(canary())",
        "(lambda: canary())()",
        "[canary() for _ in range(3)]",
        "f'{canary()}'",
        "'a'*10**9",
        "9**9**9",
        "a; canary()",
        "(" * 10_000 + "a" + ")" * 10_000,
        "(" * 201 + "a" + ")" * 201,
        "-" * (MAX_FORMULA_LENGTH - 1) + "a",
        "a" + "+a" * ((MAX_FORMULA_LENGTH - 1) // 2),
        "not " * 499 + "a",
        "[" * 999,
        "x" * MAX_FORMULA_LENGTH,
        "a" * (MAX_FORMULA_LENGTH + 1),
        "1" + "0" * (MAX_FORMULA_LENGTH - 1),
        "min(" * 300 + "a, b" + ")" * 300,
    ],
)
def test_known_attacks_and_extremes_never_run_anything(text: str) -> None:
    _assert_harmless(text)
    with pytest.raises(FormulaError):
        parse_formula(text)


def test_redundant_parentheses_up_to_the_parser_limit_are_fine() -> None:
    text = "(" * 199 + "a" + ")" * 199
    _assert_harmless(text)
    assert parse_formula(text).tree == MetricRef("a")


def test_the_audit_hook_and_canary_would_notice_code_running() -> None:
    """The harness itself works: running the same text as Python trips it."""
    global _ARMED
    canary = Canary()
    with mock.patch.object(builtins, "canary", canary, create=True):
        _AUDITED.clear()
        _ARMED = True
        try:
            code = compile("canary()", "<probe>", "eval")
            with pytest.raises(RuntimeError, match="blocked exec"):
                exec(code)
        finally:
            _ARMED = False
    assert "exec" in _AUDITED
    assert canary.calls == 0


# ---------------------------------------------------------------- forbidden constructs

FORBIDDEN = [
    # text, column, words the message must contain
    ("a ** 2", 2, "`**` (power) is not allowed in a KPI formula; use * repeatedly"),
    ("9**9**9", 1, "`**` (power)"),
    ("a // b", 2, "`//` (floor division)"),
    ("(a) % b", 4, "`%` (remainder)"),
    ("a @ b", 2, "`@`"),
    ("a | b", 2, "`|`"),
    ("a & b", 2, "`&`"),
    ("a ^ b", 2, "`^`"),
    ("a << 2", 2, "`<<`"),
    ("~a", 0, "`~`"),
    ("not a", 0, "`not`"),
    ("a.b", 1, "attribute access"),
    ("().__class__", 2, "attribute access"),
    ("min(a, b).real", 9, "attribute access"),
    ("a[0]", 1, "subscripts"),
    ("(a)[0]", 3, "subscripts"),
    ("a < b", 2, "comparisons"),
    ("a + (b == 1)", 7, "comparisons"),
    ("a and b", 2, "`and`/`or`"),
    ("a or b", 2, "`and`/`or`"),
    ("a if b else c", 0, "conditional expressions"),
    ("lambda: 1", 0, "`lambda`"),
    ("'a' * 3", 0, "strings are not allowed"),
    ("a + b'x'", 4, "strings are not allowed"),
    ('f"{a}"', 0, "f-strings"),
    ("round(a, ndigits=2)", 9, "keyword arguments (`ndigits=`)"),
    ("min(a, **b)", 7, "`**` unpacking"),
    ("min(*a)", 4, "`*` unpacking"),
    ("(a := 1)", 1, "`:=`"),
    ("__import__", 0, "`__import__` is not a metric id"),
    ("__import__('os')", 0, "calling `__import__` is not allowed"),
    ("os.system(a)", 0, "calling `os.system` is not allowed"),
    ("a + sum(a, b)", 4, "calling `sum` is not allowed"),
    ("(a)(b)", 1, "calling `a` is not allowed"),
    ("[a, b]", 0, "lists"),
    ("{a}", 0, "sets"),
    ("{a: b}", 0, "dictionaries"),
    ("(a, b)", 0, "tuples"),
    ("min(x for x in a)", 3, "generator expressions"),
    ("[x for x in a]", 0, "comprehensions"),
    ("True", 0, "`True` is not a number"),
    ("None", 0, "`None` is not a number"),
    ("...", 0, "`...` is not a number"),
    ("2j", 0, "complex numbers"),
    ("0x1F", 0, "`0x1F` is not a decimal number"),
    ("0o17 + a", 0, "`0o17` is not a decimal number"),
    ("1e400", 0, "the number `1e400` is too large"),
    ("Revenue", 0, "`Revenue` is not a metric id"),
    ("a" * 65, 0, "is not a metric id"),
    ("min", 0, "`min` is a function"),
    ("a + round", 4, "`round` is a function"),
    ("min(a)", 0, "min() needs at least two arguments"),
    ("max()", 0, "max() needs at least two arguments"),
    ("abs(a, b)", 0, "abs() takes exactly one argument"),
    ("round()", 0, "round() takes a value"),
    ("round(a, 1, 2)", 0, "round() takes a value"),
    ("round(a, 13)", 9, "0 to 12 decimal places, not 13"),
    ("round(a, -1)", 9, "an integer literal from 0 to 12"),
    ("round(a, b)", 9, "an integer literal from 0 to 12"),
    ("round(a, 2.0)", 9, "an integer literal from 0 to 12"),
    ("round(a, True)", 9, "an integer literal from 0 to 12"),
    ("a; b", 1, "`;` is not allowed"),
    ("x = 1", 2, "`=` is not allowed"),
    ("a + b  # note", 7, "`#` (comment)"),
    ("a + \\\n b", 4, "`\\` is not allowed"),
    ("a + $b", 4, "`$`"),
    ("a + ｂ", 4, "(U+FF42) is not allowed"),
    ("ｍin(a, b)", 0, "(U+FF4D) is not allowed"),
    ("a +\x00b", 3, "control character U+0000"),
    ("a\r\n+ b", 1, "carriage return"),
    ("", 0, "must not be empty"),
    (" \n\t", 0, "must not be empty"),
    ("(a + b", 0, "'(' was never closed"),
    ("a + b)", 5, "unmatched ')'"),
    ("a b", 2, "not a valid formula"),
    ("await a", 0, "`await`"),
    ("  a ** b", 4, "`**` (power)"),
    ("(a +\n  b ** c)", 9, "`**` (power)"),
    ("(a +\n  b\n  ** c)", 11, "`**` (power)"),
    ("\n\na ** b", 4, "`**` (power)"),
]


@pytest.mark.parametrize(("text", "column", "message"), FORBIDDEN)
def test_forbidden_constructs_are_named_at_their_column(
    text: str, column: int, message: str
) -> None:
    with pytest.raises(FormulaError) as caught:
        parse_formula(text)
    error = caught.value
    assert message in error.message
    assert error.column == column
    assert str(error) == error.message
    assert isinstance(error, ValueError)


def test_every_forbidden_message_says_what_to_do_or_what_is_allowed() -> None:
    for text, _, _ in FORBIDDEN:
        with pytest.raises(FormulaError) as caught:
            parse_formula(text)
        assert len(caught.value.message) > 25, text


def test_length_limit_is_checked_before_parsing() -> None:
    text = "a + " * 600 + "a"
    with pytest.raises(FormulaError) as caught:
        parse_formula(text)
    assert caught.value.column == MAX_FORMULA_LENGTH
    assert f"at most {MAX_FORMULA_LENGTH} characters" in caught.value.message
    assert str(len(text)) in caught.value.message


def test_the_longest_allowed_formula_parses() -> None:
    text = "a" + " " * (MAX_FORMULA_LENGTH - 1)
    assert parse_formula(text).metrics == {"a"}


def test_depth_limit_points_at_the_first_node_too_deep() -> None:
    ok = "-" * (MAX_DEPTH - 1) + "a"
    assert parse_formula(ok).evaluate({"a": 2.0}) == -2.0
    too_deep = "-" * MAX_DEPTH + "a"
    with pytest.raises(FormulaError) as caught:
        parse_formula(too_deep)
    assert caught.value.column == MAX_DEPTH
    assert f"more than {MAX_DEPTH} levels" in caught.value.message


def test_node_limit_points_at_the_first_node_too_many() -> None:
    ok = "min(" + ", ".join(["a"] * (MAX_NODES - 1)) + ")"
    assert parse_formula(ok).evaluate({"a": 3.0}) == 3.0
    too_many = "min(" + ",".join(["a"] * MAX_NODES) + ")"
    with pytest.raises(FormulaError) as caught:
        parse_formula(too_many)
    # The call is node 1; argument k is node k + 1, written at 4 + 2 * (k - 1).
    assert caught.value.column == 4 + 2 * (MAX_NODES - 1)
    assert f"more than {MAX_NODES} terms" in caught.value.message


def test_formula_error_survives_pickling() -> None:
    error = pickle.loads(pickle.dumps(FormulaError("`**` is not allowed", 3)))
    assert (error.message, error.column) == ("`**` is not allowed", 3)


def test_a_formula_must_be_text() -> None:
    with pytest.raises(TypeError):
        parse_formula(3)  # type: ignore[arg-type]


# ---------------------------------------------------------------- accepted grammar


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        (
            "(customers_at_end - new_customers) / customers_at_start",
            {"customers_at_end": 950, "new_customers": 50, "customers_at_start": 1000},
            0.9,
        ),
        ("a - b - c", {"a": 10, "b": 3, "c": 2}, 5.0),
        ("a - (b - c)", {"a": 10, "b": 3, "c": 2}, 9.0),
        ("a / b / c", {"a": 8, "b": 2, "c": 2}, 2.0),
        ("-a * b", {"a": 2, "b": 3}, -6.0),
        ("+a", {"a": 2}, 2.0),
        ("--a", {"a": 2}, 2.0),
        ("a + b * c", {"a": 1, "b": 2, "c": 3}, 7.0),
        ("0.5 * a + 1e3", {"a": 4}, 1002.0),
        ("1_000 * a", {"a": 2}, 2000.0),
        (".5 + 5. + 1E1", {}, 15.5),
        ("min(a, b, 3)", {"a": 5, "b": 4}, 3.0),
        ("max(a, b)", {"a": 5, "b": 4}, 5.0),
        ("abs(a - b)", {"a": 1, "b": 4}, 3.0),
        ("round(a)", {"a": 2.5}, 2.0),
        ("round(a)", {"a": 3.5}, 4.0),
        ("round(a / b, 2)", {"a": 2, "b": 3}, 0.67),
        ("round(a, 0)", {"a": 2.6}, 3.0),
        (
            "(promoters - detractors) / responses * 100",
            {"promoters": 60, "detractors": 10, "responses": 100},
            50.0,
        ),
        ("(a +\n b)", {"a": 1, "b": 2}, 3.0),
        ("  a  ", {"a": 1}, 1.0),
        ("a\t*\tb", {"a": 2, "b": 2}, 4.0),
        ("x1 + won_deals_2024", {"x1": 1, "won_deals_2024": 2}, 3.0),
    ],
)
def test_accepted_formulas_evaluate(text: str, values: dict[str, float], expected: float) -> None:
    formula = parse_formula(text)
    assert formula.metrics == set(values)
    assert formula.evaluate(values) == expected


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("(a-b)-c", "a - b - c"),
        ("a-(b-c)", "a - (b - c)"),
        ("a/(b*c)", "a / (b * c)"),
        ("(a*b)/c", "a * b / c"),
        ("-(a+b)", "-(a + b)"),
        ("(-a)*b", "-a * b"),
        ("-(a*b)", "-(a * b)"),
        ("a - -b", "a - -b"),
        ("- - a", "--a"),
        ("((a))", "a"),
        ("2.50", "2.5"),
        ("1e3", "1000"),
        ("1e20", "1e+20"),
        ("0.1", "0.1"),
        ("1_000", "1000"),
        ("min( a ,b,(c) )", "min(a, b, c)"),
        ("round(a/b,2)", "round(a / b, 2)"),
        ("round( a )", "round(a)"),
        ("abs(-a)", "abs(-a)"),
    ],
)
def test_render_is_canonical_and_round_trips(text: str, canonical: str) -> None:
    formula = parse_formula(text)
    assert formula.canonical == canonical
    assert render(formula.tree) == canonical
    assert parse_formula(canonical).tree == formula.tree


def test_metrics_are_the_names_used() -> None:
    formula = parse_formula("min(a, b) / (a + round(c, 2))")
    assert formula.metrics == frozenset({"a", "b", "c"})
    assert metrics_of(formula.tree) == formula.metrics
    assert parse_formula("1 + 2").metrics == frozenset()


# ---------------------------------------------------------------- evaluation errors


def test_division_by_zero_names_the_division_and_the_inputs() -> None:
    formula = parse_formula("churned / customers_at_start")
    with pytest.raises(FormulaEvaluationError) as caught:
        formula.evaluate({"churned": 3.0, "customers_at_start": 0.0})
    assert caught.value.message == (
        "division by zero: `churned / customers_at_start` with customers_at_start = 0"
    )
    assert str(caught.value) == caught.value.message
    assert isinstance(caught.value, ArithmeticError)


def test_division_by_zero_inside_a_larger_formula() -> None:
    formula = parse_formula("1 + a / (b - c)")
    with pytest.raises(FormulaEvaluationError) as caught:
        formula.evaluate({"a": 1.0, "b": 2.5, "c": 2.5})
    assert caught.value.message == "division by zero: `a / (b - c)` with b = 2.5, c = 2.5"
    with pytest.raises(FormulaEvaluationError, match=r"^division by zero: `a / 0`$"):
        parse_formula("a / 0").evaluate({"a": 1.0})
    with pytest.raises(FormulaEvaluationError, match="with b = 0"):
        parse_formula("a / -b").evaluate({"a": 1.0, "b": -0.0})


def test_missing_metrics_are_named() -> None:
    formula = parse_formula("(b + a) / c")
    with pytest.raises(MissingMetric) as caught:
        formula.evaluate({"c": 1.0})
    assert caught.value.metric == "a"
    assert caught.value.metrics == ("a", "b")
    assert str(caught.value) == "no value for metrics `a`, `b`"
    assert isinstance(caught.value, KeyError)
    with pytest.raises(MissingMetric, match=r"^no value for metric `c`$") as caught_none:
        formula.evaluate({"a": 1.0, "b": 1.0, "c": None})  # type: ignore[dict-item]
    assert caught_none.value.metrics == ("c",)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert (copy.metric, copy.metrics) == ("a", ("a", "b"))


def test_missing_data_wins_over_a_division_by_zero() -> None:
    with pytest.raises(MissingMetric):
        parse_formula("a / b + c").evaluate({"a": 1.0, "b": 0.0})


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("a * b", {"a": 1e308, "b": 10.0}),
        ("a + b", {"a": 1.7976931348623157e308, "b": 1.7976931348623157e308}),
        ("a / b", {"a": 1e308, "b": 1e-308}),
        ("min(a * a, 1)", {"a": 1e200}),
    ],
)
def test_overflow_is_an_evaluation_error(text: str, values: dict[str, float]) -> None:
    with pytest.raises(FormulaEvaluationError, match=r"^overflow: `"):
        parse_formula(text).evaluate(values)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("12", "non-numeric value '12'"),
        (True, "non-numeric value True"),
        ([1.0], "non-numeric value [1.0]"),
        (math.nan, "not a finite number"),
        (math.inf, "not a finite number"),
        (10**400, "too large"),
    ],
)
def test_bad_input_values_are_evaluation_errors(value: object, problem: str) -> None:
    with pytest.raises(FormulaEvaluationError, match=re.escape(problem)):
        parse_formula("a + 1").evaluate({"a": value})  # type: ignore[dict-item]


def test_any_real_number_is_an_acceptable_input() -> None:
    formula = parse_formula("a / b")
    assert formula.evaluate({"a": 1, "b": 4}) == 0.25
    assert formula.evaluate({"a": Fraction(1, 2), "b": 2}) == 0.25  # type: ignore[dict-item]


def test_deepest_tree_evaluates_without_recursion_trouble() -> None:
    text = "(" * 60 + "a" + " + a)" * 60
    formula = parse_formula(text)
    assert formula.evaluate({"a": 1.0}) == 61.0


# ---------------------------------------------------------------- tree invariants


@pytest.mark.parametrize(
    "build",
    [
        lambda: Number(-1.0),
        lambda: Number(-0.0),
        lambda: Number(math.inf),
        lambda: Number(math.nan),
        lambda: MetricRef("__import__"),
        lambda: MetricRef("min"),
        lambda: MetricRef("A"),
        lambda: UnaryOp("~", MetricRef("a")),  # type: ignore[arg-type]
        lambda: BinaryOp("**", MetricRef("a"), MetricRef("b")),  # type: ignore[arg-type]
        lambda: Call("min", (MetricRef("a"),)),
        lambda: Call("abs", ()),
        lambda: Call("eval", (MetricRef("a"),)),  # type: ignore[arg-type]
        lambda: Round(MetricRef("a"), 13),
        lambda: Round(MetricRef("a"), -1),
    ],
)
def test_tree_nodes_refuse_what_the_grammar_refuses(build: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        build()


def test_number_values_are_floats() -> None:
    with pytest.raises(TypeError):
        Number(1)  # an int, even an exact one, is not a float


def test_a_hand_built_formula_is_checked() -> None:
    tree = BinaryOp("+", MetricRef("a"), Number(1.0))
    assert Formula("a + 1", tree, frozenset({"a"})).evaluate({"a": 1.0}) == 2.0
    with pytest.raises(ValueError, match="exactly the metrics"):
        Formula("a + 1", tree, frozenset())
    deep: Expr = MetricRef("a")
    for _ in range(MAX_DEPTH):
        deep = UnaryOp("-", deep)
    with pytest.raises(ValueError, match="levels"):
        Formula("deep", deep, frozenset({"a"}))


def test_trees_are_immutable_and_hashable() -> None:
    tree = parse_formula("min(a, b) + round(c, 2)").tree
    assert hash(tree) == hash(parse_formula("min(a,b)+round(c,2)").tree)
    assert isinstance(tree, BinaryOp)
    with pytest.raises(AttributeError):
        tree.op = "-"  # type: ignore[misc]
