"""An Odoo module's groups, access rights, record rules and organisation data as a
crmorg document.

What maps:

- ``res.groups`` -> a role (``group_role_<id>`` gives back ``<id>``); ``implied_ids``
  -> ``inherits``; a user's groups -> the person's roles. ``base.group_user`` (Internal
  User) is every person and maps to nothing.
- ``ir.model.access.csv`` -> which actions a group has on a model (read, write ->
  update, create, unlink -> delete); ``ir.rule`` of the group -> the scope: the shapes
  crmorg's export writes (``user_id = user.id`` own, ``child_of`` employees
  subordinates, sales-team membership team, ``child_of`` department department,
  ``[(1, '=', 1)]`` organization). A group with an access right and no rule for it
  reaches every record (organization). Two widest scopes (``subordinates`` with
  ``team``) go to an abstract role the group's role inherits.
- A rule on records owned by a group's, a team's or listed users' members -> a
  sharing rule to the rule's group.
- ``hr.department`` -> departments; ``res.users`` -> people (id from the login);
  ``hr.employee`` -> the person's manager (``reports_to``) and department (through a
  role ``<department>_member`` of that department, since a crmorg person has
  departments through roles and teams); ``crm.team`` and ``crm.team.member`` -> teams.
- Models -> resources: the export's mapping read backwards (``crm.lead`` with
  ``type = 'lead'`` -> ``lead``), custom models by their ``ir.model`` name, any other
  model named after itself with a finding.

Everything else (other domains, global rules, access rights of no group, fields and
records with no crmorg equivalent) is an ``import-unmapped`` finding at its line.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmorg.export.odoo import domains
from crmorg.export.odoo.mapping import (
    DEFAULT_OBJECTS,
    DEPARTMENT_FIELD,
    DISCRIMINATORS,
    MODULE,
    OWNER_FIELD,
    STANDARD_MODELS,
    TEAM_FIELD,
    OdooModel,
    odoo_model,
)
from crmorg.export.odoo.plan import PERMS
from crmorg.findings import Finding
from crmorg.importing.core import Imported, ImportFailed, unmapped
from crmorg.importing.odoo.parse import (
    ACCESS_PERMS,
    AccessRow,
    Field,
    NotUnderstood,
    Other,
    Record,
    Term,
    boolean,
    key_line,
    parse_domain,
    read_access,
    read_manifest,
    read_text,
    read_xml,
    tokens_term,
    x2many_refs,
)
from crmorg.roles.scopes import COVERED, Scope, maximal

ACTIONS = {perm: action for action, perm in PERMS.items()}
"""Odoo permission flag -> crmorg action."""
MANIFESTS = ("__manifest__.py", "__openerp__.py")
INTERNAL_USER = "base.group_user"
MAX_FILES = 200
_SCOPE_ORDER = (Scope.OWN, Scope.SUBORDINATES, Scope.TEAM, Scope.DEPARTMENT, Scope.ORGANIZATION)
_RULE_NAME = re.compile(r"^.*: (?P<resource>[a-z][a-z0-9_]{0,63}) at [a-z]+$")
_SHARING_NAME = re.compile(r"^sharing (?P<id>[a-z][a-z0-9_]{0,63}): (?P<resource>[a-z][a-z0-9_]*)$")
_SHORT = re.compile(r"[^a-z0-9_]+")

KNOWN_FIELDS: dict[str, frozenset[str]] = {
    "res.groups": frozenset(
        {
            "name",
            "category_id",
            "privilege_id",
            "implied_ids",
            "comment",
            "users",
            "user_ids",
            "sequence",
        }
    ),
    "ir.rule": frozenset({"name", "model_id", "groups", "domain_force", "active", *ACCESS_PERMS}),
    "hr.department": frozenset({"name", "parent_id"}),
    "res.users": frozenset({"name", "login", "groups_id", "group_ids"}),
    "hr.employee": frozenset({"name", "user_id", "department_id", "parent_id"}),
    "crm.team": frozenset({"name", "user_id", "member_ids"}),
    "crm.team.member": frozenset({"crm_team_id", "user_id"}),
    "ir.model": frozenset({"name", "model", "state"}),
    "ir.model.fields": frozenset(
        {"model_id", "name", "field_description", "ttype", "relation", "state"}
    ),
    "ir.module.category": frozenset({"name", "description", "sequence", "parent_id"}),
    "res.groups.privilege": frozenset({"name", "category_id", "description", "sequence"}),
}
"""The fields of each record model read (or knowingly passed over, for presentation)."""
_CRMORG_FIELDS = frozenset({OWNER_FIELD, TEAM_FIELD, DEPARTMENT_FIELD})


def make_id(text: str, fallback: str = "x") -> str:
    """A crmorg id from any text: lower case, ``[a-z0-9_]``, starting with a letter."""
    found = _SHORT.sub("_", text.lower()).strip("_")
    found = re.sub("_+", "_", found)
    if not found or not found[0].isalpha() or not found.isascii():
        found = f"{fallback}_{found}".strip("_") if found else fallback
    return found[:64].rstrip("_") or fallback


class Ids:
    """Ids unique within one section, made deterministically (a collision gets _2)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, text: str, fallback: str = "x") -> str:
        base = make_id(text, fallback)
        found, n = base, 2
        while found in self.used:
            suffix = f"_{n}"
            found, n = base[: 64 - len(suffix)] + suffix, n + 1
        self.used.add(found)
        return found


