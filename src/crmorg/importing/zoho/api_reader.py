"""Saved Zoho CRM API v8 responses (one JSON file per GET) read into an organisation.

Each file is recognised by its top-level key (``roles``, ``profiles``, ``users``,
``user_groups``, ``data_sharing``, ``sharing_rules``, ``fields``), deserialised by the
official SDK's JSON converter into its own model classes (a response the SDK cannot
read is refused), and read for its values with their places in the file.
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path
from typing import Any

from crmorg.importing.core import ImportFailed
from crmorg.importing.zoho.located import Node
from crmorg.importing.zoho.org import (
    LEVELS,
    SHARE_TYPES,
    VERBS,
    At,
    Group,
    Org,
    Profile,
    Role,
    Rule,
    Side,
    User,
    slug,
)
from crmorg.importing.zoho.sources import Loader

KINDS = {
    "roles": "roles.ResponseWrapper",
    "profiles": "profiles.ResponseWrapper",
    "users": "users.ResponseWrapper",
    "user_groups": "user_groups.ResponseWrapper",
    "data_sharing": "data_sharing.ResponseWrapper",
    "sharing_rules": "sharing_rules.ResponseWrapper",
    "fields": "fields.ResponseWrapper",
    "org": "org.ResponseWrapper",
}
"""A response's top-level key -> the SDK class its converter reads it as."""
ORDER = (
    "org", "roles", "profiles", "users", "user_groups", "data_sharing", "sharing_rules", "fields",
)  # fmt: skip
_RECORD = re.compile(r"^Crm_Implied_(View|Create|Edit|Delete)_(.+)$")
_MODULE_IN_NAME = re.compile(r"(?:module=|fields[._-])([A-Za-z0-9_]+)")
_PACKAGE = "zohocrmsdk.src.com.zoho.crm.api"


def sdk_read(plain: Any, kind: str, file: str) -> None:
    """Deserialise a response with the SDK's JSON converter (as it reads a response);
    without the SDK installed the plain JSON is read alone."""
    sdk_convert(plain, KINDS[kind], file, f"a GET /{kind} response")


def sdk_convert(plain: Any, sdk_class: str, file: str, what: str) -> None:
    """Deserialise ``plain`` into the SDK class ``sdk_class`` (``roles.BodyWrapper``)
    with the SDK's JSON converter; ImportFailed when it cannot."""
    try:
        initializer = importlib.import_module(f"{_PACKAGE}.initializer")
        handlers = importlib.import_module(f"{_PACKAGE}.util.common_api_handler")
        converter = importlib.import_module(f"{_PACKAGE}.util.json_converter")
        constants = importlib.import_module(f"{_PACKAGE}.util.constants")
    except ImportError:  # pragma: no cover - the SDK is a dependency of the zoho target
        return
    if not initializer.Initializer.json_details:
        details = (
            Path(str(initializer.__file__)).parents[4] / constants.Constants.JSON_DETAILS_FILE_PATH
        )
        initializer.Initializer.json_details = json.loads(details.read_text(encoding="utf-8"))
    handler = handlers.CommonAPIHandler()
    handler.set_api_path("/")
    handler.set_http_method("GET")
    handler.set_category_method("READ")
    try:
        converter.JSONConverter(handler).get_response(plain, f"{_PACKAGE}.{sdk_class}")
    except Exception as error:  # the SDK raises its own SDKException and plain errors
        raise ImportFailed(
            f"{file}: the Zoho CRM SDK cannot read it as {what} ({error}); "
            "give the file as it was saved or written"
        ) from None


def _at(file: str, node: Node) -> At:
    return At(file, node.line, node.column)


def _key(node: Node) -> str:
    return node.text("id") or node.text("name") or node.text("api_name")


