"""Odoo's access checks, written from its documentation, over the addon's own files.

Odoo decides an operation (read, write, create, unlink) of a user on a record in two
steps (Odoo's developer documentation, "Security in Odoo"):

1. **Access rights** (``ir.model.access``): the operation is allowed on the model when
   one of the user's groups has the flag. Groups include the ones they imply
   (``implied_ids``), transitively.
2. **Record rules** (``ir.rule``) for that model and operation: *global* rules (no
   groups) are intersected; the rules of the user's groups are united, and a user none of
   whose groups has a rule for it is not restricted by group rules.

A rule's ``domain_force`` is a domain: leaves ``(path, operator, value)`` in Polish
notation with ``'|'``, ``'&'`` and ``'!'`` (consecutive terms are AND-ed). Paths follow
fields through records (``user_id.employee_ids.department_id``); ``child_of`` matches
records at or below the given ones in their model's parent hierarchy (``parent_id``).
The value is evaluated with ``user`` (the current ``res.users``) in scope.

This module never ``eval``s: a domain is parsed with :func:`ast.parse` and only
literals, ``user`` attribute chains (``user.employee_ids.ids``) and
``user.env.ref('module.xmlid').ids`` are understood. Anything else raises.
"""

from __future__ import annotations

import ast
import csv
import io
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

Ref = tuple[str, str]
"""A record: (model, external id without the module)."""

MODULE = "crmorg_access"
USER_FIELDS = frozenset({"user_id", "invoice_user_id", "x_crmorg_user_id", "user_ids"})
TEAM_FIELDS = frozenset({"team_id", "x_crmorg_team_id"})
DEPARTMENT_FIELDS = frozenset({"x_crmorg_department_id"})


def _local(xmlid: str) -> str:
    return xmlid.split(".", 1)[1] if xmlid.startswith(f"{MODULE}.") else xmlid


@dataclass(frozen=True)
class RecordRule:
    model: str
    groups: frozenset[str]
    domain: tuple[Any, ...]
    perms: frozenset[str]


