"""Load a model file or directory: read, merge the sections, validate every entry.

Loading never stops at the first problem: every file is read, every entry validated,
and what cannot be used is reported as findings with its position. The result is a
model built from every valid entry, plus those findings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from itertools import islice, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from pydantic import BaseModel, ValidationError

from crmorg import sections
from crmorg.document import ID_SECTIONS, SECTIONS, Document
from crmorg.findings import Finding, Location
from crmorg.findings import Path as DocPath
from crmorg.gcpause import paused_gc
from crmorg.loading.bounds import entries_over_limit, shape_findings
from crmorg.loading.fast_yaml import fast_parse
from crmorg.loading.files import display_name, model_files, read_source
from crmorg.loading.identities import LIMIT_EXCEEDED, make_finding
from crmorg.loading.kpis import complete_kpis
from crmorg.loading.limits import DEFAULT_LIMITS, Limits, exceeded, limits_with
from crmorg.loading.positions import LazyPositions
from crmorg.loading.pydantic_errors import schema_findings
from crmorg.loading.salvage import salvage
from crmorg.permissions.models import (
    Constraint,
    ExclusiveRoles,
    RoleCardinality,
    SeparationOfDuties,
)
from crmorg.settings import Organization, Settings
from crmorg.source import SourceMap
from crmorg.text import ID_RE, printable

if TYPE_CHECKING:
    from crmorg.loading.hr_csv import HrTable

_LIST_SECTIONS = tuple(s.key for s in sections.SECTIONS if s.shape == sections.LIST)
"""Sections that are lists, merged across files by appending: positions are offset."""
_CONSTRAINT_MODELS: Mapping[
    str, type[SeparationOfDuties] | type[ExclusiveRoles] | type[RoleCardinality]
] = {
    "separation_of_duties": SeparationOfDuties,
    "exclusive_roles": ExclusiveRoles,
    "role_cardinality": RoleCardinality,
}


@dataclass
class _Gathered:
    """Raw sections merged across files, before validation."""

    entities: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {section: {} for section in ID_SECTIONS}
    )
    actions: list[Any] = field(default_factory=list)
    constraints: list[Any] = field(default_factory=list)
    organization: tuple[Any, Location] | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    """Files that could not be read (or not to their end), so what they hold is unknown."""
    cut_at: str | None = None
    """The file in which a section passed ``max_entries``: no later file is read."""

    @property
    def unreadable(self) -> bool:
        return bool(self.unread)


@dataclass(frozen=True)
class LoadResult:
    """What loading produced: the (possibly partial) document, positions and findings."""

    document: Document
    source: SourceMap
    findings: tuple[Finding, ...]
    root: str

    @property
    def ok(self) -> bool:
        return not any(finding.severity.value == "error" for finding in self.findings)


def load_document(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> LoadResult:
    """Read the model at ``path``; raises ``FileNotFoundError`` only if it does not exist.

    ``settings.limits`` in the model take the place of ``limits`` from the file that
    gives them on. When a limit was exceeded before that file was read, and the model
    raises it, the model is read again with its own limits.
    """
    with paused_gc():
        fast_read: set[str] = set()
        result, used = _load_document(Path(path), limits, fast_read)
        if used != limits and any(f.rule == LIMIT_EXCEEDED.name for f in result.findings):
            limits, fast_read = used, set()
            result, _ = _load_document(Path(path), used, fast_read, settled=True)
        questioned = fast_read & {
            finding.location.file for finding in result.findings if not _counted(finding)
        }
        if questioned:
            # The fast reader is trusted only with files the format accepts as they are.
            # Whatever is wrong with a file, the findings are those of the reference
            # reader, which knows YAML's bounds and positions: read those files again.
            result, _ = _load_document(
                Path(path), limits, set(), positioned=questioned, settled=True
            )
        return result


_READER_INDEPENDENT: Final = tuple(
    f"({name})"
    for name in (
        "max_entries",
        "max_inheritance_depth",
        "max_reporting_depth",
        "max_department_depth",
    )
)


def _counted(finding: Finding) -> bool:
    """Whether ``finding`` is a count both readers make alike from a file the fast
    screen let through: a section past ``max_entries``, or a chain deeper than a depth
    limit (measured on the document, placed at an entry both readers place alike). Such
    a file is not read again by the positioned reader, whose node tree of a file that
    large is what the limits are there to spare (1,000,000 roles in three files ran out
    of memory there; a 100,000-person reporting chain spent 7 of its 8.6 s in it)."""
    if finding.rule != LIMIT_EXCEEDED.name:
        return False
    return any(limit in finding.message for limit in _READER_INDEPENDENT)


def _load_document(
    root: Path,
    limits: Limits,
    fast_read: set[str],
    positioned: frozenset[str] | set[str] = frozenset(),
    settled: bool = False,
) -> tuple[LoadResult, Limits]:
    """Load ``root``, and the limits in force at the end; names of fast-parsed files go
    to ``fast_read``, and the files named in ``positioned`` are read by the positioned
    reader whatever their size. ``settled`` keeps ``limits`` whatever the model says."""
    if not root.exists():
        raise FileNotFoundError(f"no such file or directory: {root}")
    source = SourceMap()
    findings: list[Finding] = []
    gathered = _Gathered()
    files = model_files(root)
    if not files:
        findings.append(
            make_finding(
                "schema",
                f"no model files (*.yaml, *.yml) in {display_name(root)}; "
                "run `crmorg init` to start one",
                Location(display_name(root), 1, 1),
            )
        )
    elif len(files) > limits.max_files:
        findings.append(
            make_finding(
                "limit-exceeded",
                exceeded(
                    "max_files",
                    limits.max_files,
                    f"{len(files):,} model files",
                    "none was read",
                ),
                Location(display_name(root), 1, 1),
            )
        )
        files = []
    total = 0
    texts: dict[str, str] = {}
    base = limits
    for file in files:
        if gathered.cut_at is not None:
            gathered.unread.append(display_name(file))
            continue
        section = _hr_section(file) if root.is_dir() and file.suffix == ".csv" else None
        if section is not None:
            from crmorg.loading.hr_csv import read_hr_csv

            total += file.stat().st_size
            _gather_hr_table(read_hr_csv(file, section, limits), gathered, source, findings)
            _cut_entries(gathered, limits, source, findings, display_name(file))
            continue
        text, read_findings = read_source(file, limits)
        findings.extend(read_findings)
        if text is None:
            gathered.unread.append(read_findings[0].file if read_findings else str(file))
            continue
        total += len(text.text)
        if total > limits.max_total_bytes:
            findings.append(
                make_finding(
                    "limit-exceeded",
                    exceeded(
                        "max_total_bytes",
                        limits.max_total_bytes,
                        f"the model's files come to {total:,} bytes with this one",
                        "this file and the rest were not read",
                    ),
                    Location(text.name, 1, 1),
                )
            )
            gathered.unread.append(text.name)
            break
        texts[text.name] = text.text
        _gather_file(
            text.name, text.text, gathered, source, findings, limits, fast_read, positioned
        )
        if not settled:  # the model's own limits, from the file that gives them on
            limits = limits_with(base, gathered.settings.get("limits"))
        _cut_entries(gathered, limits, source, findings, text.name)
    read = len(findings)
    document, kpi_findings = complete_kpis(_validate(gathered, source, findings), source, texts)
    findings[read:] = _without_follow_ons(findings[:read], findings[read:])
    findings.extend(kpi_findings)
    shape, over = shape_findings(document, limits, source)
    findings.extend(shape)
    over_limits = (*over, *(["max_entries"] if gathered.cut_at is not None else []))
    if over_limits:
        document = replace(document, over_limits=over_limits)
    return LoadResult(document, source, tuple(findings), display_name(root)), limits


def _without_follow_ons(read: list[Finding], validated: list[Finding]) -> list[Finding]:
    """The schema findings of validation, but those at a value the reader already named:
    a value it refused (`.nan`, an ambiguous `yes`) is left as text, and the field's own
    type check would report the same mistake a second time at the same place."""
    refused = {finding.location for finding in read if finding.rule == "schema"}
    if not refused:
        return validated
    return [f for f in validated if f.rule != "schema" or f.location not in refused]


def _hr_section(file: Path) -> str | None:
    """The section an HR export holds (``people.csv``), for a file that is one."""
    if not file.is_file():
        return None
    from crmorg.loading.hr_csv import hr_section

    return hr_section(file)


def _cut_entries(
    gathered: _Gathered, limits: Limits, source: SourceMap, findings: list[Finding], name: str
) -> None:
    """Past ``limits.max_entries`` in a section, keep the first entries only, say so at
    the section in the file ``name`` that crossed it, and read no further file."""
    for section, entries in gathered.entities.items():
        if len(entries) <= limits.max_entries:
            continue
        noun = sections.section(section).singular
        message = entries_over_limit(section, len(entries), limits, noun)
        where = source.key((section,)) if source.key((section,)).file == name else None
        findings.append(make_finding("limit-exceeded", message, where or Location(name, 1, 1)))
        kept = dict(islice(entries.items(), limits.max_entries))
        entries.clear()
        entries.update(kept)
        gathered.cut_at = name
        gathered.unread.append(name)


def _gather_hr_table(
    table: HrTable, gathered: _Gathered, source: SourceMap, findings: list[Finding]
) -> None:
    """Merge people or teams from an HR export, as if a YAML file had defined them."""
    findings.extend(table.findings)
    if not table.complete:
        gathered.unread.append(table.file)
    local = SourceMap()
    local.add_file(table.file)
    table.attach(local)
    source.add_file(table.file)
    skip: set[DocPath] = set()
    _merge_keyed(table.section, table.entries, gathered, source, local, findings, skip)
    source.update(local, skip)


def _gather_file(
    name: str,
    text: str,
    gathered: _Gathered,
    source: SourceMap,
    findings: list[Finding],
    limits: Limits,
    fast_read: set[str],
    positioned: frozenset[str] | set[str],
) -> None:
    """Merge one YAML file into ``gathered``, noting in ``fast_read`` if yaml-rs read it."""
    local = SourceMap()
    local.add_file(name)
    list_offsets = {key: len(getattr(gathered, key)) for key in _LIST_SECTIONS}

    def record(path: DocPath, value: Location, key: Location | None) -> None:
        if len(path) >= 2 and path[0] in list_offsets and isinstance(path[1], int):
            path = (path[0], path[1] + list_offsets[str(path[0])], *path[2:])
        local.record(path, value, key)

    fast = None if name in positioned else fast_parse(text, limits.max_scalar_chars)
    if fast is not None:
        fast_read.add(name)
        data: Any = fast
        local.attach_lazy(name, LazyPositions(name, text, dict(list_offsets), limits))
        _claim_entries(local, name, fast, list_offsets)
        unreadable = False
    else:
        # Imported when a file needs it: a large model read by the fast parser alone
        # never loads PyYAML.
        from crmorg.loading.yaml_nodes import parse_yaml

        parsed = parse_yaml(text, name, record, limits)
        findings.extend(parsed.findings)
        data, unreadable = parsed.data, bool(parsed.findings)
    source.add_file(name)
    start = Location(name, 1, 1)
    if data is None:
        if unreadable:
            gathered.unread.append(name)
        else:
            findings.append(
                make_finding(
                    "schema",
                    "the file is empty; a model file is one YAML mapping of sections "
                    "(version, organization, roles, ...): add content or delete the file",
                    start,
                )
            )
        return
    if not isinstance(data, dict):
        gathered.unread.append(name)
        findings.append(
            make_finding(
                "schema",
                "the top level of a model file must be a mapping of sections "
                "(version, organization, roles, ...), not "
                + ("a list" if isinstance(data, list) else "a single value"),
                start,
            )
        )
        return
    skip: set[DocPath] = set()
    for section, value in data.items():
        where = local.key((section,))
        if section not in SECTIONS:
            import difflib

            close = difflib.get_close_matches(str(section), SECTIONS, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            findings.append(
                make_finding(
                    "schema",
                    f"unknown top-level section `{printable(str(section))}`{hint}; "
                    "the sections are: " + ", ".join(SECTIONS),
                    where,
                )
            )
            continue
        if section == "version":
            if value != 1 or isinstance(value, bool):
                findings.append(
                    make_finding(
                        "schema",
                        f"`version` is {value!r}; this crmorg reads format version 1: "
                        "write `version: 1`",
                        local.value(("version",)),
                    )
                )
        elif section == "organization":
            if gathered.organization is not None:
                first = gathered.organization[1]
                findings.append(
                    make_finding(
                        "duplicate-id",
                        f"`organization` is defined twice, first at {first}; "
                        "exactly one file holds it",
                        where,
                        ("organization",),
                    )
                )
                skip.add(("organization",))
            else:
                gathered.organization = (value, where)
        elif section in _LIST_SECTIONS:
            if not isinstance(value, list):
                findings.append(
                    make_finding(
                        "schema",
                        f"`{section}` must be a list of {sections.section(section).singular}s",
                        local.value((section,)),
                    )
                )
                continue
            getattr(gathered, section).extend(value)
        else:
            _merge_keyed(section, value, gathered, source, local, findings, skip)
    source.update(local, skip)


def _claim_entries(
    local: SourceMap, name: str, data: dict[str, Any], list_offsets: dict[str, int]
) -> None:
    """Record which file each top-level entry of a fast-parsed file came from."""
    for section, value in data.items():
        local.claim((section,), name)
        if isinstance(value, dict):
            local.claim_entries(section, value, name)
        elif isinstance(value, list) and section in list_offsets:
            offset = list_offsets[section]
            local.claim_all(zip(repeat(section), range(offset, offset + len(value))), name)


_TWICE = {
    "settings": "setting `{key}` is given in more than one file, first at {first}; keep one",
    "entries": "{noun} `{key}` is defined twice; the first definition is at {first}: "
    "rename or remove one",
}


def _merge_keyed(
    section: str,
    value: Any,
    gathered: _Gathered,
    source: SourceMap,
    local: SourceMap,
    findings: list[Finding],
    skip: set[DocPath],
) -> None:
    """Merge a mapping section (``settings`` or one of id to entry) of one file; a key
    that an earlier file gave is reported and skipped."""
    if section == "settings":
        into, noun, must_be, twice = gathered.settings, "", "a mapping", _TWICE["settings"]
    elif value is None:
        return
    else:
        noun = sections.section(section).singular
        into, must_be, twice = (
            gathered.entities[section],
            f"a mapping from id to {noun}",
            _TWICE["entries"],
        )
    if not isinstance(value, dict):
        findings.append(
            make_finding("schema", f"`{section}` must be {must_be}", local.value((section,)))
        )
        return
    if into.keys().isdisjoint(value):  # the usual case, told by one set operation
        into.update(value)
        return
    for key, item in value.items():
        path = (section, key)
        if key in into:
            message = twice.format(noun=noun, key=printable(str(key)), first=source.key(path))
            findings.append(make_finding("duplicate-id", message, local.key(path), (str(key),)))
            skip.add(path)
            continue
        into[key] = item


def _validate(gathered: _Gathered, source: SourceMap, findings: list[Finding]) -> Document:
    rejected: dict[str, set[str]] = {section: set() for section in ID_SECTIONS}
    salvaged: dict[str, dict[str, Any]] = {section: {} for section in ID_SECTIONS}
    entities: dict[str, dict[str, Any]] = {}
    for section in ID_SECTIONS:
        entities[section] = _validate_entities(
            section,
            gathered.entities[section],
            source,
            findings,
            rejected[section],
            salvaged[section],
        )
    organization = None
    if gathered.organization is None:
        # When a file could not be read, `organization` may well be in it: saying it is
        # missing would only add noise to the finding that matters.
        if source.files and not gathered.unreadable:
            findings.append(
                make_finding(
                    "schema",
                    "no file holds `organization`; add `organization: {name: ...}` "
                    "to exactly one file",
                    Location(source.files[0], 1, 1),
                )
            )
    else:
        organization = _validate_one(
            Organization,
            gathered.organization[0],
            ("organization",),
            source,
            findings,
            "organization",
            (),
        )
    settings = _validate_one(
        Settings, gathered.settings, ("settings",), source, findings, "settings", ()
    )
    actions = _validate_actions(gathered.actions, source, findings)
    constraints, constraint_index = _validate_constraints(gathered.constraints, source, findings)
    return Document(
        organization=organization,
        actions=actions,
        constraints=constraints,
        settings=settings if settings is not None else Settings(),
        rejected={section: frozenset(ids) for section, ids in rejected.items()},
        constraint_index=constraint_index,
        salvaged={section: entries for section, entries in salvaged.items() if entries},
        unread=tuple(gathered.unread),
        over_limits=(),
        **entities,
    )


def _validate_entities(
    section: str,
    raw_entities: dict[str, Any],
    source: SourceMap,
    findings: list[Finding],
    rejected: set[str],
    salvaged: dict[str, Any],
) -> dict[str, Any]:
    declared = sections.section(section)
    model: type[BaseModel] = declared.entry
    valid: dict[str, Any] = {}
    # The model's own validator: model_validate adds a Python call per entry, and a large
    # model has a hundred thousand of them.
    validate: Callable[[Any], Any] = model.__pydantic_validator__.validate_python
    id_is_valid = ID_RE.fullmatch
    for entity_id, raw in raw_entities.items():
        if not isinstance(entity_id, str) or not id_is_valid(entity_id):
            path = (section, entity_id)
            findings.append(
                make_finding(
                    "schema",
                    f"`{printable(str(entity_id))}` is not a valid {declared.singular} id: "
                    "ids are lowercase letters, digits and `_`, start with a letter and have "
                    "at most 64 characters (like `sales_rep`)",
                    source.key(path),
                    (str(entity_id),),
                )
            )
            continue
        if raw is None:
            raw = {}
        try:
            valid[entity_id] = validate(raw)
        except ValidationError as error:
            rejected.add(entity_id)
            path, what = (section, entity_id), f"{declared.singular} `{entity_id}`"
            findings.extend(schema_findings(error, raw, path, source, what, model, (entity_id,)))
            rest = salvage(raw, error, validate)
            if rest is not None:
                salvaged[entity_id] = rest
    return valid


def _validate_one(
    model: type[BaseModel],
    raw: Any,
    path: DocPath,
    source: SourceMap,
    findings: list[Finding],
    what: str,
    subjects: tuple[str, ...],
) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        findings.extend(schema_findings(error, raw, path, source, what, model, subjects))
        return None


def _validate_actions(
    raw: list[Any], source: SourceMap, findings: list[Finding]
) -> tuple[str, ...]:
    actions: list[str] = []
    for index, action in enumerate(raw):
        if not isinstance(action, str) or not ID_RE.fullmatch(action):
            findings.append(
                make_finding(
                    "schema",
                    f"action {action!r} is not a valid id: lowercase letters, digits and `_`, "
                    "starting with a letter (like `refund`)",
                    source.value(("actions", index)),
                )
            )
        elif action not in actions:
            actions.append(action)
    return tuple(actions)


def _validate_constraints(
    raw: list[Any], source: SourceMap, findings: list[Finding]
) -> tuple[tuple[Constraint, ...], dict[str, int]]:
    constraints: list[Constraint] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        path = ("constraints", index)
        constraint_id = item.get("id") if isinstance(item, dict) else None
        what = (
            f"constraint `{printable(str(constraint_id))}`"
            if constraint_id
            else f"constraint #{index + 1}"
        )
        subjects = (constraint_id,) if isinstance(constraint_id, str) else ()
        if isinstance(constraint_id, str) and constraint_id in seen:
            first = source.value(("constraints", seen[constraint_id]))
            findings.append(
                make_finding(
                    "duplicate-id",
                    f"constraint `{constraint_id}` is defined twice; the first is at {first}",
                    source.value((*path, "id")),
                    subjects,
                )
            )
            continue
        kind = item.get("kind") if isinstance(item, dict) else None
        if not isinstance(kind, str) or kind not in _CONSTRAINT_MODELS:
            shown = repr(printable(kind)) if isinstance(kind, str) else _described(kind)
            findings.append(
                make_finding(
                    "schema",
                    f"{what}: `kind` is {shown}; expected separation_of_duties, "
                    "exclusive_roles or role_cardinality",
                    source.value((*path, "kind")),
                    subjects,
                )
            )
            continue
        model = _CONSTRAINT_MODELS[kind]
        try:
            constraint = model.model_validate(item)
        except ValidationError as error:
            findings.extend(schema_findings(error, item, path, source, what, model, subjects))
            continue
        seen[constraint.id] = index
        constraints.append(constraint)
    return tuple(constraints), seen


def _described(value: object) -> str:
    """A short description of a value that has the wrong type, for a message."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)