def _label(resource: str) -> str:
    return resource.replace("_", " ").capitalize()


def _where(item: Record | Other | AccessRow) -> str:
    return f"{item.file}:{item.line}"


@dataclass
class Rule:
    record: Record
    model: str
    groups: list[str]
    text: str
    perms: frozenset[str]


@dataclass
class Reader:
    """One module's files as they are read, and the findings met on the way."""

    source: Path
    module: Path
    name: str
    findings: list[Finding] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    others: list[Other] = field(default_factory=list)
    access: list[AccessRow] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
    _reported: set[tuple[str, ...]] = field(default_factory=set)

    def shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.source).as_posix()
        except ValueError:
            return path.name

    def finding(
        self,
        key: tuple[str, ...],
        message: str,
        file: str,
        line: int = 1,
        column: int = 1,
        subjects: Iterable[str] = (),
    ) -> None:
        """One finding per construct: ``key`` met again adds none."""
        if key in self._reported:
            return
        self._reported.add(key)
        self.findings.append(unmapped(message, file, line, column, subjects))

    def full(self, xmlid: str) -> str:
        """An external id with its module (``ref('x')`` in a module means ``module.x``)."""
        return xmlid if "." in xmlid else f"{self.name}.{xmlid}"


def locate(path: Path) -> tuple[Path, Path]:
    """(the path given, the module folder within it)."""
    if path.is_file():
        if path.name in MANIFESTS:
            return path.parent, path.parent
        raise ImportFailed(
            f"{path}: a file; give the folder of an Odoo addon module (the one holding "
            "__manifest__.py and security/)"
        )
    if any((path / m).is_file() for m in MANIFESTS) or (path / "security").is_dir():
        return path, path
    modules = sorted(
        child
        for child in path.iterdir()
        if child.is_dir() and any((child / m).is_file() for m in MANIFESTS)
    )
    if len(modules) == 1:
        return path, modules[0]
    if modules:
        names = ", ".join(m.name for m in modules)
        raise ImportFailed(f"{path}: holds several Odoo modules ({names}); give one of them")
    raise ImportFailed(
        f"{path}: no Odoo module here (no __manifest__.py, no security/ folder); give the "
        "folder of an Odoo addon module, such as the crmorg_access folder crmorg's odoo "
        "export writes"
    )


def _data_files(reader: Reader) -> list[Path]:
    module = reader.module
    manifest_path = next((module / m for m in MANIFESTS if (module / m).is_file()), None)
    listed: list[str] = []
    if manifest_path is not None:
        shown = reader.shown(manifest_path)
        reader.manifest = read_manifest(manifest_path, shown)
        text = read_text(manifest_path, shown)
        data = reader.manifest.get("data", [])
        if not isinstance(data, list) or not all(isinstance(d, str) for d in data):
            raise ImportFailed(f"{shown}: its 'data' is not a list of file names")
        for entry in data:
            line = key_line(text, entry)
            wanted = entry.startswith("security/") or entry in (
                "data/organisation.xml",
                "data/custom_fields.xml",
            )
            if not wanted:
                reader.finding(
                    ("file", entry),
                    f"data file {entry} is not access design (views, menus, data): not read",
                    shown,
                    line,
                )
            elif not (module / entry).is_file():
                reader.finding(
                    ("missing", entry), f"data file {entry} is listed but missing", shown, line
                )
            else:
                listed.append(entry)
        if "data" in reader.manifest:
            return [module / entry for entry in listed]
    found = sorted((module / "security").glob("*.xml")) + sorted(
        (module / "security").glob("*.csv")
    )
    found += [module / "data" / n for n in ("custom_fields.xml", "organisation.xml")]
    return [f for f in found if f.is_file()]


def read(path: Path) -> Imported:
    source, module = locate(Path(path))
    reader = Reader(source, module, module.name)
    files = _data_files(reader)
    if len(files) > MAX_FILES:
        raise ImportFailed(f"{source}: {len(files)} data files, more than a module holds")
    for file in files:
        shown = reader.shown(file)
        if file.suffix == ".csv":
            if file.name != "ir.model.access.csv":
                reader.finding(
                    ("csv", shown),
                    f"{file.name}: only ir.model.access.csv is read from CSV data",
                    shown,
                )
                continue
            reader.access += read_access(file, shown)
        elif file.suffix == ".xml":
            records, others = read_xml(file, shown)
            reader.records += records
            reader.others += others
        else:
            reader.finding(
                ("file", shown), f"data file {shown} is neither XML nor CSV: not read", shown
            )
    if not files:
        raise ImportFailed(
            f"{source}: the module has no security files (security/*.xml, "
            "security/ir.model.access.csv); give a module that defines groups or access"
        )
    return Builder(reader).build()


