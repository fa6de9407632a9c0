"""``crmorg who-can``: the roles and people that may do ACTION to RESOURCE (or, with
``--field``, read or edit one field of it)."""

from __future__ import annotations

import argparse
from typing import Any

from crmorg.cli.command import CommandBase, add_model_argument, add_request_arguments
from crmorg.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, stdout
from crmorg.cli.ids import require_action_on
from crmorg.cli.loading import load_or_report
from crmorg.export.compiled import source_of
from crmorg.model import Model
from crmorg.permissions.decisions import UnknownIdError
from crmorg.permissions.field_review import FieldAccess, WhoCanField, who_can_field
from crmorg.permissions.review import Access, WhoCan, who_can
from crmorg.permissions.scopes import SCOPE_NAMES, Scope
from crmorg.text import json_text, reveal


class WhoCanCommand(CommandBase):
    name = "who-can"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        add_model_argument(parser)
        add_request_arguments(parser, action="approve", resource="quote")
        parser.add_argument(
            "--scope",
            default="own",
            choices=[name for name in SCOPE_NAMES if name != Scope.NONE.label],
            help="the narrowest scope that counts (default: own, i.e. any grant)",
        )
        parser.add_argument(
            "--field",
            help="a field of RESOURCE: who may read it (ACTION read) or edit it (ACTION update)",
        )
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def run(self, args: argparse.Namespace) -> int:
        out = stdout()
        model = load_or_report(args.path, out)
        if model is None:
            return EXIT_FINDINGS
        require_action_on(model, args.action, args.resource)
        json_wanted = args.format == "json"
        try:
            if args.field is not None:
                on_field = who_can_field(
                    model.access, args.action, args.resource, args.field, args.scope
                )
                out.write(
                    render_field_json(model, on_field)
                    if json_wanted
                    else render_field_text(model, on_field)
                )
                return EXIT_OK
            answer = who_can(model, args.action, args.resource, args.scope)
        except (UnknownIdError, ValueError) as exc:
            raise UsageError(str(exc).strip("'\"")) from None
        out.write(render_json(model, answer) if json_wanted else render_text(model, answer))
        return EXIT_OK


def _entry(model: Model, access: Access) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": access.subject,
        "scope": access.scope.label,
        "via": list(access.grant.via),
        "source": source_of(model, access.grant.source.path),
        "baseline": access.grant.source.baseline,
    }
    if access.kind == "person":
        entry["role"] = access.role
    return entry


def render_json(model: Model, answer: WhoCan) -> str:
    data = {
        "action": answer.action,
        "resource": answer.resource,
        "scope": answer.scope.label,
        "applies": answer.applies,
        "roles": [_entry(model, a) for a in answer.roles],
        "people": [_entry(model, a) for a in answer.people],
    }
    return json_text(data, ensure_ascii=False, indent=2) + "\n"


def _line(model: Model, access: Access, width: int) -> str:
    where = source_of(model, access.grant.source.path)
    inherited = f"inherited {' -> '.join(access.grant.via)}" if len(access.grant.via) > 1 else ""
    if access.grant.source.baseline:
        how = f"by the baseline of {access.resource}, to everyone with a grant of {access.action}"
    elif access.kind == "role":
        how = inherited or f"granted on {access.role}"
    else:
        how = inherited
    if access.kind == "person":
        how = f"as {access.role}" + (f", {how}" if how else "")
    return f"  {access.subject.ljust(width)}  {access.scope.label:<12}  {how} ({where})"


def render_text(model: Model, answer: WhoCan) -> str:
    asked = f"{answer.action} {answer.resource} at {answer.scope.label} scope or wider"
    if not answer.applies:
        return f"{answer.action} does not apply to {answer.resource}: nobody may {asked}\n"
    lines = [f"who may {asked}:"]
    width = max((len(a.subject) for a in (*answer.roles, *answer.people)), default=0)
    for title, entries in (("roles", answer.roles), ("people", answer.people)):
        lines.append(f"{title} ({len(entries)}):")
        lines += [_line(model, access, width) for access in entries] or ["  (none)"]
    return reveal("\n".join(lines)) + "\n"  # file names are the user's: no raw ESC


def _field_entry(model: Model, found: FieldAccess) -> dict[str, Any]:
    entry = _entry(model, found.record)
    entry["field_access"] = found.level
    if found.grant is not None:
        entry["field_grant"] = {
            "role": found.grant.role,
            "source": source_of(model, found.grant.path(found.record.resource, found.field)),
        }
    return entry


def render_field_json(model: Model, answer: WhoCanField) -> str:
    data = {
        "action": answer.record.action,
        "resource": answer.record.resource,
        "field": answer.field,
        "restricted": answer.restricted,
        "scope": answer.record.scope.label,
        "roles": [_field_entry(model, a) for a in answer.roles],
        "people": [_field_entry(model, a) for a in answer.people],
    }
    return json_text(data, ensure_ascii=False, indent=2) + "\n"


def render_field_text(model: Model, answer: WhoCanField) -> str:
    asked = answer.record
    verb = "read" if asked.action == "read" else "edit"
    restricted = (
        "restricted: the record's permission and a field grant of "
        f"{'read or edit' if verb == 'read' else 'edit'}"
        if answer.restricted
        else "not restricted: it follows the record"
    )
    lines = [
        f"who may {verb} field {answer.field} of {asked.resource} records at "
        f"{asked.scope.label} scope or wider ({restricted}):"
    ]
    entries = (*answer.roles, *answer.people)
    width = max((len(a.record.subject) for a in entries), default=0)
    for title, found in (("roles", answer.roles), ("people", answer.people)):
        lines.append(f"{title} ({len(found)}):")
        lines += [_field_line(model, a, width) for a in found] or ["  (none)"]
    return reveal("\n".join(lines)) + "\n"


def _field_line(model: Model, found: FieldAccess, width: int) -> str:
    line = _line(model, found.record, width)
    if found.grant is None:
        return line
    where = source_of(model, found.grant.path(found.record.resource, found.field))
    return f"{line}; field {found.level} from role {found.grant.role} ({where})"
