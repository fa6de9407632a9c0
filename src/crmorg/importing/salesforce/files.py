"""Finding and reading the files of a retrieved Salesforce project, safely.

Both layouts the Metadata API gives are read: the **source format** that
``sf project retrieve start`` (and crmorg's export) writes, with ``sfdx-project.json``
and ``force-app/main/default/<kind>/<Name>.<suffix>-meta.xml`` (an object as
``objects/<Object>/<Object>.object-meta.xml`` with ``fields/<Field>.field-meta.xml``),
and the **metadata format** of ``sf project retrieve start --target-metadata-dir`` (a
``package.xml`` beside ``<kind>/<Name>.<suffix>``, an object's fields inside its
``objects/<Object>.object``). The people side is ``data/*.csv`` when present.

XML is parsed, never evaluated: lxml without entities, network, DTDs or huge trees, a
document type refused, every file bounded in size.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from crmorg.importing.core import ImportFailed
from crmorg.importing.xml import Element, local_name, parse_xml, qualified

NS = "http://soap.sforce.com/2006/04/metadata"
MAX_BYTES = 16 * 1024 * 1024
"""The largest file read (a big org's profile is a few MiB)."""
MAX_FILES = 50_000
KINDS: dict[str, tuple[str, str]] = {
    "objects": ("CustomObject", "object"),
    "permissionsets": ("PermissionSet", "permissionset"),
    "profiles": ("Profile", "profile"),
    "permissionsetgroups": ("PermissionSetGroup", "permissionsetgroup"),
    "roles": ("Role", "role"),
    "groups": ("Group", "group"),
    "sharingRules": ("SharingRules", "sharingRules"),
    "customPermissions": ("CustomPermission", "customPermission"),
}
"""Directory -> (root element, file suffix) of each kind of metadata that is read."""
GIVE = (
    "give the folder `sf project retrieve start` wrote (with sfdx-project.json and "
    "force-app/main/default), the folder of `sf project retrieve start "
    "--target-metadata-dir` (with package.xml), or a crmorg salesforce export"
)


@dataclass(frozen=True)
class XmlFile:
    """One parsed metadata file: its path relative to the source, and its root."""

    path: str
    root: Element
    lines: tuple[str, ...] = ()

    def column(self, node: Element) -> int:
        """The column of ``node``'s start tag on its line (1 when not found)."""
        number = line(node)
        if 0 < number <= len(self.lines):
            found = re.search(
                rf"<(?:[A-Za-z_][\w.-]*:)?{re.escape(local(node))}\b", self.lines[number - 1]
            )
            if found:
                return found.start() + 1
        return 1

    @property
    def stem(self) -> str:
        """The component's name: the file name before its first dot."""
        return self.path.rsplit("/", 1)[-1].split(".")[0]


@dataclass(frozen=True)
class Row:
    """One CSV row, the line it starts on, and the file."""

    path: str
    line: int
    cells: dict[str, str]


def local(node: Element) -> str:
    """An element's tag without its namespace ('' for a comment)."""
    return local_name(node.tag)


def children(node: Element, name: str | None = None) -> Iterator[Element]:
    for child in node:
        if isinstance(child.tag, str) and (name is None or local(child) == name):
            yield child


def text(node: Element, name: str) -> str:
    for child in children(node, name):
        return (child.text or "").strip()
    return ""


def flag(node: Element, name: str) -> bool:
    return text(node, name).lower() == "true"


def line(node: Element) -> int:
    return node.sourceline or 1


class Source:
    """The metadata and data files under one path, found once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.base = path if path.is_dir() else path.parent
        self.metadata = self._metadata_root(path)
        self.layout = "source" if self._source_layout() else "metadata"
        self._count = 0

    def relative(self, file: Path) -> str:
        try:
            return file.relative_to(self.base).as_posix()
        except ValueError:
            return file.as_posix()

    def _metadata_root(self, path: Path) -> Path:
        if path.is_file():
            raise ImportFailed(f"{path}: a single file is not a Salesforce project; {GIVE}")
        candidates: list[Path] = []
        project = path / "sfdx-project.json"
        if project.is_file():
            for directory in self._package_directories(project):
                candidates += [path / directory / "main" / "default", path / directory]
        candidates += [
            path / "force-app" / "main" / "default",
            path,
            path / "unpackaged",
            path / "unpackaged" / "unpackaged",
            path / "main" / "default",
        ]
        for candidate in candidates:
            if candidate.is_dir() and any((candidate / kind).is_dir() for kind in KINDS):
                return candidate
        raise ImportFailed(
            f"{path}: no Salesforce metadata here (no permissionsets, profiles, objects, "
            f"roles, groups or sharingRules folder); {GIVE}"
        )

    def _package_directories(self, project: Path) -> list[str]:
        raw = self._bytes(project)
        try:
            document = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise ImportFailed(f"{self.relative(project)}: not JSON ({error}); {GIVE}") from None
        found: list[str] = []
        if isinstance(document, dict):
            for entry in document.get("packageDirectories") or []:
                if isinstance(entry, dict) and isinstance(entry.get("path"), str):
                    directory = entry["path"]
                    if ".." not in Path(directory).parts and not Path(directory).is_absolute():
                        found.append(directory)
        return found

    def _source_layout(self) -> bool:
        return any(
            p.name.endswith("-meta.xml")
            for kind in KINDS
            if (self.metadata / kind).is_dir()
            for p in (self.metadata / kind).rglob("*")
        )

    def _bytes(self, file: Path) -> bytes:
        self._count = getattr(self, "_count", 0) + 1
        if self._count > MAX_FILES:
            raise ImportFailed(f"{self.path}: more than {MAX_FILES} files; give one project")
        try:
            size = file.stat().st_size
            if size > MAX_BYTES:
                raise ImportFailed(
                    f"{self.relative(file)}: {size} bytes, more than the {MAX_BYTES} read; "
                    "give the retrieved files as Salesforce writes them"
                )
            return file.read_bytes()
        except OSError as error:
            raise ImportFailed(
                f"{self.relative(file)}: cannot be read ({error.strerror})"
            ) from None

    def parse(self, file: Path, root_name: str) -> XmlFile:
        relative = self.relative(file)
        data = self._bytes(file)
        root = parse_xml(data, relative, hint=GIVE, keep_comments=True, refuse_doctype=True)
        namespace, name = qualified(root.tag)
        if namespace != NS or name != root_name:
            raise ImportFailed(
                f"{relative}: the root element is <{name}>, not Salesforce "
                f'metadata\'s <{root_name} xmlns="{NS}">; {GIVE}'
            )
        lines = tuple(data.decode("utf-8", errors="replace").splitlines())
        return XmlFile(relative, root, lines)

    def files(self, kind: str) -> list[XmlFile]:
        """Every file of one kind, sorted by path (objects: the object files only)."""
        root_name, suffix = KINDS[kind]
        directory = self.metadata / kind
        if not directory.is_dir():
            return []
        if kind == "objects":
            pattern = f"*/*.{suffix}-meta.xml" if self.layout == "source" else f"*.{suffix}"
        else:
            pattern = f"*.{suffix}-meta.xml" if self.layout == "source" else f"*.{suffix}"
        return [self.parse(f, root_name) for f in sorted(directory.glob(pattern)) if f.is_file()]

    def field_files(self, object_api: str) -> list[XmlFile]:
        """An object's field files in the source format."""
        directory = self.metadata / "objects" / object_api / "fields"
        if not directory.is_dir():
            return []
        return [
            self.parse(f, "CustomField")
            for f in sorted(directory.glob("*.field-meta.xml"))
            if f.is_file()
        ]

    def object_parts(self, object_api: str) -> list[tuple[str, str]]:
        """(folder, file) of an object's parts other than its fields, in the source
        format (``objects/<Object>/listViews/All.listView-meta.xml``)."""
        directory = self.metadata / "objects" / object_api
        return [
            (part.parent.name, self.relative(part))
            for part in sorted(directory.glob("*/*-meta.xml"))
            if part.is_file() and part.parent.name != "fields"
        ]

    def other_kinds(self) -> list[tuple[str, str]]:
        """(directory, first file) of each metadata folder that is not read."""
        found = []
        for directory in sorted(self.metadata.iterdir()):
            if directory.is_dir() and directory.name not in (*KINDS, "data"):
                first = next((f for f in sorted(directory.rglob("*")) if f.is_file()), None)
                if first is not None:
                    found.append((directory.name, self.relative(first)))
        return found

    def data(self, name: str) -> list[Row]:
        """The rows of ``data/<name>``, or none when the file is not there."""
        for directory in (self.path / "data", self.metadata / "data"):
            file = directory / name
            if file.is_file():
                return self._rows(file)
        return []

    def _rows(self, file: Path) -> list[Row]:
        relative = self.relative(file)
        try:
            content = self._bytes(file).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFailed(f"{relative}: not UTF-8 text; export the CSV as UTF-8") from None
        reader = csv.reader(io.StringIO(content, newline=""))
        try:
            header = next(reader, None)
            if header is None:
                return []
            rows: list[Row] = []
            start = reader.line_num + 1
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    rows.append(Row(relative, start, dict(zip(header, cells, strict=False))))
                start = reader.line_num + 1
        except csv.Error as error:
            raise ImportFailed(f"{relative}: not CSV ({error})") from None
        return rows

    def mapping(self) -> dict[str, object]:
        """crmorg's ``data/crmorg-mapping.json`` (which id became which name), if any."""
        file = self.path / "data" / "crmorg-mapping.json"
        if not file.is_file():
            return {}
        try:
            found = json.loads(self._bytes(file).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ImportFailed(f"{self.relative(file)}: not JSON") from None
        return found if isinstance(found, dict) else {}