@dataclass
class Builder:
    reader: Reader
    roles: dict[str, dict[str, Any]] = field(default_factory=dict)
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    teams: dict[str, dict[str, Any]] = field(default_factory=dict)
    departments: dict[str, dict[str, Any]] = field(default_factory=dict)
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    sharing: dict[str, dict[str, Any]] = field(default_factory=dict)
    origins: dict[tuple[str, str], str] = field(default_factory=dict)
    role_ids: Ids = field(default_factory=Ids)
    group_role: dict[str, str] = field(default_factory=dict)
    """Group external id -> role id."""
    user_person: dict[str, str] = field(default_factory=dict)
    employee_person: dict[str, str] = field(default_factory=dict)
    team_ids: dict[str, str] = field(default_factory=dict)
    department_ids: dict[str, str] = field(default_factory=dict)
    model_names: dict[str, str] = field(default_factory=dict)
    """``ir.model`` external id -> model name."""
    custom_names: dict[str, str] = field(default_factory=dict)
    """Custom model name -> the resource its ir.model record names."""
    on_model: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    ruled: set[tuple[str, str, str]] = field(default_factory=set)
    team_records: dict[str, Record] = field(default_factory=dict)
    login_person: dict[str, str] = field(default_factory=dict)
    """(group, model, permission) that one of the group's rules restricts."""
    """Model -> the resources on it."""

    def finding(
        self,
        key: tuple[str, ...],
        message: str,
        item: Record | Other | AccessRow,
        column: int | None = None,
        subjects: Iterable[str] = (),
    ) -> None:
        col = column if column is not None else getattr(item, "column", 1)
        self.reader.finding(key, message, item.file, item.line, col, subjects)

    # -- records ------------------------------------------------------------------
    def build(self) -> Imported:
        reader = self.reader
        by_model: dict[str, list[Record]] = defaultdict(list)
        for record in reader.records:
            by_model[record.model].append(record)
            known = KNOWN_FIELDS.get(record.model)
            if known is None:
                self.finding(
                    ("model", record.model),
                    f"records of {record.model} (first "
                    f"{record.xmlid or 'unnamed'}) are not access design crmorg "
                    "carries: not imported",
                    record,
                )
                continue
            for name, value in record.fields.items():
                if name not in known:
                    reader.finding(
                        ("field", record.model, name),
                        f"field {name} of "
                        f"{record.model} (first on {record.xmlid}) has no crmorg "
                        "equivalent: not imported",
                        record.file,
                        value.line,
                        value.column,
                    )
        for other in reader.others:
            self._other(other)
        for record in by_model["ir.model"]:
            self._ir_model(record)
        for record in by_model["ir.model.fields"]:
            name = record.value("name") or ""
            if name not in _CRMORG_FIELDS:
                self.finding(
                    ("custom-field", record.xmlid),
                    f"custom field {name} ({record.xmlid}) is not access design: not imported",
                    record,
                )
        groups = {reader.full(r.xmlid): r for r in by_model["res.groups"]}
        for xmlid, record in groups.items():
            self._group(xmlid, record)
        for xmlid, record in groups.items():
            self._implied(xmlid, record, groups)
        for record in by_model["hr.department"]:
            key = reader.full(record.xmlid)
            self.department_ids[key] = self._id_of(record.xmlid, "department_", self.departments)
        for record in by_model["hr.department"]:
            self._department(record)
        for record in by_model["res.users"]:
            self._user(record)
        for record in by_model["hr.employee"]:
            self._employee_person(record)
        for record in by_model["hr.employee"]:
            self._employee(record)
        for record in by_model["crm.team"]:
            self._team(record)
        for record in by_model["crm.team.member"]:
            self._member(record)
        for record in groups.values():
            self._group_users(record)
        rules = [rule for r in by_model["ir.rule"] if (rule := self._rule(r)) is not None]
        self._grants(rules)
        self._receivers()
        self._team_leads()
        document: dict[str, Any] = {
            "version": 1,
            "organization": {"name": self._organization()},
            "resources": dict(sorted(self.resources.items())),
            "departments": self.departments,
            "roles": self.roles,
            "teams": self.teams,
            "people": self.people,
        }
        if self.sharing:
            document["sharing"] = self.sharing
        document = {k: v for k, v in document.items() if v or k in ("version", "organization")}
        return Imported(
            "odoo", str(reader.source), document, tuple(reader.findings), dict(self.origins)
        )

    def _organization(self) -> str:
        name = self.reader.manifest.get("name")
        if isinstance(name, str) and name.strip():
            return name.removeprefix("crmorg access: ").strip() or name
        return self.reader.name

    def _other(self, other: Other) -> None:
        if (
            other.tag == "function"
            and other.attrs.get("model") == "ir.config_parameter"
            and "sales_team.membership_multi" in other.attrs.get("eval", "")
        ):
            return  # several teams per user: what crmorg means by teams
        what = other.attrs.get("id") or other.attrs.get("name") or other.attrs.get("model") or ""
        self.finding(
            ("element", other.file, str(other.line)),
            f"<{other.tag}> {what}: not access design crmorg carries (not imported)",
            other,
        )

    def _id_of(
        self, xmlid: str, prefix: str, section: dict[str, Any], ids: Ids | None = None
    ) -> str:
        local = xmlid.split(".")[-1]
        if local.startswith(prefix) and len(local) > len(prefix):
            local = local[len(prefix) :]
        used = ids or self._ids_for(section)
        return used.make(local)

    _section_ids: dict[int, Ids] = field(default_factory=dict)

    def _ids_for(self, section: dict[str, Any]) -> Ids:
        return self._section_ids.setdefault(id(section), Ids())

    def _ir_model(self, record: Record) -> None:
        model = record.value("model") or ""
        name = record.value("name") or model
        if model:
            self.model_names[self.reader.full(record.xmlid)] = model
            self.custom_names[model] = name

    def model_of(self, ref: str, item: Record | AccessRow) -> str:
        full = self.reader.full(ref)
        if full in self.model_names:
            return self.model_names[full]
        for name in STANDARD_MODELS:
            if odoo_model(name).xmlid == full:
                return name
        local = full.split(".", 1)[-1].removeprefix("model_")
        name = local if local.startswith("x_") else local.replace("_", ".")
        self.model_names[full] = name
        return name

    def resources_of(self, model: str, item: Record | Other | AccessRow) -> set[str]:
        """The resources on ``model`` (made on first sight)."""
        if model not in self.on_model:
            if model in self.custom_names:
                named = {self._resource(self.custom_names[model], model)}
            else:
                defaults = [r for r, m in DEFAULT_OBJECTS.items() if m == model]
                named = {self._resource(r, model) for r in defaults}
                if not named:
                    named = {self._resource(model, model, label=model)}
                    if not model.startswith("x_"):
                        self.finding(
                            ("unknown-model", model),
                            f"model {model} is not one "
                            "crmorg's mapping knows: it becomes the resource "
                            f"{make_id(model)}, its owner assumed to be user_id",
                            item,
                        )
            self.on_model[model] = named
        return self.on_model[model]

    def _resource(self, name: str, model: str, label: str | None = None) -> str:
        resource = make_id(name, "resource")
        if resource not in self.resources:
            # Odoo's access rights and rules know these four actions only.
            self.resources[resource] = {"name": label or _label(resource), "actions": list(PERMS)}
        self.on_model[model].add(resource)
        return resource

    # -- groups -------------------------------------------------------------------
    def _group(self, xmlid: str, record: Record) -> None:
        local = xmlid.split(".")[-1]
        prefix = "group_role_" if local.startswith("group_role_") else "group_"
        role = self._id_of(local, prefix, self.roles, self.role_ids)
        name = (record.value("name") or "").strip()
        if name.endswith(f" ({role})"):
            name = name[: -len(f" ({role})")]
        entry: dict[str, Any] = {"name": name or role}
        comment = record.value("comment")
        if comment and not comment.startswith(("role ", "sharing rule ")):
            entry["description"] = comment
        self.roles[role] = entry
        self.group_role[xmlid] = role
        self.origins[("roles", role)] = _where(record)

    def _stub(
        self, xmlid: str, item: Record | Other | AccessRow, at: Field | None = None
    ) -> str | None:
        """The role of a group defined outside these files (None: the internal user)."""
        if xmlid == INTERNAL_USER:
            return None
        if xmlid not in self.group_role:
            role = self.role_ids.make(xmlid.replace(".", "_"))
            self.roles[role] = {
                "name": xmlid,
                "description": "A group defined outside "
                "the imported files: its rights there are not in the model.",
            }
            self.group_role[xmlid] = role
            self.origins[("roles", role)] = _where(item)
            if at is not None:
                item = Other(item.file, "field", {}, at.line, at.column)
            self.finding(
                ("external", xmlid),
                f"group {xmlid} is defined outside these files: "
                f"its own rights are not imported (role {role} has none)",
                item,
            )
        return self.group_role[xmlid]

    def _refs(self, record: Record, name: str) -> list[str]:
        text = record.value(name)
        found = record.fields.get(name)
        if text is None or found is None:
            return []
        if "ref" in found.attrs:
            return [self.reader.full(found.attrs["ref"])]
        try:
            linked, other = x2many_refs(text)
        except NotUnderstood:
            self.reader.finding(
                ("eval", record.file, str(found.line)),
                f"{name} of "
                f"{record.xmlid}: {' '.join(text.split())} is not a list of "
                "links: not imported",
                record.file,
                found.line,
                found.column,
            )
            return []
        if other:
            self.reader.finding(
                ("eval", record.file, str(found.line)),
                f"{name} of "
                f"{record.xmlid}: commands {', '.join(other)} are not links: "
                "not imported",
                record.file,
                found.line,
                found.column,
            )
        return [self.reader.full(r) for r in linked]

    def _implied(self, xmlid: str, record: Record, groups: dict[str, Record]) -> None:
        role = self.group_role[xmlid]
        inherits: list[str] = []
        for ref in self._refs(record, "implied_ids"):
            at = record.fields["implied_ids"]
            parent = self.group_role.get(ref) or self._stub(ref, record, at)
            if parent is not None and parent not in inherits and parent != role:
                inherits.append(parent)
        if inherits:
            self.roles[role]["inherits"] = inherits

    def _group_users(self, record: Record) -> None:
        role = self.group_role[self.reader.full(record.xmlid)]
        for name in ("users", "user_ids"):
            for ref in self._refs(record, name):
                person = self.user_person.get(ref)
                if person is None:
                    self.finding(
                        ("user", ref),
                        f"user {ref} is defined outside these files: not imported",
                        record,
                    )
                    continue
                held = self.people[person].setdefault("roles", [])
                if role not in held:
                    held.append(role)

    # -- organisation -------------------------------------------------------------
    def _department(self, record: Record) -> None:
        dept = self.department_ids[self.reader.full(record.xmlid)]
        entry: dict[str, Any] = {"name": (record.value("name") or "").strip() or dept}
        parent = record.ref("parent_id")
        if parent is not None:
            found = self.department_ids.get(self.reader.full(parent))
            if found is None:
                self.finding(
                    ("dept", parent),
                    f"department {parent} is defined outside "
                    "these files: the parent is not imported",
                    record,
                )
            else:
                entry["parent"] = found
        self.departments[dept] = entry
        self.origins[("departments", dept)] = _where(record)

    def _person_ids(self) -> Ids:
        return self._ids_for(self.people)

    def _user(self, record: Record) -> None:
        login = (record.value("login") or "").strip() or record.xmlid.removeprefix("user_")
        person = self._person_ids().make(login, "user")
        self.login_person.setdefault(login, person)
        entry: dict[str, Any] = {"name": (record.value("name") or "").strip() or login}
        roles: list[str] = []
        for name in ("groups_id", "group_ids"):
            for ref in self._refs(record, name):
                role = self.group_role.get(ref) or self._stub(ref, record, record.fields[name])
                if role is not None and role not in roles:
                    roles.append(role)
        entry["roles"] = roles
        self.people[person] = entry
        self.user_person[self.reader.full(record.xmlid)] = person
        self.origins[("people", person)] = _where(record)

    def _employee_person(self, record: Record) -> None:
        user = record.ref("user_id")
        key = self.reader.full(record.xmlid)
        if user is not None and self.reader.full(user) in self.user_person:
            self.employee_person[key] = self.user_person[self.reader.full(user)]
            return
        local = record.xmlid.split(".")[-1].removeprefix("employee_")
        person = self._person_ids().make(local, "employee")
        self.people[person] = {"name": (record.value("name") or "").strip() or person, "roles": []}
        self.employee_person[key] = person
        self.origins[("people", person)] = _where(record)

    def _employee(self, record: Record) -> None:
        person = self.employee_person[self.reader.full(record.xmlid)]
        entry = self.people[person]
        manager = record.ref("parent_id")
        if manager is not None:
            boss = self.employee_person.get(self.reader.full(manager))
            if boss is None:
                self.finding(
                    ("employee", manager),
                    f"employee {manager} is defined outside "
                    "these files: the manager is not imported",
                    record,
                )
            elif boss != person:
                entry["reports_to"] = boss
        department = record.ref("department_id")
        if department is not None:
            dept = self.department_ids.get(self.reader.full(department))
            if dept is None:
                self.finding(
                    ("dept", department),
                    f"department {department} is defined outside these files: not imported",
                    record,
                )
                return
            role = self._department_role(dept, record)
            if role not in entry["roles"]:
                entry["roles"].append(role)

    def _department_role(self, dept: str, record: Record) -> str:
        key = f"department:{dept}"
        if key not in self.group_role:
            role = self.role_ids.make(f"{dept}_member")
            self.roles[role] = {
                "name": f"Member of {self.departments[dept]['name']}",
                "description": "An Odoo employee's department (hr.employee.department_id): a "
                "crmorg person has departments through roles and teams.",
                "department": dept,
            }
            self.group_role[key] = role
            self.origins[("roles", role)] = _where(record)
        return self.group_role[key]

    def _team(self, record: Record) -> None:
        team = self._id_of(record.xmlid, "team_", self.teams)
        self.team_ids[self.reader.full(record.xmlid)] = team
        entry: dict[str, Any] = {"name": (record.value("name") or "").strip() or team}
        leader = record.ref("user_id")
        if leader is not None and self.reader.full(leader) in self.user_person:
            entry["lead"] = self.user_person[self.reader.full(leader)]
        self.teams[team] = entry
        self.origins[("teams", team)] = _where(record)
        self.team_records[team] = record
        for ref in self._refs(record, "member_ids"):
            self._join(team, ref, record)

    def _join(self, team: str, user: str, record: Record) -> None:
        person = self.user_person.get(user)
        if person is None:
            self.finding(
                ("user", user), f"user {user} is defined outside these files: not imported", record
            )
            return
        held = self.people[person].setdefault("teams", [])
        if team not in held:
            held.append(team)

    def _member(self, record: Record) -> None:
        team_ref, user = record.ref("crm_team_id"), record.ref("user_id")
        team = None if team_ref is None else self.team_ids.get(self.reader.full(team_ref))
        if team is None or user is None:
            self.finding(
                ("membership", record.xmlid),
                f"team membership {record.xmlid} names "
                "no team or user of these files: not imported",
                record,
            )
            return
        self._join(team, self.reader.full(user), record)

    def _team_leads(self) -> None:
        for team, entry in self.teams.items():
            lead = entry.get("lead")
            if lead is not None and team not in self.people[lead].get("teams", []):
                self.finding(
                    ("lead", team),
                    f"team {team}: its leader {lead} is not a "
                    "member in Odoo, but crmorg makes a team's lead a member",
                    self.team_records[team],
                )

    # -- rules and grants ---------------------------------------------------------
    def _rule(self, record: Record) -> Rule | None:
        if not boolean(record.value("active"), True):
            self.finding(
                ("rule", record.xmlid),
                f"record rule {record.xmlid} is inactive: not imported",
                record,
            )
            return None
        model_ref = record.ref("model_id")
        if model_ref is None:
            self.finding(
                ("rule", record.xmlid),
                f"record rule {record.xmlid} names no model: not imported",
                record,
            )
            return None
        model = self.model_of(model_ref, record)
        at = record.fields["model_id"]
        self.resources_of(model, Other(record.file, "field", {}, at.line, at.column))
        groups = self._refs(record, "groups")
        text = " ".join((record.value("domain_force") or "[]").split())
        perms = frozenset(p for p in ACCESS_PERMS if boolean(record.value(p), True))
        if not groups:
            self.finding(
                ("rule", record.xmlid),
                f"record rule {record.xmlid} on {model} is "
                f"global (no groups): it narrows everyone to {text}, which crmorg "
                "has no equivalent for",
                record,
            )
            return None
        for group in groups:
            if group not in self.group_role:
                self._stub(group, record)
        if INTERNAL_USER in groups:
            self.finding(
                ("rule-internal", record.xmlid),
                f"record rule {record.xmlid} on {model} is for every internal user "
                f"(base.group_user): it narrows everyone to {text}, which crmorg has no "
                "equivalent for",
                record,
            )
        kept = [g for g in groups if g != INTERNAL_USER]
        if not kept:
            return None
        return Rule(record, model, kept, text, perms)

    def _grants(self, rules: list[Rule]) -> None:
        access: dict[tuple[str, str], set[str]] = defaultdict(set)
        for row in self.reader.access:
            if not row.group:
                self.finding(
                    ("access", row.xmlid),
                    f"access right {row.xmlid} has no group: "
                    "it gives every user its rights, which crmorg has no equivalent "
                    "for",
                    row,
                    1,
                )
                continue
            model = self.model_of(row.model, row)
            self.resources_of(model, row)
            group = self.reader.full(row.group)
            if group == INTERNAL_USER:
                self.finding(
                    ("access", row.xmlid),
                    f"access right {row.xmlid} is for every "
                    "internal user (base.group_user): crmorg has no role for "
                    "everyone, not imported",
                    row,
                    1,
                )
                continue
            if group not in self.group_role:
                self._stub(group, row)
            access[(group, model)] |= row.perms
        implied: dict[str, set[str]] = {g: self._closure(g) for g in self.group_role}
        scoped: dict[tuple[str, str, str], list[tuple[str | None, Scope]]] = defaultdict(list)
        for rule in rules:
            self._classify(rule, access, implied, scoped)
        grants: dict[tuple[str, str, str], set[Scope]] = defaultdict(set)
        for (group, model), perms in access.items():
            for perm in perms:
                found = scoped.get((group, model, perm), [])
                if (group, model, perm) not in self.ruled:
                    if any((g, model, perm) in self.ruled for g in implied.get(group, set())):
                        continue  # the implied groups' rules restrict it
                    found = [(None, Scope.ORGANIZATION)]
                for resource, scope in found:
                    targets = self.on_model[model] if resource is None else {resource}
                    for target in targets:
                        grants[(group, target, ACTIONS[perm])].add(scope)
        self._write_grants(grants)

    def _closure(self, group: str) -> set[str]:
        """The groups ``group`` implies, transitively (itself not included)."""
        found: set[str] = set()
        pending = [group]
        while pending:
            current = pending.pop()
            role = self.group_role.get(current)
            if role is None:
                continue
            for parent in self.roles[role].get("inherits", []):
                key = next((g for g, r in self.group_role.items() if r == parent), None)
                if key is not None and key not in found:
                    found.add(key)
                    pending.append(key)
        return found

    def _classify(
        self,
        rule: Rule,
        access: dict[tuple[str, str], set[str]],
        implied: dict[str, set[str]],
        scoped: dict[tuple[str, str, str], list[tuple[str | None, Scope]]],
    ) -> None:
        record, model = rule.record, rule.model
        domain_field = record.fields.get("domain_force")
        line = domain_field.line if domain_field else record.line
        column = domain_field.column if domain_field else record.column
        odoo = odoo_model(model)
        self.ruled |= {(group, model, perm) for group in rule.groups for perm in rule.perms}
        try:
            term = parse_domain(rule.text)
        except NotUnderstood as why:
            self.reader.finding(
                ("rule", record.xmlid),
                f"record rule {record.xmlid} on {model}:"
                f" domain {rule.text} cannot be read ({why}): not imported",
                record.file,
                line,
                column,
                [record.xmlid],
            )
            return
        self.resources_of(model, record)
        if term == ("&",):  # the empty domain: every record
            term = tokens_term(domains.EVERY_RECORD)
        resource, rest = self._discriminated(model, term)
        if resource is None:
            named = _RULE_NAME.match(record.value("name") or "")
            if named and self.reader.name == MODULE:
                self._resource(named["resource"], model)
        scope = _scope(odoo, rest)
        if scope is not None:
            for group in rule.groups:
                if not any(
                    (g, model) in access and access[(g, model)] & rule.perms
                    for g in (group, *implied.get(group, set()))
                ):
                    self.reader.finding(
                        ("rule", record.xmlid, group),
                        f"record rule "
                        f"{record.xmlid} on {model}: group {group} has no "
                        "access right it narrows; its records reach only "
                        "users given access by another group, which crmorg "
                        "has no equivalent for",
                        record.file,
                        record.line,
                        record.column,
                        [record.xmlid],
                    )
                    continue
                for perm in rule.perms:
                    scoped[(group, model, perm)].append((resource, scope))
            return
        owners = self._owners(odoo, rest, record)
        if owners is None:
            self.reader.finding(
                ("rule", record.xmlid),
                f"record rule {record.xmlid} on {model}: "
                f"domain {rule.text} is not one of crmorg's scopes: not "
                "imported",
                record.file,
                line,
                column,
                [record.xmlid],
            )
            return
        if not owners:
            self.reader.finding(
                ("rule", record.xmlid),
                f"record rule {record.xmlid} shares no "
                "record (its owners are nobody): not imported",
                record.file,
                line,
                column,
                [record.xmlid],
            )
            return
        kind, group_id = owners
        actions = sorted(ACTIONS[p] for p in rule.perms)
        named = _SHARING_NAME.match(record.value("name") or "")
        named = named if self.reader.name == MODULE else None
        base = named["id"] if named else record.xmlid.split(".")[-1].removeprefix("rule_sharing_")
        if named and resource is None:
            resource = self._resource(named["resource"], model)
        targets = sorted(self.on_model[model]) if resource is None else [resource]
        for group in rule.groups:
            for target in targets:
                sharing = self._ids_for(self.sharing).make(
                    base if len(targets) == 1 else f"{base}_{target}"
                )
                self.sharing[sharing] = {
                    "resource": target,
                    "from": {kind: group_id},
                    "to": {"role": self.group_role[group]},
                    "actions": actions,
                }
                self.origins[("sharing", sharing)] = _where(record)

    def _discriminated(self, model: str, term: Term) -> tuple[str | None, Term]:
        for (odoo, resource), disc in DISCRIMINATORS.items():
            if odoo != model:
                continue
            leaf = domains.Leaf(disc.field, disc.operator, disc.value)
            if term == leaf:
                return self._resource(resource, model), tokens_term(domains.EVERY_RECORD)
            if isinstance(term, tuple) and len(term) == 3 and term[0] == "&" and term[1] == leaf:
                return self._resource(resource, model), term[2]
        return None, term

    def _owners(
        self, odoo: OdooModel, term: Term, record: Record
    ) -> tuple[str, str] | tuple[()] | None:
        """A sharing rule's ``from``: ``("role", id)``, ``("team", id)``, ``()`` for
        nobody, or None when the domain is no such shape."""
        if term == domains.Leaf(0, "=", 1):
            return ()
        if not isinstance(term, domains.Leaf) or term.operator != "in":
            return None
        path = str(term.path)
        prefix = f"{odoo.owner}."
        if not path.startswith(prefix):
            return None
        tail, value = path[len(prefix) :], term.value
        ref = re.fullmatch(r"user\.env\.ref\('([^']+)'\)\.ids", getattr(value, "text", ""))
        if tail in ("groups_id", "all_group_ids", "group_ids") and ref:
            group = self.reader.full(ref[1])
            role = self.group_role.get(group) or self._stub(group, record)
            return None if role is None else ("role", role)
        if tail == "crm_team_ids" and ref:
            team = self.team_ids.get(self.reader.full(ref[1]))
            return None if team is None else ("team", team)
        if tail == "login" and isinstance(value, tuple):
            return self._login_group(value, record)
        return None

    def _login_group(self, logins: tuple[str, ...], record: Record) -> tuple[str, str]:
        people = {self._person_by_login(login) for login in logins} - {None}
        depts = self._department_members()
        for dept in sorted(depts):
            if depts[dept] == people:
                return ("department", dept)
        for team in sorted(self.teams):
            members = {p for p, e in self.people.items() if team in e.get("teams", [])}
            if members == people:
                return ("team", team)
        key = "owners:" + ",".join(sorted(str(p) for p in people))
        if key not in self.group_role:
            role = self.role_ids.make(record.xmlid.split(".")[-1].removeprefix("rule_") + "_owners")
            self.roles[role] = {
                "name": f"Owners shared by {record.xmlid}",
                "description": "The users an Odoo record rule names by login.",
            }
            self.group_role[key] = role
            self.origins[("roles", role)] = _where(record)
            for person in sorted(str(p) for p in people):
                self.people[person]["roles"].append(role)
        return ("role", self.group_role[key])

    def _receivers(self) -> None:
        """crmorg's export gives a sharing rule to a team or department through a group
        of its own (``group_sharing_<id>``) that its members hold: where the holders are
        exactly a department's or a team's members, the rule goes to that group and the
        role made for it is dropped."""
        if self.reader.name != MODULE:
            return
        made = {
            role
            for group, role in self.group_role.items()
            if group.startswith(f"{MODULE}.group_sharing_")
            and not self.roles[role].get("grants")
            and not self.roles[role].get("inherits")
        }
        used_elsewhere = {
            role for entry in self.roles.values() for role in entry.get("inherits", [])
        } | {rule["from"].get("role") for rule in self.sharing.values()}
        for role in sorted(made - used_elsewhere):
            holders = {p for p, e in self.people.items() if role in e.get("roles", [])}
            receivers = [r for r in self.sharing.values() if r["to"] == {"role": role}]
            if not holders or not receivers:
                continue
            found: tuple[str, str] | None = None
            depts = self._department_members()
            found = next((("department", d) for d in sorted(depts) if depts[d] == holders), None)
            if found is None:
                teams = {
                    t: {p for p, e in self.people.items() if t in e.get("teams", [])}
                    for t in self.teams
                }
                found = next((("team", t) for t in sorted(teams) if teams[t] == holders), None)
            if found is None:
                continue
            for rule in receivers:
                rule["to"] = {found[0]: found[1]}
            for person in holders:
                self.people[person]["roles"].remove(role)
            del self.roles[role]
            self.origins.pop(("roles", role), None)

    def _person_by_login(self, login: str) -> str | None:
        return self.login_person.get(login)

    def _department_members(self) -> dict[str, set[str]]:
        parents = {d: e.get("parent") for d, e in self.departments.items()}
        found: dict[str, set[str]] = defaultdict(set)
        for person, entry in self.people.items():
            for role in entry.get("roles", []):
                dept = self.roles[role].get("department")
                seen: set[str] = set()
                while dept is not None and dept not in seen:
                    seen.add(dept)
                    found[dept].add(person)
                    dept = parents.get(dept)
        return found

    def _write_grants(self, grants: dict[tuple[str, str, str], set[Scope]]) -> None:
        by_role = self.group_role
        extra: dict[str, str] = {}
        for (group, resource, action), scopes in sorted(grants.items(), key=lambda i: i[0]):
            role = by_role[group]
            mask = 0
            for scope in scopes:
                mask |= _down(scope)
            widest = [s for s in _SCOPE_ORDER if s in maximal(mask)]
            entry = self.roles[role]
            entry.setdefault("grants", {}).setdefault(resource, {})[action] = widest[-1].label
            for other in widest[:-1]:
                helper = extra.get(role)
                if helper is None:
                    helper = self.role_ids.make(f"{role}_also")
                    extra[role] = helper
                    self.roles[helper] = {
                        "name": f"{entry['name']} (also)",
                        "abstract": True,
                        "description": "The scopes Odoo's rules of the group "
                        "add that crmorg holds in one more role.",
                    }
                    self.origins[("roles", helper)] = self.origins.get(("roles", role), "")
                    entry.setdefault("inherits", []).append(helper)
                grants_of = self.roles[helper].setdefault("grants", {})
                grants_of.setdefault(resource, {})[action] = other.label


def _down(scope: Scope) -> int:
    return COVERED[scope]


_SCOPES_BY_MODEL: dict[str, list[tuple[Term, Scope]]] = {}


def _scope(odoo: OdooModel, term: Term) -> Scope | None:
    shapes = _SCOPES_BY_MODEL.get(odoo.name)
    if shapes is None:
        shapes = []
        for scope in _SCOPE_ORDER:
            found = domains.scope_domain(odoo, scope)
            if found is not None:
                shapes.append((tokens_term(found), scope))
        _SCOPES_BY_MODEL[odoo.name] = shapes
    for shape, scope in shapes:
        if shape == term:
            return scope
    return None


__all__ = ["make_id", "read"]
