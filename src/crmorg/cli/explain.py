"""``crmorg explain``: may SUBJECT do ACTION to RESOURCE, and why."""

from __future__ import annotations

import argparse
import json

from crmorg.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, add_model_argument, stdout
from crmorg.cli.loading import load_for_command, render_load_failure
from crmorg.permissions.decisions import Decision, UnknownIdError
from crmorg.permissions.scopes import SCOPE_NAMES


class ExplainCommand:
    name = "explain"
    help = "explain whether a role or person may act on a resource, and why"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        add_model_argument(parser)
        parser.add_argument("subject", help="a role or person id")
        parser.add_argument("action", help="an action id, e.g. read")
        parser.add_argument("resource", help="a resource id, e.g. opportunity")
        parser.add_argument("--scope", choices=SCOPE_NAMES, help="the scope asked about")
        parser.add_argument("--owner", help="a record's owner (person id): decide on a record")
        parser.add_argument("--team", help="the record's team (default: the owner's teams)")
        parser.add_argument(
            "--department", help="the record's department (default: the owner's departments)"
        )
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def run(self, args: argparse.Namespace) -> int:
        model, failure = load_for_command(args.path)
        out = stdout()
        if failure is not None:
            out.write(render_load_failure(failure, out.colour))
            return EXIT_FINDINGS
        on_record = any(v is not None for v in (args.owner, args.team, args.department))
        if on_record and args.scope:
            raise UsageError("give either --scope or a record (--owner/--team/--department)")
        try:
            if on_record:
                decision = model.decide(
                    args.subject,
                    args.action,
                    args.resource,
                    owner=args.owner,
                    team=args.team,
                    department=args.department,
                )
            else:
                decision = model.explain(
                    args.subject, args.action, args.resource, args.scope or "own"
                )
        except (UnknownIdError, ValueError) as exc:
            raise UsageError(str(exc).strip("'\"")) from None
        out.write(_render(decision, args.format))
        return EXIT_OK if decision.allowed else EXIT_FINDINGS


def _render(decision: Decision, fmt: str) -> str:
    if fmt == "json":
        data = {
            "allowed": decision.allowed,
            "subject": decision.subject,
            "action": decision.action,
            "resource": decision.resource,
            "required_scope": decision.required.label,
            "granted_scope": decision.granted.label,
            "role": decision.role,
            "via": list(decision.grant.via) if decision.grant else [],
            "grant_location": decision.grant_location,
            "reason": decision.reason,
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    verdict = "ALLOWED" if decision.allowed else "DENIED"
    return f"{verdict}: {decision.reason}\n"
