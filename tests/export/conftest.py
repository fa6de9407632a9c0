"""Shared fixtures for the export tests: the engines, the models, golden files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from crmorg.export import EXPORTERS
from crmorg.export.naming import resource_type_names
from crmorg.model import Model

from .engines import CasbinEngine, CedarEngine, RegoEngine
from .equivalence import Engine

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
REFERENCE = HERE.parents[1] / "examples" / "reference"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/export/golden/ from the current exporters",
    )


def make_engine(target: str, model: Model, *, sliced: bool = False) -> Engine:
    """The target's engine loaded with ``model``'s export.

    ``sliced``: Cedar sees only the policies of each request's resource and action (see
    its adapter for why that cannot change an answer); for big models.
    """
    files = EXPORTERS[target].render(model)
    if target == "cedar":
        return CedarEngine(model, files, resource_type_names(model.resources), sliced=sliced)
    if target == "casbin":
        return CasbinEngine(model, files)
    return RegoEngine(model, files)


ENGINE_TARGETS = ("cedar", "casbin", "rego")


@pytest.fixture
def engine_factory() -> Callable[[str, Model], Engine]:
    return make_engine