@dataclass
class OdooDatabase:
    """What installing the addon puts in a database, read from its files."""

    implied: dict[str, set[str]] = field(default_factory=dict)
    rules: list[RecordRule] = field(default_factory=list)
    access: list[tuple[str, str, frozenset[str]]] = field(default_factory=list)
    """(model, group, perms)."""
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    employees: dict[str, dict[str, str | None]] = field(default_factory=dict)
    departments: dict[str, str | None] = field(default_factory=dict)
    teams: set[str] = field(default_factory=set)
    members: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """User -> the crm.team records they are a member of."""
    by_login: dict[str, str] = field(default_factory=dict)
    defined: set[str] = field(default_factory=set)
    """The module's external ids loaded so far."""
    _group_names: set[tuple[str | None, str | None]] = field(default_factory=set)

    @classmethod
    def load(cls, files: Mapping[str, str | bytes], users_field: str) -> OdooDatabase:
        """The module's data files in the order its manifest loads them (every file when
        there is no manifest). As Odoo does, a reference to one of the module's own
        records must come after that record; a reference to another module's is
        trusted (``crm.model_crm_lead``)."""

        def text(content: str | bytes) -> str:
            return content.decode("utf-8") if isinstance(content, bytes) else content

        manifest = next((n for n in files if n.endswith("__manifest__.py")), None)
        if manifest is None:
            order = sorted(files)
        else:
            root = manifest.rsplit("/", 1)[0]
            data = ast.literal_eval(text(files[manifest]))["data"]
            order = [f"{root}/{name}" for name in data]
            unlisted = {n for n in files if n.endswith((".xml", ".csv"))} - set(order)
            assert not unlisted, f"data files the manifest does not load: {sorted(unlisted)}"
        db = cls()
        for name in order:
            if name.endswith(".xml"):
                db._load_xml(ET.fromstring(text(files[name]).encode("utf-8")), users_field)
            elif name.endswith("ir.model.access.csv"):
                db._load_access(text(files[name]))
        return db

    def _define(self, xmlid: str) -> None:
        if xmlid in self.defined:  # Odoo would silently overwrite the first
            raise ValueError(f"{xmlid} is defined twice")
        self.defined.add(xmlid)

    def _require(self, xmlid: str | None) -> None:
        if xmlid is None:
            return
        module, _, local = xmlid.rpartition(".")
        if module in ("", MODULE) and local not in self.defined:
            raise ValueError(f"{xmlid} is referenced before it is defined")

    def _load_xml(self, root: ET.Element, users_field: str) -> None:
        assert root.tag == "odoo"
        for record in root.iter("record"):
            model, xmlid = record.get("model"), record.get("id")
            assert model and xmlid
            fields = {f.get("name"): f for f in record.findall("field")}
            for element in fields.values():
                self._require(element.get("ref"))
                if element.get("eval"):
                    for referenced in _refs(element):
                        self._require(referenced)
            self._define(xmlid)

            def ref(name: str, fields: dict[str | None, ET.Element] = fields) -> str | None:
                element = fields.get(name)
                return None if element is None else element.get("ref")

            if model == "res.groups":
                # Odoo: "The name of the group must be unique within an application!"
                place = ref("category_id") or ref("privilege_id")
                named = (place, fields["name"].text if "name" in fields else None)
                if named in self._group_names:
                    raise ValueError(f"two groups named {named}")
                self._group_names.add(named)
                self.implied[xmlid] = (
                    set(_refs(fields["implied_ids"])) if "implied_ids" in fields else set()
                )
            elif model == "ir.rule":
                perms = frozenset(
                    p
                    for p in ("perm_read", "perm_write", "perm_create", "perm_unlink")
                    if fields[p].get("eval") == "True"
                )
                if not perms:  # Odoo: "Rule must have at least one checked access right!"
                    raise ValueError(f"rule {xmlid} has no access right checked")
                groups = frozenset(_refs(fields["groups"])) if "groups" in fields else frozenset()
                model_ref = ref("model_id")
                assert model_ref is not None
                self.rules.append(
                    RecordRule(
                        model_ref, groups, parse_domain(fields["domain_force"].text or ""), perms
                    )
                )
            elif model == "res.users":
                login = fields["login"].text
                assert login
                self.users[xmlid] = {"login": login, "groups": set(_refs(fields[users_field]))}
                if login in self.by_login:
                    raise ValueError(f"two users log in as {login}")
                self.by_login[login] = xmlid
            elif model == "hr.employee":
                self.employees[xmlid] = {
                    "user": ref("user_id"), "parent": ref("parent_id"),
                    "department": ref("department_id"),
                }  # fmt: skip
            elif model == "hr.department":
                self.departments[xmlid] = ref("parent_id")
            elif model == "crm.team":
                self.teams.add(xmlid)
            elif model == "crm.team.member":
                user, team = ref("user_id"), ref("crm_team_id")
                assert user and team
                self.members[user].add(team)

    def _load_access(self, text: str) -> None:
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        for row in rows:
            self._require(row["model_id:id"])
            self._require(row["group_id:id"])
            self._define(row["id"])
            perms = frozenset(
                p
                for p in ("perm_read", "perm_write", "perm_create", "perm_unlink")
                if row[p] == "1"
            )
            self.access.append((row["model_id:id"], row["group_id:id"], perms))

    # The user's groups ---------------------------------------------------------------------
    @cache  # noqa: B019 - one database per test, asked many times
    def groups_of(self, user: str) -> frozenset[str]:
        found: set[str] = set()
        todo = [_local(g) for g in self.users[user]["groups"]]
        while todo:
            group = todo.pop()
            if group in found:
                continue
            found.add(group)
            todo += [_local(g) for g in self.implied.get(group, ())]
        return frozenset(found)

    def __hash__(self) -> int:
        return id(self)

    # Indexes, made once (the same answers as a scan) -------------------------------------
    @cache  # noqa: B019
    def _granting(self, model: str, perm: str) -> frozenset[str]:
        """The groups with an access right of ``perm`` on ``model``."""
        return frozenset(g for m, g, p in self.access if m == model and perm in p)

    @cache  # noqa: B019
    def _rules_for(self, model: str, perm: str) -> tuple[RecordRule, ...]:
        return tuple(r for r in self.rules if r.model == model and perm in r.perms)

    @cache  # noqa: B019
    def _employees_of(self, user: str) -> tuple[str, ...]:
        return tuple(sorted(e for e, v in self.employees.items() if v["user"] == user))

    @cache  # noqa: B019
    def _parents(self, model: str) -> Mapping[str, str | None]:
        if model == "hr.employee":
            return {e: v["parent"] for e, v in self.employees.items()}
        if model == "hr.department":
            return self.departments
        raise ValueError(f"{model} has no parent hierarchy")

    # The decision --------------------------------------------------------------------------
    def allowed(self, login: str, model: str, perm: str, record: Mapping[str, Any]) -> bool:
        user = self.by_login[login]
        groups = self.groups_of(user)
        if not self._granting(model, perm) & groups:
            return False
        applicable = self._rules_for(model, perm)
        global_rules = [r for r in applicable if not r.groups]
        group_rules = [r for r in applicable if r.groups & groups]
        if not all(self.matches(r.domain, user, record) for r in global_rules):
            return False
        return not group_rules or any(self.matches(r.domain, user, record) for r in group_rules)

    def matches(self, domain: tuple[Any, ...], user: str, record: Mapping[str, Any]) -> bool:
        stack: list[bool] = []
        for token in reversed(domain):
            if token == "!":
                stack.append(not stack.pop())
            elif token in ("&", "|"):
                a, b = stack.pop(), stack.pop()
                stack.append(a and b if token == "&" else a or b)
            else:
                stack.append(self._leaf(token, user, record))
        return all(stack)

    # Leaves --------------------------------------------------------------------------------
    def _leaf(self, leaf: tuple[Any, Any, Any], user: str, record: Mapping[str, Any]) -> bool:
        path, operator, value_node = leaf
        right = self._value(value_node, user)
        if isinstance(path, int):
            left: list[Any] = [path]
        else:
            left = self._follow(record, path.split("."))
        if operator == "=":
            return (not left) if right is False else any(v == right for v in left)
        if operator == "!=":
            return not any(v == right for v in left)
        if operator == "in":
            wanted = right if isinstance(right, list) else [right]
            return any(v in wanted for v in left)
        if operator == "child_of":
            wanted = set(right if isinstance(right, list) else [right])
            return any(self._ancestors_or_self(v) & wanted for v in left)
        raise ValueError(f"operator {operator!r} is not one the addon writes")

    def _ancestors_or_self(self, ref: Ref) -> set[Ref]:
        model, xmlid = ref
        parents = self._parents(model)
        found: set[Ref] = set()
        current: str | None = xmlid
        while current is not None and (model, current) not in found:
            found.add((model, current))
            current = parents.get(current)
        return found

    def _follow(self, record: Mapping[str, Any], path: list[str]) -> list[Any]:
        head, rest = path[0], path[1:]
        value = record.get(head)
        if head in USER_FIELDS:
            values = [("res.users", u) for u in ([] if value is None else
                      value if isinstance(value, list) else [value])]  # fmt: skip
        elif head in TEAM_FIELDS:
            values = [] if value is None else [("crm.team", value)]
        elif head in DEPARTMENT_FIELDS:
            values = [] if value is None else [("hr.department", value)]
        else:
            values = [] if value is None else [value]
        for name in rest:
            values = [v for ref in values for v in self._field(ref, name)]
        return values

    def _field(self, ref: Ref, name: str) -> list[Any]:
        model, xmlid = ref
        if model == "res.users":
            if name == "employee_ids":
                return [("hr.employee", e) for e in self._employees_of(xmlid)]
            if name == "crm_team_ids":
                return [("crm.team", t) for t in sorted(self.members[xmlid])]
            if name in ("groups_id", "all_group_ids"):
                return [("res.groups", g) for g in sorted(self.groups_of(xmlid))]
            if name == "login":
                return [self.users[xmlid]["login"]]
        if model == "hr.employee" and name in ("department_id", "parent_id"):
            target = self.employees[xmlid]["department" if name == "department_id" else "parent"]
            kind = "hr.department" if name == "department_id" else "hr.employee"
            return [] if target is None else [(kind, target)]
        raise ValueError(f"{model}.{name} is not a field the simulator knows")

    def _value(self, node: Any, user: str) -> Any:
        """A leaf's value: a literal, or an expression over ``user`` (never eval'd)."""
        if isinstance(node, UserExpression):
            records: list[Any] = [("res.users", user)]
            for step in node.steps:
                if step == "id":
                    return records[0] if records else False
                if step == "ids":
                    return records
                if isinstance(step, tuple):  # env.ref(xmlid)
                    records = [self._by_xmlid(step[1])]
                else:
                    records = [v for ref in records for v in self._field(ref, step)]
            return records
        return node

    def _by_xmlid(self, xmlid: str) -> Ref:
        local = _local(xmlid)
        if local in self.implied:
            return ("res.groups", local)
        if local in self.teams:
            return ("crm.team", local)
        raise ValueError(f"no record {xmlid}")


