"""Every XML file of the salesforce export validates against the Metadata API XML Schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

import crmorg
from crmorg.export import EXPORTERS
from crmorg.model import Model

from ..strategies import models
from .metadata_schema import METADATA, expected_type, metadata_schema
from .test_salesforce import EXAMPLES, _hostile_model

EXPORTER = EXPORTERS["salesforce"]


def invalid(files: dict[str, str | bytes]) -> list[str]:
    """Each XML file that is not its metadata type, with the schema's reason."""
    schema = metadata_schema()
    problems = []
    xml_files = [p for p in files if p.endswith(".xml")]
    assert xml_files
    for path in xml_files:
        content = files[path]
        root = etree.fromstring(content.encode() if isinstance(content, str) else content)
        wanted = expected_type(path)
        assert wanted is not None, f"{path}: no metadata type for this kind of file"
        if root.tag != f"{{{METADATA}}}{wanted}":
            problems.append(f"{path}: root {root.tag}, expected {wanted}")
        elif not schema.validate(etree.ElementTree(root)):
            problems.append(f"{path}: {schema.error_log.last_error}")
    return problems


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_xml_file_of_the_examples_is_valid_metadata(path: Path) -> None:
    assert invalid(dict(EXPORTER.render(crmorg.load(path)))) == []


def test_the_hostile_model_is_valid_metadata() -> None:
    assert invalid(dict(EXPORTER.render(_hostile_model()))) == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models())
def test_generated_models_are_valid_metadata(model: Model) -> None:
    assert invalid(dict(EXPORTER.render(model))) == []


def test_the_schema_refuses_a_broken_file() -> None:
    """The check can fail: elements out of the schema's order, or a bad boolean."""
    files = dict(EXPORTER.render(crmorg.load(EXAMPLES[-1])))
    path = next(p for p in files if p.endswith(".permissionset-meta.xml"))
    text = str(files[path])
    assert invalid({path: text}) == []
    label = text[text.index("<label>") : text.index("</label>") + len("</label>")]
    moved = text.replace(label, "").replace("<description>", label + "<description>", 1)
    assert invalid({path: moved})
    assert invalid({path: text.replace("<allowRead>true", "<allowRead>yes", 1)})
