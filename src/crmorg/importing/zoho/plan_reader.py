"""crmorg's own ``zoho`` export (``plan.json`` and ``requests/``) read back: the
organisation its steps build, with each person's, role's and group's crmorg id from
the step names (``user:<person>``, ``profile:<role>+<role>``)."""

from __future__ import annotations

from crmorg.importing.zoho.api_reader import sdk_convert
from crmorg.importing.zoho.located import Node
from crmorg.importing.zoho.org import (
    LEVELS,
    VERBS,
    At,
    Group,
    Org,
    Profile,
    Role,
    Rule,
    Side,
    User,
)
from crmorg.importing.zoho.sources import Loader

_POSITION = " ["
SDK_BODIES = frozenset(
    f"{kind}.BodyWrapper"
    for kind in (
        "roles",
        "profiles",
        "users",
        "data_sharing",
        "user_groups",
        "sharing_rules",
        "fields",
    )
)
"""The SDK classes of the plan's bodies, which the SDK's converter reads back."""


def _ref(step: Node, at: tuple[object, ...]) -> str | None:
    resolves = step.get("resolve")
    for resolve in resolves.items() if resolves is not None else []:
        where = resolve.get("at")
        if where is not None and tuple(n.value for n in where.items()) == at:
            ref = resolve.text("ref")
            return ref or None
    return None


def _hint(key: str) -> str:
    """``profile:a+b`` -> ``a_b``; ``profile:-`` -> ``no_access``."""
    roles = key.split(":", 1)[1] if ":" in key else key
    return "no_access" if roles == "-" else "_".join(roles.split("+"))


def read_plan(loader: Loader, plan: Node) -> Org:
    org = Org(organization=plan.text("organization", "Zoho CRM organisation"))
    modules = plan.get("modules")
    for entry in modules.items() if modules is not None else []:
        found = org.module(entry.text("module"), entry.text("resource"), entry.text("module"))
        fields = entry.get("fields")
        for field_id, api_name in (fields.value if fields else {}).items():
            found.fields[str(api_name.value)] = (field_id, field_id)
    steps = plan.get("steps")
    for step in steps.items() if steps else []:
        name, path, method = step.text("name"), step.text("path"), step.text("method")
        body_name = step.text("body")
        body_file = loader.body(body_name, At(loader.plan_name, step.line, step.column))
        body = loader.json(body_file)
        sdk_class = step.text("sdk")
        if sdk_class in SDK_BODIES:
            sdk_convert(body.plain(), sdk_class, body_file, f"a {sdk_class} request body")
        if path.endswith("/settings/roles") and method == "POST":
            (role,) = body.get("roles").items()  # type: ignore[union-attr]
            parent = _ref(step, ("roles", 0, "reporting_to", "id"))
            full = role.text("name")
            org.roles[name] = Role(
                name,
                full,
                None if parent is None or parent.startswith("existing-") else parent,
                role.flag("share_with_peers"),
                At(body_file, role.line, role.column),
            )
        elif path.endswith("/actions/clone"):
            (profile,) = body.get("profiles").items()  # type: ignore[union-attr]
            key = name.removeprefix("clone-")
            org.profiles[name] = Profile(
                name, profile.text("name"), At(body_file, profile.line, profile.column), _hint(key)
            )
        elif "/settings/profiles/" in path and method == "PUT":
            clone = path.rsplit("{", 1)[1].rstrip("}")
            (entry,) = body.get("profiles").items()  # type: ignore[union-attr]
            details = entry.get("permissions_details")
            for detail in details.items() if details else []:
                if detail.flag("enabled"):
                    on, permission = detail.text("module"), detail.text("name")
                    verb = permission.removeprefix("Crm_Implied_").rsplit("_" + on, 1)[0]
                    if verb in VERBS and clone in org.profiles:
                        org.profiles[clone].record.add((on, VERBS[verb]))
        elif path.endswith("/users") and method == "POST":
            (user,) = body.get("users").items()  # type: ignore[union-attr]
            person = name.split(":", 1)[1]
            role_ref = _ref(step, ("users", 0, "role", "id"))
            position = user.get("role")
            full = position.text("name") if position is not None else ""
            label = full.rsplit(_POSITION, 1)[0] if full.endswith(f"[{person}]") else ""
            org.users[person] = User(
                person,
                label or user.text("last_name"),
                user.text("email"),
                role_ref,
                _ref(step, ("users", 0, "profile", "id")),
                At(body_file, user.line, user.column),
                person,
            )
        elif path.endswith("/settings/data_sharing") and method == "PUT":
            for entry in body.get("data_sharing").items():  # type: ignore[union-attr]
                module_node = entry.get("module")
                if module_node is not None:
                    org.share_type[module_node.text("api_name")] = entry.text("share_type")
        elif path.endswith("/settings/user_groups") and method == "POST":
            (group,) = body.get("user_groups").items()  # type: ignore[union-attr]
            held: set[str] = set()
            for index, _ in enumerate(group.get("sources").items()):  # type: ignore[union-attr]
                ref = _ref(step, ("user_groups", 0, "sources", index, "source", "id"))
                if ref is not None:
                    held.add(ref.split(":", 1)[1])
            org.groups[name] = Group(
                name,
                group.text("name"),
                frozenset(held),
                At(body_file, group.line, group.column),
                group.text("description"),
            )
        elif path.endswith("/settings/data_sharing/rules") and method == "POST":
            (rule,) = body.get("sharing_rules").items()  # type: ignore[union-attr]
            sides = []
            for key in ("shared_from", "shared_to"):
                shared = rule.get(key)
                ref = _ref(step, ("sharing_rules", 0, key, "resource", "id"))
                if shared is None or shared.text("type") == "all_users" or ref is None:
                    sides.append(Side("All users", None))
                else:
                    group_node = shared.get("resource")
                    label = group_node.text("name") if group_node else ref
                    members = org.groups[ref].members if ref in org.groups else frozenset()
                    sides.append(Side(label, members, ref))
            module_node = rule.get("module")
            org.rules.append(
                Rule(
                    rule.text("name"),
                    module_node.text("api_name") if module_node else "",
                    sides[0],
                    sides[1],
                    list(LEVELS.get(rule.text("permission_type"), ["read"])),
                    At(body_file, rule.line, rule.column),
                )
            )
        elif "/settings/fields/" in path and method == "PUT":
            params = step.get("params")
            on = params.text("module") if params else ""
            (entry,) = body.get("fields").items()  # type: ignore[union-attr]
            api_field = entry.text("api_name")
            for index, profile in enumerate(entry.get("profiles").items()):  # type: ignore[union-attr]
                target = _ref(step, ("fields", 0, "profiles", index, "id"))
                if target is not None:
                    org.field_permission[(target, on, api_field)] = profile.text(
                        "permission_type", "read_write"
                    )
    return org