@dataclass(frozen=True)
class UserExpression:
    """``user.a.b`` as its steps; ``("ref", xmlid)`` for ``user.env.ref(xmlid)``."""

    steps: tuple[str | tuple[str, str], ...]


def _refs(element: ET.Element) -> list[str]:
    """The external ids in ``[(6, 0, [ref('a'), ref('b')])]`` or ``[(4, ref('a'))]``."""
    tree = ast.parse(element.get("eval") or "", mode="eval")
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "ref"
        and isinstance(node.args[0], ast.Constant)
    ]  # fmt: skip


@cache
def parse_domain(text: str) -> tuple[Any, ...]:
    """A domain's tokens: operators as strings, leaves as (path, operator, value)."""
    tree = ast.parse(text, mode="eval").body
    if not isinstance(tree, ast.List):
        raise ValueError(f"a domain is a list: {text!r}")
    tokens: list[Any] = []
    for element in tree.elts:
        if isinstance(element, ast.Constant) and element.value in ("|", "&", "!"):
            tokens.append(element.value)
        elif isinstance(element, ast.Tuple) and len(element.elts) == 3:
            path, operator, value = element.elts
            assert isinstance(path, ast.Constant) and isinstance(operator, ast.Constant)
            tokens.append((path.value, operator.value, _expression(value)))
        else:
            raise ValueError(f"not a domain term: {ast.dump(element)}")
    return tuple(tokens)


def _expression(node: ast.expr) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List | ast.Tuple):
        return [_expression(e) for e in node.elts]
    steps: list[str | tuple[str, str]] = []
    while True:
        if isinstance(node, ast.Attribute):
            steps.append(node.attr)
            node = node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "ref"
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr == "env"
            and len(node.args) == 1
            and isinstance(node.args[0], ast.Constant)
        ):
            steps.append(("ref", node.args[0].value))
            node = node.func.value.value
        elif isinstance(node, ast.Name) and node.id == "user":
            return UserExpression(tuple(reversed(steps)))
        else:
            raise ValueError(f"not an expression the addon writes: {ast.dump(node)}")
