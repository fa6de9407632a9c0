"""The standard KPI library is a data file: it validates, and a broken one says so."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from crmorg.cli.main import main
from crmorg.kpi.library import (
    STANDARD_KPIS,
    STANDARD_METRICS,
    StandardLibraryError,
    read_library,
    standard_library,
)
from crmorg.kpi.models import Kpi, Metric

LIBRARY_FILE = files("crmorg.kpi") / "standard_kpis.json"


def _shipped() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(LIBRARY_FILE.read_text(encoding="utf-8"))
    return data


def test_the_shipped_file_validates_and_is_what_the_registries_hold() -> None:
    library = read_library(LIBRARY_FILE.read_bytes(), "shipped")
    assert list(library.kpis) == list(STANDARD_KPIS)
    assert list(library.metrics) == list(STANDARD_METRICS)
    assert library == standard_library()


def test_every_entry_is_a_valid_model_entry() -> None:
    data = _shipped()
    for entry in data["metrics"].values():
        Metric.model_validate(entry)
    for entry in data["kpis"].values():
        model_entry = {
            key: value
            for key, value in entry.items()
            if key not in ("metrics", "definition_source")
        }
        Kpi.model_validate(model_entry)


def test_the_file_is_read_once() -> None:
    assert standard_library() is standard_library()


def _broken(change: Any) -> bytes:
    data = _shipped()
    change(data)
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda d: d["kpis"]["nps"].update(unit="furlongs"), "unit"),
        (lambda d: d["kpis"]["nps"].update(colour="red"), "colour"),
        (lambda d: d["kpis"]["nps"].pop("formula"), "must give formula"),
        (lambda d: d["kpis"]["nps"].update(formula="promoters +"), "does not parse"),
        (lambda d: d["kpis"]["nps"].update(metrics=["promoters"]), "not its metrics"),
        (lambda d: d["kpis"]["nps"].update(metrics=["nothing"]), "not in the library"),
        (lambda d: d["metrics"]["promoters"].update(name="Promoters"), "exactly"),
        (lambda d: d["metrics"]["promoters"].pop("unit"), "has no unit"),
    ],
)
def test_an_invalid_library_is_a_clear_error(change: Any, says: str) -> None:
    with pytest.raises(StandardLibraryError, match="is invalid; this is a bug in crmorg") as raised:
        read_library(_broken(change), "broken.json")
    assert "broken.json" in str(raised.value)
    assert says in str(raised.value)


def test_malformed_json_is_a_clear_error() -> None:
    with pytest.raises(StandardLibraryError, match=r"broken\.json"):
        read_library(b"{", "broken.json")


GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("fmt", ["table", "json", "yaml"])
def test_the_library_lists_as_it_did_when_it_was_code(
    capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    """The golden files were written by the library as Python literals, before the move."""
    assert main(["kpi", "--library", "--format", fmt]) == 0
    assert capsys.readouterr().out == (GOLDEN / f"library.{fmt}").read_text(encoding="utf-8")


def test_init_pulls_in_the_library_as_it_did_when_it_was_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["init", str(tmp_path / "model"), "--kpis", "all"]) == 0
    capsys.readouterr()
    written = (tmp_path / "model" / "kpis.yaml").read_text(encoding="utf-8")
    assert written == (GOLDEN / "init-kpis-all.yaml").read_text(encoding="utf-8")