def read_responses(loader: Loader, files: list[str]) -> Org:
    org = Org()
    by_kind: dict[str, list[tuple[str, Node]]] = {kind: [] for kind in ORDER}
    for file in files:
        node = loader.json(file)
        kinds = (
            [k for k in ORDER if node.get(k) is not None] if isinstance(node.value, dict) else []
        )
        if not kinds:
            org.lost(
                f"{file} is not a Zoho CRM response crmorg reads (roles, profiles, users, "
                "user_groups, data_sharing, sharing_rules, fields): not imported",
                _at(file, node),
            )
            continue
        kind = kinds[0]
        sdk_read(node.plain(), kind, file)
        by_kind[kind].append((file, node))
    if not by_kind["users"] and not by_kind["profiles"] and not by_kind["roles"]:
        raise ImportFailed(
            f"{loader.root}: no Zoho CRM users, profiles or roles response; give a folder "
            "of saved API v8 responses (GET /settings/roles, /settings/profiles/{id}, "
            "/users, ...) or the folder crmorg export --target zoho wrote"
        )
    for _file, node in by_kind["org"]:
        for entry in node.get("org").items():  # type: ignore[union-attr]
            org.organization = entry.text("company_name") or org.organization
    for file, node in by_kind["roles"]:
        for role in node.get("roles").items():  # type: ignore[union-attr]
            parent = role.get("reporting_to")
            org.roles[_key(role)] = Role(
                _key(role),
                role.text("display_label") or role.text("name"),
                _key(parent) if parent is not None and isinstance(parent.value, dict) else None,
                role.flag("share_with_peers"),
                _at(file, role),
            )
    _resolve_role_names(org)
    detailed: set[str] = set()
    for file, node in by_kind["profiles"]:
        for profile in node.get("profiles").items():  # type: ignore[union-attr]
            if _profile(org, file, profile):
                detailed.add(_key(profile))
    for file, node in by_kind["users"]:
        for user in node.get("users").items():  # type: ignore[union-attr]
            _user(org, file, user)
    for key in [k for k in org.profiles if k not in detailed]:
        profile = org.profiles[key]
        org.lost(
            f"profile {profile.name!r}: its permissions were not saved (GET "
            "/settings/profiles/{id}); imported as a role without grants (under-grants)",
            profile.at,
            [profile.name],
        )
    for file, node in by_kind["user_groups"]:
        for group in node.get("user_groups").items():  # type: ignore[union-attr]
            _group(org, file, group)
    for file, node in by_kind["data_sharing"]:
        for entry in node.get("data_sharing").items():  # type: ignore[union-attr]
            module = entry.get("module")
            api_name = module.text("api_name") if module is not None else ""
            share_type = entry.text("share_type", "private")
            if not api_name:
                continue
            org.module(api_name)
            if share_type not in SHARE_TYPES:
                org.lost(
                    f"data sharing default {share_type!r} of {api_name} has no crmorg "
                    "baseline: imported as Private (under-grants)",
                    _at(file, entry.get("share_type") or entry),
                    [api_name],
                )
            else:
                org.share_type[api_name] = share_type
            if entry.flag("public_in_portals"):
                org.lost(
                    f"{api_name} is public in portals: crmorg has no portal users",
                    _at(file, entry.get("public_in_portals") or entry),
                    [api_name],
                )
    for file, node in by_kind["sharing_rules"]:
        for rule in node.get("sharing_rules").items():  # type: ignore[union-attr]
            _rule(org, file, rule)
    for file, node in by_kind["fields"]:
        _fields(org, file, node)
    return org


def _resolve_role_names(org: Org) -> None:
    """``reporting_to`` by name where the response gives no id."""
    by_name = {role.name: key for key, role in org.roles.items()}
    for role in org.roles.values():
        if role.parent is not None and role.parent not in org.roles:
            role.parent = by_name.get(role.parent)


def _profile(org: Org, file: str, profile: Node) -> bool:
    """Read one profile; whether the response holds its permissions."""
    key = _key(profile)
    details = profile.get("permissions_details")
    existing = org.profiles.get(key)
    if existing is None:
        existing = org.profiles[key] = Profile(
            key, profile.text("display_label") or profile.text("name"), _at(file, profile)
        )
    if details is None:
        return False
    existing.at = _at(file, profile)  # the profile's own response, with its permissions
    for detail in details.items():
        if not detail.flag("enabled"):
            continue
        name, module = detail.text("name"), detail.text("module")
        label = detail.text("display_label") or name
        record = _RECORD.match(name)
        if record is not None and (not module or record.group(2) == module):
            module = module or record.group(2)
            org.module(module)
            existing.record.add((module, VERBS[record.group(1)]))
            continue
        action = _action_of(name, label)
        if action is not None and module:
            org.module(module)
            org.extra.setdefault((key, action), set()).add(module)
            continue
        where = f" on {module}" if module else ""
        org.lost(
            f"profile {existing.name!r} enables {label!r}{where} ({name}): crmorg has no "
            "such permission",
            _at(file, detail.get("enabled") or detail),
            [existing.name],
        )
    return True


