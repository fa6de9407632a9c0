"""The Metadata API's XML Schema, from the metadata WSDL that PyPI's simple-salesforce ships.

The WSDL's ``<xsd:schema>`` declares the metadata types (``PermissionSet``, ``Role``...)
as complex types, without global elements for them; the schema is compiled with one
global element per type an exported file's root names, so that lxml validates a file's
root element as that type.
"""

from __future__ import annotations

import copy
import os
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

XSD = "http://www.w3.org/2001/XMLSchema"
METADATA = "http://soap.sforce.com/2006/04/metadata"
TYPE_BY_SUFFIX = {
    ".object-meta.xml": "CustomObject",
    ".field-meta.xml": "CustomField",
    ".customPermission-meta.xml": "CustomPermission",
    ".permissionset-meta.xml": "PermissionSet",
    ".permissionsetgroup-meta.xml": "PermissionSetGroup",
    ".role-meta.xml": "Role",
    ".group-meta.xml": "Group",
    ".sharingRules-meta.xml": "SharingRules",
    ".profile-meta.xml": "Profile",
    "package.xml": "Package",
}
"""A source file's suffix -> the metadata type its root element is."""


def metadata_wsdl() -> Path:
    """The WSDL inside the installed simple-salesforce; skips (fails in CI) without it."""
    try:
        import simple_salesforce
    except ImportError:
        message = "simple-salesforce is not installed (pip install 'crmorg[test]')"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    found = Path(simple_salesforce.__file__).parent / "metadata.wsdl"
    assert found.is_file(), f"simple-salesforce ships no metadata.wsdl at {found}"
    return found


@cache
def _schema(wsdl: Path) -> etree.XMLSchema:
    definitions = etree.parse(str(wsdl)).getroot()
    found = definitions.find(f".//{{{XSD}}}schema")
    assert found is not None, "the WSDL holds no <xsd:schema>"
    schema = etree.Element(
        f"{{{XSD}}}schema", nsmap={"xsd": XSD, "tns": METADATA}, attrib=dict(found.attrib)
    )
    for child in found:
        schema.append(copy.deepcopy(child))
    for type_name in sorted(set(TYPE_BY_SUFFIX.values())):
        etree.SubElement(schema, f"{{{XSD}}}element", name=type_name, type=f"tns:{type_name}")
    return etree.XMLSchema(schema)


def metadata_schema() -> etree.XMLSchema:
    return _schema(metadata_wsdl())


def expected_type(path: str) -> str | None:
    for suffix, type_name in TYPE_BY_SUFFIX.items():
        if path.endswith(suffix):
            return type_name
    return None
