"""KPI formulas: parse, check, render and evaluate arithmetic over metric ids.

A formula such as ``(customers_at_end - new_customers) / customers_at_start`` is read
with :func:`ast.parse` and converted, node by node, through a whitelist into a small
tree of frozen dataclasses (:data:`Expr`). Anything outside the grammar below is
rejected with a :class:`FormulaError` that says what is not allowed and where. Nothing
is ever compiled or executed: evaluation walks the tree with plain float arithmetic.

Grammar::

    expr    := expr ("+" | "-") expr | expr ("*" | "/") expr
             | ("+" | "-") expr | "(" expr ")" | number | metric | call
    number  := decimal literal: 12, 0.5, 1e3, 1_000 (no hex, octal, binary or complex)
    metric  := id matching ^[a-z][a-z0-9_]{0,63}$, other than a function name
    call    := ("min" | "max") "(" expr "," expr {"," expr} ")"
             | "abs" "(" expr ")"
             | "round" "(" expr ["," integer literal 0..12] ")"

Operators associate and bind exactly as in Python. Inputs are bounded before the
Python parser sees them (:data:`MAX_FORMULA_LENGTH` characters) and the tree after
it (:data:`MAX_DEPTH` levels, :data:`MAX_NODES` nodes).
"""

from __future__ import annotations

import ast
import math
import numbers
import operator
import re
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Final, Literal, TypeAlias

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_FORMULA_LENGTH",
    "MAX_NODES",
    "MAX_ROUND_DIGITS",
    "METRIC_ID_PATTERN",
    "BinaryOp",
    "Call",
    "DivisionByZero",
    "Expr",
    "Formula",
    "FormulaError",
    "FormulaEvaluationError",
    "MetricRef",
    "MissingMetric",
    "Number",
    "Round",
    "UnaryOp",
    "metrics_of",
    "parse_formula",
    "render",
]

MAX_FORMULA_LENGTH: Final = 2_000
MAX_DEPTH: Final = 64
MAX_NODES: Final = 500
MAX_ROUND_DIGITS: Final = 12
METRIC_ID_PATTERN: Final = re.compile(r"[a-z][a-z0-9_]{0,63}")
FUNCTIONS: Final = frozenset({"min", "max", "abs", "round"})

UnaryOperator: TypeAlias = Literal["+", "-"]
BinaryOperator: TypeAlias = Literal["+", "-", "*", "/"]
FunctionName: TypeAlias = Literal["min", "max", "abs"]


# --------------------------------------------------------------------------- errors


class FormulaError(ValueError):
    """A formula is not valid: ``message`` says why and what to do instead.

    ``column`` is the 0-based offset, in the formula text, of the offending construct.
    ``str()`` gives the message alone, so callers can add their own position.
    """

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message, column)
        self.message = message
        self.column = column

    def __str__(self) -> str:
        return self.message