_MASS_VERBS = ("delete", "update", "transfer", "email")


def _action_of(name: str, label: str) -> str | None:
    """The crmorg action a module's profile permission is, by the words of its name and
    label: Export, Import, Change Owner; a mass one (Mass Delete, Mass Update, Mass
    Transfer, Mass Email) is the custom action ``mass_<verb>``, which the
    ``bulk-action-widely-held`` rule counts (every Standard profile has them by
    default); any other mass permission is none."""
    words = set(slug(label, "p").split("_")) | set(slug(name, "p").split("_"))
    if "mass" in words:
        verb = next((v for v in _MASS_VERBS if v in words), None)
        return f"mass_{verb}" if verb else None
    if {"change", "owner"} <= words or "changeowner" in words:
        return "assign"
    for action in ("export", "import"):
        if action in words:
            return action
    return None


def _user(org: Org, file: str, user: Node) -> None:
    name = user.text("full_name") or " ".join(
        part for part in (user.text("first_name"), user.text("last_name")) if part
    )
    status = user.text("status", "active")
    if status != "active":
        org.lost(
            f"user {name or user.text('email')!r} is {status}: not imported (cannot sign in)",
            _at(file, user.get("status") or user),
            [name],
        )
        return
    role, profile = user.get("role"), user.get("profile")
    key = _key(user) or user.text("email")
    org.users[key] = User(
        key,
        name,
        user.text("email"),
        _role_key(org, role),
        _key(profile) if profile is not None and isinstance(profile.value, dict) else None,
        _at(file, user),
    )
    if (
        profile is not None
        and isinstance(profile.value, dict)
        and _key(profile) not in org.profiles
    ):
        org.profiles[_key(profile)] = Profile(
            _key(profile), profile.text("name") or _key(profile), _at(file, profile)
        )
    stated = user.get("Reporting_To") or user.get("reporting_to")
    if stated is not None and isinstance(stated.value, dict) and _key(stated):
        org.users[key].stated_manager = (_key(stated), stated.text("name"), _at(file, stated))
    territories = user.get("territories")
    if territories is not None and territories.items():
        org.lost(
            f"user {name!r} is in {len(territories.items())} territory(ies): crmorg has no "
            "territory management (their territory access is not imported)",
            _at(file, territories),
            [name],
        )


def _role_key(org: Org, role: Node | None) -> str | None:
    if role is None or not isinstance(role.value, dict):
        return None
    key = role.text("id")
    if key in org.roles:
        return key
    by_name = {r.name: k for k, r in org.roles.items()}
    return by_name.get(role.text("name"), key or None)


def _members(org: Org, file: str, source: Node, owner: str) -> frozenset[str] | None:
    """The users a group source or rule side names (None when crmorg cannot say)."""
    kind = source.text("type")
    target = source.get("source") or source.get("resource")
    if kind == "all_users":
        return frozenset(org.users)
    if target is None:
        return None
    if kind == "users":
        return frozenset({_key(target)}) if _key(target) in org.users else frozenset()
    if kind == "groups":
        group = org.groups.get(_key(target))
        return group.members if group is not None else None
    if kind in ("roles", "role_and_subordinates"):
        role = _role_key(org, target)
        roles = {role}
        if kind == "role_and_subordinates" or source.flag("subordinates"):
            roles |= {r for r in org.roles if role in _above(org, r)}
        return frozenset(k for k, u in org.users.items() if u.role in roles)
    org.lost(
        f"{owner} names {kind or 'an unknown kind of'} {target.text('name')!r}: crmorg has "
        "no such group (territories, portals); it is left out (under-grants)",
        _at(file, source),
        [owner],
    )
    return frozenset()


def _above(org: Org, role: str) -> list[str]:
    found: list[str] = []
    parent = org.roles[role].parent if role in org.roles else None
    while parent is not None and parent not in found:
        found.append(parent)
        parent = org.roles[parent].parent if parent in org.roles else None
    return found


