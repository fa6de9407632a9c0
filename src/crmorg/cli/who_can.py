"""``crmorg who-can``: the roles and people that may do ACTION to RESOURCE."""

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
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def run(self, args: argparse.Namespace) -> int:
        out = stdout()
        model = load_or_report(args.path, out)
        if model is None:
            return EXIT_FINDINGS
        require_action_on(model, args.action, args.resource)
        try:
            answer = who_can(model, args.action, args.resource, args.scope)
        except (UnknownIdError, ValueError) as exc:
            raise UsageError(str(exc).strip("'\"")) from None
        out.write(
            render_json(model, answer) if args.format == "json" else render_text(model, answer)
        )
        return EXIT_OK


def _entry(model: Model, access: Access) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": access.subject,
        "scope": access.scope.label,
        "via": list(access.grant.via),
        "source": source_of(model, access.grant.source.path),
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
    path = " -> ".join(access.grant.via)
    how = f"inherited {path}" if len(access.grant.via) > 1 else f"granted on {access.role}"
    if access.kind == "person":
        how = f"as {access.role}" + (f", inherited {path}" if len(access.grant.via) > 1 else "")
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
