"""A formula evaluated over columns: one list of values per metric, aligned by period.

:func:`column_evaluator` turns a checked :class:`~crmorg.kpi.formula.Formula` into a
function that computes it for every period in one loop, with the same float
arithmetic, in the same order, as :meth:`Formula.evaluate` (a tree walk per period,
about ten times slower). The function is generated from the checked tree only: its
names are positional (``x0`` for the first input metric, ``k0`` for the first
number), so no text of the formula is ever part of the code.

A period whose inputs are not all finite floats, or whose computation divides by
zero or leaves the finite numbers at any node, gets :data:`FALLBACK` instead of a
value: the caller evaluates it with :meth:`Formula.evaluate`, which raises the error
that says what went wrong. So values are the tree walk's, and every message too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from crmorg.kpi.formula import BinaryOp, Call, Expr, Formula, MetricRef, Number, Round, UnaryOp

__all__ = ["FALLBACK", "ColumnEvaluator", "column_evaluator"]


class _Fallback:
    """The marker of a period the tree walk evaluates (see the module docstring)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "FALLBACK"


FALLBACK: Final = _Fallback()

ColumnEvaluator = Callable[[Sequence[Sequence[object]], int], list[float | _Fallback]]
"""(input columns in ``formula``'s metric order, period count) -> a value per period."""


class _NotFinite(Exception):
    """Raised inside the generated loop: a node is not a finite number."""


def column_evaluator(formula: Formula) -> tuple[tuple[str, ...], ColumnEvaluator]:
    """The formula's input metrics (in name order) and its evaluator over their columns."""
    inputs = tuple(sorted(formula.metrics))
    generator = _Generator({name: f"x{index}" for index, name in enumerate(inputs)})
    result = generator.expression(formula.tree)
    names = [f"x{index}" for index in range(len(inputs))]
    if not names:
        head = "    for _ in range(count):"
    elif len(names) == 1:
        head = "    for x0 in columns[0]:"
    else:
        head = f"    for {', '.join(names)} in zip(*columns):"
    checks = " or ".join(f"type({name}) is not float or {name} - {name}" for name in names)
    body = [
        "def evaluate(columns, count):",
        "    out = []",
        "    append = out.append",
        head,
        "        try:",
        *([f"            if {checks}:", "                raise NotFinite"] if checks else []),
        *(f"            {line}" for line in generator.lines),
        f"            append({result})",
        "        except Exception:",
        "            append(FALLBACK)",
        "    return out",
    ]
    namespace: dict[str, object] = {
        "FALLBACK": FALLBACK,
        "NotFinite": _NotFinite,
        "float": float,
        "type": type,
        "zip": zip,
        "range": range,
        "min": min,
        "max": max,
        "abs": abs,
        "round": round,
        **generator.constants,
    }
    # The code is generated from the checked tree alone (positional names, numbers
    # bound as constants): see the module docstring.
    exec(compile("\n".join(body), "<kpi formula>", "exec"), namespace)
    evaluate = namespace["evaluate"]
    assert callable(evaluate)
    return inputs, evaluate


class _Generator:
    """Statements that compute a tree node by node, each node's value checked finite."""

    def __init__(self, inputs: dict[str, str]) -> None:
        self.inputs = inputs
        self.lines: list[str] = []
        self.constants: dict[str, float] = {}

    def expression(self, expr: Expr) -> str:
        """The name holding ``expr``'s value once :attr:`lines` have run."""
        if isinstance(expr, Number):
            name = f"k{len(self.constants)}"
            self.constants[name] = expr.value
            return name
        if isinstance(expr, MetricRef):
            return self.inputs[expr.name]
        if isinstance(expr, UnaryOp):
            code = f"{expr.op}{self.expression(expr.operand)}"
        elif isinstance(expr, BinaryOp):
            left = self.expression(expr.left)
            right = self.expression(expr.right)
            # `/` by zero raises ZeroDivisionError, which falls back to the tree walk.
            code = f"{left} {expr.op} {right}"
        elif isinstance(expr, Call):
            code = f"{expr.function}({', '.join(self.expression(arg) for arg in expr.args)})"
        elif isinstance(expr, Round):
            operand = self.expression(expr.operand)
            digits = "" if expr.ndigits is None else f", {int(expr.ndigits)}"
            code = f"float(round({operand}{digits}))"
        else:  # pragma: no cover - Expr is closed
            raise TypeError(f"not a formula node: {expr!r}")
        name = f"t{len(self.lines)}"
        self.lines.append(f"{name} = {code}")
        self.lines.append(f"if {name} - {name}:")
        self.lines.append("    raise NotFinite")
        return name