def _group(org: Org, file: str, group: Node) -> None:
    name = group.text("name")
    members: set[str] = set()
    sources = group.get("sources")
    for source in sources.items() if sources else []:
        found = _members(org, file, source, f"user group {name!r}")
        members |= found or set()
    key = _key(group)
    org.groups[key] = Group(key, name, frozenset(members), _at(file, group))


def _side(org: Org, file: str, rule_name: str, shared: Node | None) -> Side:
    if shared is None or shared.text("type") == "all_users":
        return Side("All users", None)
    target = shared.get("resource") or shared.get("source")
    label = target.text("name") if target is not None else shared.text("type")
    kind = shared.text("type")
    members = _members(org, file, shared, f"sharing rule {rule_name!r}") or frozenset()
    if kind == "groups" and target is not None and _key(target) in org.groups:
        return Side(label, members, _key(target))
    if kind in ("roles", "role_and_subordinates"):
        wide = kind == "role_and_subordinates" or shared.flag("subordinates")
        label = f"{label} and subordinates" if wide else label
    return Side(label, members)


def _rule(org: Org, file: str, rule: Node) -> None:
    name = rule.text("name")
    at = _at(file, rule)
    module_node = rule.get("module")
    module = module_node.text("api_name") if module_node is not None else ""
    kind = rule.text("type", "Record_Owner_Based")
    if not module:
        org.lost(f"sharing rule {name!r} names no module: not imported", at, [name])
        return
    if kind != "Record_Owner_Based":
        org.lost(
            f"sharing rule {name!r} on {module} is {kind}: crmorg shares by owner only, so "
            "the records its criteria select are not shared (under-grants)",
            _at(file, rule.get("type") or rule),
            [name],
        )
        return
    if rule.text("status", "active") != "active":
        org.lost(
            f"sharing rule {name!r} is {rule.text('status')}: not imported",
            _at(file, rule.get("status") or rule),
            [name],
        )
        return
    level = rule.text("permission_type", "read")
    if level not in LEVELS:
        org.lost(
            f"sharing rule {name!r} gives {level!r}: crmorg reads read or "
            "read_write_delete; imported as read",
            _at(file, rule.get("permission_type") or rule),
            [name],
        )
    source = _side(org, file, name, rule.get("shared_from"))
    receivers = _side(org, file, name, rule.get("shared_to"))
    if rule.flag("superiors_allowed") and receivers.members is not None:
        # The superiors of the receivers share in the access: the receivers' team
        # grows by every user of a role above one of theirs.
        above = {r for u in receivers.members for r in _above(org, org.users[u].role or "")}
        wider = receivers.members | {k for k, u in org.users.items() if u.role in above}
        receivers = Side(f"{receivers.label} and superiors", frozenset(wider))
    org.module(module)
    org.rules.append(Rule(name, module, source, receivers, list(LEVELS.get(level, ["read"])), at))


def _fields(org: Org, file: str, node: Node) -> None:
    found = _MODULE_IN_NAME.search(file.rsplit("/", 1)[-1])
    if found is None:
        org.lost(
            f"{file}: a fields response whose module the file name does not give "
            "(name it fields.<Module>.json): not imported",
            _at(file, node),
        )
        return
    module = org.module(found.group(1))
    ids = {field_id for field_id, _ in module.fields.values()}
    by_name = {p.name: k for k, p in org.profiles.items()}
    for entry in node.get("fields").items():  # type: ignore[union-attr]
        api_name = entry.text("api_name")
        if not api_name:
            continue
        field_id, n = slug(api_name, "field"), 1
        base = field_id
        while field_id in ids:
            n += 1
            field_id = f"{base}_{n}"
        ids.add(field_id)
        label = entry.text("field_label") or entry.text("display_label") or api_name
        module.fields[api_name] = (field_id, label)
        profiles = entry.get("profiles")
        for profile in profiles.items() if profiles else []:
            key = profile.text("id") if profile.text("id") in org.profiles else None
            key = key or by_name.get(profile.text("name"))
            if key is None:
                continue
            org.field_permission[(key, module.api_name, api_name)] = profile.text(
                "permission_type", "read_write"
            )
