"""Salesforce's own library, @salesforce/source-deploy-retrieve (pinned in tests/js), reads
the exported project: it recognises every source file as part of a component, writes
the same package.xml as the export's manifest, and converts the source to metadata
format (what `sf project deploy` sends), whose files are valid metadata too."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import crmorg
from crmorg.export import export_target
from crmorg.model import Model

from .metadata_schema import METADATA, metadata_schema
from .test_salesforce import REFERENCE, SMALL, _hostile_model

HERE = Path(__file__).parent
SCRIPT = HERE / "sdr.mjs"
PACKAGE = HERE.parents[1] / "js" / "node_modules" / "@salesforce" / "source-deploy-retrieve"
CONVERTED_TYPES = {
    "objects": "CustomObject",
    "customPermissions": "CustomPermission",
    "permissionsets": "PermissionSet",
    "permissionsetgroups": "PermissionSetGroup",
    "roles": "Role",
    "groups": "Group",
    "sharingRules": "SharingRules",
    "profiles": "Profile",
}


def _require_sdr() -> str:
    node = shutil.which("node")
    missing = []
    if node is None:
        missing.append("node (apt-get install -y nodejs npm)")
    if not (PACKAGE / "package.json").is_file():
        missing.append("npm package @salesforce/source-deploy-retrieve (cd tests/js && npm ci)")
    if missing:
        message = "Salesforce's source-deploy-retrieve is missing: " + "; ".join(missing)
        ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
        if os.environ.get("CRMORG_SKIP_RENDER") == "1" and not ci:
            pytest.skip(message)
        pytest.fail(message, pytrace=False)
    assert node is not None
    return node


def read_back(model: Model, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    node = _require_sdr()
    project = tmp_path / "project"
    export_target(model, "salesforce", project)
    converted = tmp_path / "converted"
    done = subprocess.run(
        [node, str(SCRIPT), str(project), str(converted)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return project, json.loads(done.stdout)


@pytest.mark.parametrize(
    "model",
    [
        pytest.param(lambda: crmorg.load(REFERENCE), id="reference"),
        pytest.param(lambda: crmorg.load(SMALL), id="small"),
        pytest.param(_hostile_model, id="hostile"),
    ],
)
def test_source_deploy_retrieve_reads_the_project(model: Any, tmp_path: Path) -> None:
    project, result = read_back(model(), tmp_path)
    source = {
        p.relative_to(project).as_posix() for p in (project / "force-app").rglob("*") if p.is_file()
    }
    assert set(result["covered"]) == source  # every file belongs to a component
    types = {c["type"] for c in result["components"]}
    assert types <= set(CONVERTED_TYPES.values())
    assert {"PermissionSet", "PermissionSetGroup", "Role", "Profile"} <= types
    manifest = (project / "manifest" / "package.xml").read_text(encoding="utf-8")
    assert result["packageXml"] == manifest
    # Metadata format: one file per component, plus package.xml, each valid metadata.
    converted = tmp_path / "converted"
    assert len(result["converted"]) == len(result["components"]) + 1
    schema = metadata_schema()
    for name in result["converted"]:
        if name == "package.xml":
            continue
        root = etree.parse(str(converted / name)).getroot()
        assert root.tag == f"{{{METADATA}}}{CONVERTED_TYPES[name.split('/')[0]]}", name
        if root.find(f"{{{METADATA}}}fields") is not None:
            continue  # SDR appends the merged fields last, out of the schema's order
        assert schema.validate(etree.ElementTree(root)), (name, schema.error_log.last_error)
    for field_file in (project / "force-app").rglob("*.field-meta.xml"):
        obj = field_file.parents[1].name
        merged = etree.parse(str(converted / "objects" / f"{obj}.object")).getroot()
        names = {n.text for n in merged.iterfind(f"{{{METADATA}}}fields/{{{METADATA}}}fullName")}
        assert field_file.name.split(".")[0] in names
