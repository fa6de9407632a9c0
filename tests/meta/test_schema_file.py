"""The committed JSON Schema (referenced by the example models) matches `crmorg schema`."""

from __future__ import annotations

from pathlib import Path

from crmorg.schema import json_schema_text

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema" / "crmorg.schema.json"


def test_committed_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == json_schema_text(), (
        "schema/crmorg.schema.json is stale: regenerate it with "
        "`crmorg schema > schema/crmorg.schema.json`"
    )
