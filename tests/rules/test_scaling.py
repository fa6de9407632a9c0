"""The rules scale close to linearly: eight times the people cost about eight times
the time, far from the sixty-four times a quadratic pass would."""

from __future__ import annotations

import gc
import importlib.util
import time
from pathlib import Path

from crmorg.api import load_partial
from crmorg.lint.registry import builtin_rules
from crmorg.model import Model

_BENCH = Path(__file__).parents[2] / "benchmarks" / "bench_rules.py"


def _generate(people: int, directory: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_rules", _BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.generate(people, directory)


def _rules_seconds(model: Model) -> float:
    assert model.role_grants  # effective grants are measured apart from the rules
    rules = list(builtin_rules().values())
    gc.collect()
    start = time.perf_counter()
    for rule in rules:
        for _ in rule.check(model):
            pass
    return time.perf_counter() - start


def test_rules_scale_linearly(tmp_path: Path) -> None:
    times = []
    for people in (500, 4_000):
        directory = tmp_path / str(people)
        directory.mkdir()
        _generate(people, directory)
        model = load_partial(directory)
        assert len(model.people) == people
        times.append(min(_rules_seconds(model) for _ in range(2)))
    small, large = times
    assert large / small < 24, f"rules took {small:.3f}s for 500 people, {large:.3f}s for 4,000"
