"""The one way the importers read XML: files someone else wrote, parsed as data.

Entities are never expanded (no billion laughs, no external entity reading a local
file), no DTD is loaded, nothing is fetched from the network, processing instructions
are dropped and lxml's limits for huge trees stay on. Elements keep their line
(``sourceline``), so every finding names its place.
"""

from __future__ import annotations

from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from crmorg.importing.core import ImportFailed

Element = Any
"""An lxml element (lxml ships no type information)."""


def parse_xml(
    data: bytes,
    shown: str,
    *,
    hint: str = "give the file as the system exported it",
    keep_comments: bool = False,
    refuse_doctype: bool = False,
) -> Element:
    """The root element of ``data`` (the file ``shown``); raises :class:`ImportFailed`
    for XML that is not well-formed, or, with ``refuse_doctype``, that declares a
    document type (no system's export does)."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=not keep_comments,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as bad:
        raise ImportFailed(f"{shown}: not well-formed XML ({bad}); {hint}") from None
    if refuse_doctype and root.getroottree().docinfo.doctype:
        raise ImportFailed(f"{shown}: a document type declaration is not read; {hint}")
    return root


def local_name(tag: object) -> str:
    """An element's tag without its namespace (``""`` for a comment or entity)."""
    return str(etree.QName(tag).localname) if isinstance(tag, str) else ""


def qualified(tag: str) -> tuple[str | None, str]:
    """(namespace, local name) of a tag."""
    name = etree.QName(tag)
    return name.namespace, str(name.localname)