class FormulaEvaluationError(ArithmeticError):
    """A valid formula could not produce a finite number for the given values."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DivisionByZero(FormulaEvaluationError):
    """A division whose divisor is zero; ``divisor_metrics`` are the metrics of the
    divisor (sorted), so a message can say which measurement was zero."""

    def __init__(self, message: str, divisor_metrics: tuple[str, ...]) -> None:
        super().__init__(message)
        self.divisor_metrics = divisor_metrics


class MissingMetric(KeyError):
    """The values given to :meth:`Formula.evaluate` lack one or more metrics.

    ``metric`` is the first missing id (alphabetically), ``metrics`` all of them.
    """

    def __init__(self, metric: str, *more: str) -> None:
        super().__init__(metric, *more)
        self.metric = metric
        self.metrics = (metric, *more)

    def __str__(self) -> str:
        names = ", ".join(f"`{name}`" for name in self.metrics)
        noun = "metric" if len(self.metrics) == 1 else "metrics"
        return f"no value for {noun} {names}"


# ----------------------------------------------------------------------------- tree


@dataclass(frozen=True)
class Number:
    """A numeric literal; always finite and non-negative (``-2`` is a negation)."""

    value: float

    def __post_init__(self) -> None:
        if not isinstance(self.value, float):
            raise TypeError(f"Number.value must be a float, not {type(self.value).__name__}")
        if not math.isfinite(self.value) or math.copysign(1.0, self.value) < 0:
            raise ValueError(f"Number.value must be finite and non-negative, not {self.value!r}")


@dataclass(frozen=True)
class MetricRef:
    """A reference to a metric by id."""

    name: str

    def __post_init__(self) -> None:
        if not METRIC_ID_PATTERN.fullmatch(self.name) or self.name in FUNCTIONS:
            raise ValueError(f"{self.name!r} is not a metric id")


@dataclass(frozen=True)
class UnaryOp:
    """``+operand`` or ``-operand``."""

    op: UnaryOperator
    operand: Expr

    def __post_init__(self) -> None:
        if self.op not in ("+", "-"):
            raise ValueError(f"unknown unary operator {self.op!r}")


@dataclass(frozen=True)
class BinaryOp:
    """``left op right`` for one of ``+ - * /``."""

    op: BinaryOperator
    left: Expr
    right: Expr

    def __post_init__(self) -> None:
        if self.op not in _BINARY_FUNCTIONS:
            raise ValueError(f"unknown binary operator {self.op!r}")


@dataclass(frozen=True)
class Call:
    """``min(...)``, ``max(...)`` (two or more arguments) or ``abs(x)``."""

    function: FunctionName
    args: tuple[Expr, ...]

    def __post_init__(self) -> None:
        if self.function in ("min", "max"):
            if len(self.args) < 2:
                raise ValueError(f"{self.function}() needs at least two arguments")
        elif self.function == "abs":
            if len(self.args) != 1:
                raise ValueError("abs() takes exactly one argument")
        else:
            raise ValueError(f"unknown function {self.function!r}")


@dataclass(frozen=True)
class Round:
    """``round(operand)`` or ``round(operand, ndigits)``; the result is always a float."""

    operand: Expr
    ndigits: int | None = None

    def __post_init__(self) -> None:
        if self.ndigits is not None and (
            isinstance(self.ndigits, bool)
            or not isinstance(self.ndigits, int)
            or not 0 <= self.ndigits <= MAX_ROUND_DIGITS
        ):
            raise ValueError(f"round() digits must be an int from 0 to {MAX_ROUND_DIGITS}")


Expr: TypeAlias = "Number | MetricRef | UnaryOp | BinaryOp | Call | Round"

_BINARY_FUNCTIONS: Final[Mapping[str, Callable[[float, float], float]]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}


def _children(expr: Expr) -> tuple[Expr, ...]:
    if isinstance(expr, UnaryOp | Round):
        return (expr.operand,)
    if isinstance(expr, BinaryOp):
        return (expr.left, expr.right)
    if isinstance(expr, Call):
        return expr.args
    return ()


def _walk(expr: Expr) -> Iterator[tuple[Expr, int]]:
    """Yield every node with its depth (the root is at depth 1), without recursion."""
    stack = [(expr, 1)]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        stack.extend((child, depth + 1) for child in reversed(_children(node)))


def metrics_of(expr: Expr) -> frozenset[str]:
    """Return the ids of the metrics that ``expr`` refers to."""
    return frozenset(node.name for node, _ in _walk(expr) if isinstance(node, MetricRef))


# -------------------------------------------------------------------------- formula


@dataclass(frozen=True)
class Formula:
    """A checked formula: its text, its tree and the metrics it uses.

    Build one with :func:`parse_formula`. A hand-built instance is checked too: its
    tree must respect :data:`MAX_DEPTH` and :data:`MAX_NODES`, and ``metrics`` must be
    exactly the metrics of the tree.
    """

    source: str
    tree: Expr
    metrics: frozenset[str]

    def __post_init__(self) -> None:
        for nodes, (_, depth) in enumerate(_walk(self.tree), start=1):
            if depth > MAX_DEPTH or nodes > MAX_NODES:
                raise ValueError(
                    f"a formula tree has at most {MAX_DEPTH} levels and {MAX_NODES} nodes"
                )
        if self.metrics != metrics_of(self.tree):
            raise ValueError("Formula.metrics must be exactly the metrics of its tree")

    @property
    def canonical(self) -> str:
        """The formula rendered canonically (see :func:`render`)."""
        return render(self.tree)

    def evaluate(self, values: Mapping[str, float]) -> float:
        """Compute the formula from metric values with plain float arithmetic.

        Every input and intermediate result is a float, computed as Python computes
        the same expression on floats (``round`` gives a float, too). A metric that
        is absent or ``None`` raises :class:`MissingMetric`; a value that is not a
        finite real number, a division by zero and an overflow raise
        :class:`FormulaEvaluationError`.
        """
        inputs = _checked_inputs(self._inputs, values)
        return _evaluate(self.tree, inputs)

    @cached_property
    def _inputs(self) -> tuple[str, ...]:
        """The metrics in name order (a formula is evaluated once per period)."""
        return tuple(sorted(self.metrics))


def _checked_inputs(metrics: tuple[str, ...], values: Mapping[str, float]) -> dict[str, float]:
    missing = tuple(name for name in metrics if values.get(name) is None)
    if missing:
        raise MissingMetric(*missing)
    inputs: dict[str, float] = {}
    for name in metrics:
        raw: object = values[name]
        # bool is an int, but a yes/no is never a measurement (YAML `yes` -> True).
        if isinstance(raw, bool) or not isinstance(raw, numbers.Real):
            raise FormulaEvaluationError(f"metric `{name}` has a non-numeric value {raw!r}")
        try:
            value = float(raw)
        except OverflowError:
            raise FormulaEvaluationError(f"metric `{name}` is too large: {raw!r}") from None
        if not math.isfinite(value):
            raise FormulaEvaluationError(f"metric `{name}` is not a finite number: {raw!r}")
        inputs[name] = value
    return inputs


def _evaluate(expr: Expr, inputs: Mapping[str, float]) -> float:
    # Recursion is bounded: Formula guarantees at most MAX_DEPTH levels.
    result: float
    if isinstance(expr, Number):
        return expr.value
    if isinstance(expr, MetricRef):
        return inputs[expr.name]
    if isinstance(expr, UnaryOp):
        operand = _evaluate(expr.operand, inputs)
        result = -operand if expr.op == "-" else +operand
    elif isinstance(expr, BinaryOp):
        left = _evaluate(expr.left, inputs)
        right = _evaluate(expr.right, inputs)
        if expr.op == "/" and right == 0.0:
            raise DivisionByZero(
                _division_by_zero_message(expr, inputs), tuple(sorted(metrics_of(expr.right)))
            )
        result = _BINARY_FUNCTIONS[expr.op](left, right)
    elif isinstance(expr, Call):
        args = [_evaluate(arg, inputs) for arg in expr.args]
        if expr.function == "min":
            result = min(args)
        elif expr.function == "max":
            result = max(args)
        else:
            result = abs(args[0])
    else:
        operand = _evaluate(expr.operand, inputs)
        result = float(round(operand) if expr.ndigits is None else round(operand, expr.ndigits))
    if not math.isfinite(result):
        raise FormulaEvaluationError(
            f"overflow: `{render(expr)}` is too large to represent as a number"
        )
    return result


def _division_by_zero_message(expr: BinaryOp, inputs: Mapping[str, float]) -> str:
    message = f"division by zero: `{render(expr)}`"
    divisor_metrics = sorted(metrics_of(expr.right))
    if divisor_metrics:
        bindings = ", ".join(f"{name} = {_format_value(inputs[name])}" for name in divisor_metrics)
        message += f" with {bindings}"
    return message


def _format_value(value: float) -> str:
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


# --------------------------------------------------------------------------- render

_ADDITIVE, _MULTIPLICATIVE, _UNARY, _ATOM = 1, 2, 3, 4


def _precedence(expr: Expr) -> int:
    if isinstance(expr, BinaryOp):
        return _ADDITIVE if expr.op in ("+", "-") else _MULTIPLICATIVE
    if isinstance(expr, UnaryOp):
        return _UNARY
    return _ATOM


def render(expr: Expr) -> str:
    """Return the canonical text of ``expr``: ``parse_formula(render(e)).tree == e``.

    Binary operators are spaced, parentheses appear only where Python's precedence
    and left associativity need them, and integral numbers below 1e16 print without
    a decimal point. Recursion follows the tree: use it on trees within
    :data:`MAX_DEPTH`, such as every tree :func:`parse_formula` returns.
    """
    if isinstance(expr, Number):
        return _format_value(expr.value)
    if isinstance(expr, MetricRef):
        return expr.name
    if isinstance(expr, UnaryOp):
        return expr.op + _render_operand(expr.operand, _UNARY)
    if isinstance(expr, BinaryOp):
        own = _precedence(expr)
        left = _render_operand(expr.left, own)
        # Operators are left-associative: an equal-precedence right operand needs ().
        right = _render_operand(expr.right, own + 1)
        return f"{left} {expr.op} {right}"
    if isinstance(expr, Call):
        return f"{expr.function}({', '.join(render(arg) for arg in expr.args)})"
    if expr.ndigits is None:
        return f"round({render(expr.operand)})"
    return f"round({render(expr.operand)}, {expr.ndigits})"


def _render_operand(expr: Expr, minimum_precedence: int) -> str:
    text = render(expr)
    return f"({text})" if _precedence(expr) < minimum_precedence else text


# ---------------------------------------------------------------------------- parse

_ALLOWED_HINT: Final = (
    "a formula may use metric ids, numbers, + - * /, parentheses "
    "and the functions min, max, abs and round"
)

# Characters refused before parsing, because Python would give them a meaning the
# formula language lacks (or a column that would not be a character offset).
_FORBIDDEN_CHARACTERS: Final[Mapping[str, str]] = {
    ";": "`;` is not allowed: a formula is one expression",
    "#": "`#` (comment) is not allowed in a formula; describe the KPI in its `description`",
    "\\": "`\\` is not allowed in a formula; break long formulas inside parentheses",
    "$": "`$` is not allowed in a formula; " + _ALLOWED_HINT,
    "?": "`?` is not allowed in a formula; " + _ALLOWED_HINT,
    "`": "`` ` `` is not allowed in a formula; " + _ALLOWED_HINT,
    "\r": "a carriage return is not allowed in a formula; break lines with \\n",
}

_BINARY_OPERATORS: Final[Mapping[type[ast.operator], BinaryOperator]] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
}

_FORBIDDEN_OPERATORS: Final[Mapping[type[ast.AST], str]] = {
    ast.Pow: "`**` (power) is not allowed in a KPI formula; use * repeatedly",
    ast.FloorDiv: "`//` (floor division) is not allowed in a KPI formula; use / and round()",
    ast.Mod: "`%` (remainder) is not allowed in a KPI formula; " + _ALLOWED_HINT,
    ast.MatMult: "`@` (matrix multiplication) is not allowed in a KPI formula; use *",
    ast.BitAnd: "`&` (bitwise and) is not allowed in a KPI formula; " + _ALLOWED_HINT,
    ast.BitOr: "`|` (bitwise or) is not allowed in a KPI formula; " + _ALLOWED_HINT,
    ast.BitXor: "`^` (bitwise xor) is not allowed in a KPI formula; use * repeatedly for powers",
    ast.LShift: "`<<` (shift) is not allowed in a KPI formula; multiply instead",
    ast.RShift: "`>>` (shift) is not allowed in a KPI formula; divide instead",
    ast.Invert: "`~` (bitwise not) is not allowed in a KPI formula; use - to negate",
    ast.Not: "`not` is not allowed: a KPI formula computes a number, not a condition",
}

_NOT_A_NUMBER_HINT: Final = "KPI formulas compute numbers; targets belong in the KPI's `target`"

_FORBIDDEN_NODES: Final[Mapping[type[ast.AST], str]] = {
    ast.Attribute: (
        "attribute access (`.`) is not allowed in a KPI formula; "
        "refer to a metric by its id, e.g. `won_deals`"
    ),
    ast.Subscript: (
        "subscripts (`[...]`) are not allowed in a KPI formula; "
        "declare each value as a metric of its own"
    ),
    ast.Compare: "comparisons are not allowed: " + _NOT_A_NUMBER_HINT,
    ast.BoolOp: "`and`/`or` are not allowed: " + _NOT_A_NUMBER_HINT,
    ast.IfExp: (
        "conditional expressions (`if ... else`) are not allowed in a KPI formula; "
        "use min(), max() or abs()"
    ),
    ast.Lambda: "`lambda` is not allowed in a KPI formula; write the arithmetic directly",
    ast.NamedExpr: "`:=` (assignment) is not allowed in a KPI formula; declare a metric instead",
    ast.JoinedStr: "f-strings are not allowed in a KPI formula; use metric ids and numbers",
    ast.Starred: "`*` unpacking is not allowed in a KPI formula; pass each argument explicitly",
    ast.Tuple: "tuples are not allowed: a KPI formula is one expression; commas separate "
    "function arguments only",
    ast.List: "lists (`[...]`) are not allowed in a KPI formula; use min() or max() over values",
    ast.ListComp: "comprehensions are not allowed in a KPI formula; list the values explicitly",
    ast.SetComp: "comprehensions are not allowed in a KPI formula; list the values explicitly",
    ast.DictComp: "comprehensions are not allowed in a KPI formula; list the values explicitly",
    ast.GeneratorExp: "generator expressions are not allowed in a KPI formula; "
    "list the values explicitly",
    ast.Set: "sets (`{...}`) are not allowed in a KPI formula; " + _ALLOWED_HINT,
    ast.Dict: "dictionaries (`{...}`) are not allowed in a KPI formula; " + _ALLOWED_HINT,
    ast.Await: "`await` is not allowed in a KPI formula; " + _ALLOWED_HINT,
}


def parse_formula(text: str) -> Formula:
    """Parse and check a KPI formula.

    Raises :class:`FormulaError` for anything outside the grammar in this module's
    docstring, for text longer than :data:`MAX_FORMULA_LENGTH` characters and for
    trees deeper than :data:`MAX_DEPTH` or larger than :data:`MAX_NODES`.
    """
    if not isinstance(text, str):
        raise TypeError(f"a formula must be a str, not {type(text).__name__}")
    # Checked before ast.parse: the CPython parser recurses on nesting.
    if len(text) > MAX_FORMULA_LENGTH:
        raise FormulaError(
            f"a formula is at most {MAX_FORMULA_LENGTH} characters long; this one has "
            f"{len(text)}: move parts of it into metrics of their own",
            MAX_FORMULA_LENGTH,
        )
    _check_characters(text)
    body_start = len(text) - len(text.lstrip())
    if body_start == len(text):
        raise FormulaError(
            "a formula must not be empty; write arithmetic over metric ids, "
            "e.g. `won / (won + lost)`",
            0,
        )
    source = _Source(text, body_start)
    try:
        # ast.parse only builds a tree; it never compiles or runs code. Warnings
        # (e.g. about `1if`) are silenced: the library does not print.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = ast.parse(text[body_start:], mode="eval")
    except SyntaxError as error:
        raise source.syntax_error(error) from None
    except (RecursionError, MemoryError, ValueError):
        raise FormulaError(
            "the formula is too complex to parse; simplify it or split it into metrics", 0
        ) from None
    tree = _Converter(source).convert(parsed.body, depth=1)
    return Formula(source=text, tree=tree, metrics=metrics_of(tree))


def _check_characters(text: str) -> None:
    for column, character in enumerate(text):
        if character in _FORBIDDEN_CHARACTERS:
            raise FormulaError(_FORBIDDEN_CHARACTERS[character], column)
        if not character.isascii():
            raise FormulaError(
                f"`{character}` (U+{ord(character):04X}) is not allowed: a formula is "
                "plain ASCII; metric ids use a-z, 0-9 and _",
                column,
            )
        if not character.isprintable() and character not in " \t\n":
            raise FormulaError(
                f"control character U+{ord(character):04X} is not allowed in a formula",
                column,
            )


class _Source:
    """Maps positions reported by :mod:`ast` back to offsets in the formula text.

    The text is ASCII (checked first), so ast's UTF-8 byte columns are characters.
    """

    def __init__(self, text: str, body_start: int) -> None:
        self.text = text
        self.body_start = body_start
        body = text[body_start:]
        self.line_starts = [0] + [index + 1 for index, char in enumerate(body) if char == "\n"]

    def offset(self, lineno: int, col_offset: int) -> int:
        line = min(max(lineno, 1), len(self.line_starts)) - 1
        offset = self.body_start + self.line_starts[line] + col_offset
        return min(max(offset, 0), len(self.text))

    def start(self, node: ast.expr | ast.keyword) -> int:
        return self.offset(node.lineno, node.col_offset)

    def end(self, node: ast.expr) -> int:
        assert node.end_lineno is not None and node.end_col_offset is not None
        return self.offset(node.end_lineno, node.end_col_offset)

    def segment(self, node: ast.expr, limit: int = 40) -> str:
        text = self.text[self.start(node) : self.end(node)]
        return text if len(text) <= limit else text[: limit - 3] + "..."

    def next_token(self, after: ast.expr) -> int:
        """Offset of the first token after ``after``, past closing parentheses."""
        offset = self.end(after)
        while offset < len(self.text) and self.text[offset] in " \t\n)":
            offset += 1
        return offset

    def syntax_error(self, error: SyntaxError) -> FormulaError:
        column = self.offset(error.lineno or 1, (error.offset or 1) - 1)
        if column < len(self.text) and self.text[column] == "=":
            message = (
                "`=` is not allowed: a formula cannot assign, and functions take no "
                "keyword arguments"
            )
        else:
            message = f"not a valid formula ({error.msg}); {_ALLOWED_HINT}"
        return FormulaError(message, column)


class _Converter:
    """Turns a Python expression AST into an :data:`Expr`, refusing anything else."""

    def __init__(self, source: _Source) -> None:
        self.source = source
        self.nodes = 0

    def convert(self, node: ast.expr, depth: int) -> Expr:
        column = self.source.start(node)
        if depth > MAX_DEPTH:
            raise FormulaError(
                f"the formula nests more than {MAX_DEPTH} levels deep; "
                "move parts of it into metrics of their own",
                column,
            )
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FormulaError(
                f"the formula has more than {MAX_NODES} terms; "
                "move parts of it into metrics of their own",
                column,
            )
        if isinstance(node, ast.Constant):
            return self._number(node)
        if isinstance(node, ast.Name):
            return self._metric(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
            op: UnaryOperator = "-" if isinstance(node.op, ast.USub) else "+"
            return UnaryOp(op, self.convert(node.operand, depth + 1))
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY_OPERATORS:
            return BinaryOp(
                _BINARY_OPERATORS[type(node.op)],
                self.convert(node.left, depth + 1),
                self.convert(node.right, depth + 1),
            )
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        raise self._forbidden(node)

    def _number(self, node: ast.Constant) -> Number:
        column = self.source.start(node)
        value: object = node.value
        if isinstance(value, str | bytes):
            raise FormulaError(
                "strings are not allowed in a KPI formula; use metric ids and numbers", column
            )
        if isinstance(value, bool) or value is None or value is Ellipsis:
            raise FormulaError(
                f"`{self.source.segment(node)}` is not a number; {_ALLOWED_HINT}", column
            )
        if isinstance(value, complex):
            raise FormulaError("complex numbers are not allowed in a KPI formula", column)
        assert isinstance(value, int | float)
        literal = self.source.segment(node)
        if literal[:2].lower() in ("0x", "0o", "0b"):
            raise FormulaError(
                f"`{literal}` is not a decimal number; write numbers like 12, 0.5 or 1e3",
                column,
            )
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise FormulaError(f"the number `{literal}` is too large", column)
        return Number(number)

    def _metric(self, node: ast.Name) -> MetricRef:
        column = self.source.start(node)
        if node.id in FUNCTIONS:
            raise FormulaError(
                f"`{node.id}` is a function; call it, e.g. {node.id}(a, b)"
                if node.id in ("min", "max")
                else f"`{node.id}` is a function; call it, e.g. {node.id}(a)",
                column,
            )
        if not METRIC_ID_PATTERN.fullmatch(node.id):
            raise FormulaError(
                f"`{node.id}` is not a metric id: metric ids start with a lowercase letter "
                "and use only a-z, 0-9 and _ (at most 64 characters)",
                column,
            )
        return MetricRef(node.id)

    def _call(self, node: ast.Call, depth: int) -> Expr:
        function = node.func
        if not isinstance(function, ast.Name) or function.id not in FUNCTIONS:
            raise FormulaError(
                f"calling `{self.source.segment(function)}` is not allowed; "
                "a KPI formula may call only min, max, abs and round",
                self.source.start(function),
            )
        for keyword in node.keywords:
            if keyword.arg is None:
                raise FormulaError(
                    "`**` unpacking is not allowed in a KPI formula; pass each argument explicitly",
                    self.source.start(keyword),
                )
            raise FormulaError(
                f"keyword arguments (`{keyword.arg}=`) are not allowed in a KPI formula; "
                "pass arguments by position, e.g. round(x, 2)",
                self.source.start(keyword),
            )
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self._forbidden(arg)
        name, args, column = function.id, node.args, self.source.start(node)
        # Arguments first, so that a forbidden argument is reported before an arity slip.
        values = args[:1] if name == "round" else args
        converted = tuple(self.convert(arg, depth + 1) for arg in values)
        if name in ("min", "max"):
            if len(args) < 2:
                raise FormulaError(
                    f"{name}() needs at least two arguments, e.g. {name}(a, b)", column
                )
            return Call("min" if name == "min" else "max", converted)
        if name == "abs":
            if len(args) != 1:
                raise FormulaError("abs() takes exactly one argument, e.g. abs(a - b)", column)
            return Call("abs", converted)
        if len(args) not in (1, 2):
            raise FormulaError(
                "round() takes a value and, optionally, a number of decimal places, "
                "e.g. round(a / b, 2)",
                column,
            )
        ndigits = self._ndigits(args[1]) if len(args) == 2 else None
        return Round(converted[0], ndigits)

    def _ndigits(self, node: ast.expr) -> int:
        value = node.value if isinstance(node, ast.Constant) else None
        if isinstance(value, bool) or not isinstance(value, int):
            raise FormulaError(
                "the second argument of round() is a number of decimal places: "
                f"an integer literal from 0 to {MAX_ROUND_DIGITS}",
                self.source.start(node),
            )
        if not 0 <= value <= MAX_ROUND_DIGITS:
            raise FormulaError(
                f"round() keeps 0 to {MAX_ROUND_DIGITS} decimal places, not {value}",
                self.source.start(node),
            )
        return value

    def _forbidden(self, node: ast.expr) -> FormulaError:
        """The error for a construct outside the grammar, pointing at its operator."""
        source = self.source
        if isinstance(node, ast.BinOp | ast.UnaryOp):
            message = _FORBIDDEN_OPERATORS.get(type(node.op))
            if message is not None:
                if isinstance(node, ast.BinOp):
                    return FormulaError(message, source.next_token(node.left))
                return FormulaError(message, source.start(node))
        if isinstance(node, ast.Compare):
            return FormulaError(_FORBIDDEN_NODES[ast.Compare], source.next_token(node.left))
        if isinstance(node, ast.BoolOp):
            return FormulaError(_FORBIDDEN_NODES[ast.BoolOp], source.next_token(node.values[0]))
        if isinstance(node, ast.Attribute | ast.Subscript):
            return FormulaError(_FORBIDDEN_NODES[type(node)], source.next_token(node.value))
        message = _FORBIDDEN_NODES.get(type(node))
        if message is None:
            message = f"`{source.segment(node)}` is not allowed in a KPI formula; {_ALLOWED_HINT}"
        return FormulaError(message, source.start(node))
