"""``crmorg explain``: may SUBJECT do ACTION to RESOURCE (or one field of it), and why."""

from __future__ import annotations

import argparse

from crmorg.cli.command import CommandBase, add_model_argument, add_request_arguments
from crmorg.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, stdout
from crmorg.cli.ids import require_action_on, require_known
from crmorg.cli.loading import load_for_command, render_load_failure
from crmorg.model import Model
from crmorg.permissions.decisions import Decision, Layer, UnknownIdError
from crmorg.permissions.field_review import who_can_field
from crmorg.permissions.review import who_can
from crmorg.permissions.scopes import SCOPE_NAMES, Scope
from crmorg.reporters import json_report
from crmorg.text import json_text, reveal


class ExplainCommand(CommandBase):
    name = "explain"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        add_model_argument(parser)
        parser.add_argument("subject", help="a role or person id")
        add_request_arguments(parser, action="read", resource="opportunity")
        parser.add_argument("--scope", choices=SCOPE_NAMES, help="the scope asked about")
        parser.add_argument("--owner", help="a record's owner (person id): decide on a record")
        parser.add_argument("--team", help="the record's team (default: the owner's teams)")
        parser.add_argument(
            "--department", help="the record's department (default: the owner's departments)"
        )
        parser.add_argument(
            "--field",
            help="a field of RESOURCE: may SUBJECT read it (ACTION read) or edit it (update)",
        )
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def run(self, args: argparse.Namespace) -> int:
        model, failure = load_for_command(args.path)
        out = stdout()
        if failure is not None:
            # Whoever asked for JSON gets JSON: the load findings as `validate` reports them.
            shown = (
                json_report.render(failure)
                if args.format == "json"
                else render_load_failure(failure, out.colour)
            )
            out.write(shown)
            return EXIT_FINDINGS
        on_record = any(v is not None for v in (args.owner, args.team, args.department))
        if on_record and args.scope:
            raise UsageError("give either --scope or a record (--owner/--team/--department)")
        if on_record and args.subject in model.roles and args.subject not in model.people:
            raise UsageError(
                f"`{args.subject}` is a role, and a record decision is about a person: "
                f"name a person who holds it, or ask about the role with --scope"
            )
        require_known(args.subject, {*model.roles, *model.people}, "role or person")
        require_action_on(model, args.action, args.resource)
        require_known(args.owner, model.people, "person")
        require_known(args.team, model.teams, "team")
        require_known(args.department, model.departments, "department")
        try:
            if on_record:
                decision = model.decide(
                    args.subject,
                    args.action,
                    args.resource,
                    owner=args.owner,
                    team=args.team,
                    department=args.department,
                    field=args.field,
                )
            else:
                decision = model.explain(
                    args.subject, args.action, args.resource, args.scope or "own", args.field
                )
        except (UnknownIdError, ValueError) as exc:
            raise UsageError(str(exc).strip("'\"")) from None
        out.write(_render(decision, args.format, _would_allow(model, decision)))
        return EXIT_OK if decision.allowed else EXIT_FINDINGS


def _would_allow(model: Model, decision: Decision) -> list[str] | None:
    """For a denial: the roles whose effective grants would allow it (what is missing);
    None when there is nothing to say (allowed, or the action does not apply)."""
    if decision.allowed or not model.catalog.applies(decision.resource, decision.action):
        return None
    scope = decision.required if decision.required is not Scope.NONE else Scope.OWN
    if decision.field is not None:
        on_field = who_can_field(
            model.access, decision.action, decision.resource, decision.field, scope
        )
        return [found.record.subject for found in on_field.roles]
    answer = who_can(model, decision.action, decision.resource, scope)
    return [access.subject for access in answer.roles]


_LAYERS: dict[Layer, str] = {
    Layer.GRANT: "a grant of a role (its own or inherited)",
    Layer.BASELINE: "the resource's baseline (an organisation-wide default)",
    Layer.REPORTS: "the reporting line (a grant at subordinates scope)",
    Layer.SHARING: "a sharing rule",
    Layer.FIELD: "the restricted field's grant",
    Layer.NONE: "nothing: no grant applies",
}
"""What each layer of a decision is, for the line that names it."""


def _decided_by(decision: Decision) -> str:
    """The line naming the layer that decided (format v1.1): what its reason explains."""
    layer = decision.layer
    said = _LAYERS[layer]
    if layer is Layer.SHARING and decision.rule:
        said = f"sharing rule {decision.rule}"
    elif layer is Layer.REPORTS and decision.chain:
        said += f": {' → '.join(decision.chain)}"
    elif layer is Layer.FIELD and decision.field:
        field = f"{decision.resource}.{decision.field}"
        said = (
            f"the grant of restricted field {field}"
            if decision.allowed
            else f"restricted field {field}, which no field grant of the subject reaches"
        )
    elif not decision.allowed and layer is not Layer.NONE:
        said += ", whose scope does not reach this"
    return f"decided by: {said}\n"


def _render(decision: Decision, fmt: str, would_allow: list[str] | None) -> str:
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
            "layer": decision.layer.value,
            "chain": list(decision.chain),
            "rule": decision.rule,
            "field": decision.field,
            "reason": decision.reason,
        }
        if would_allow is not None:
            data["roles_that_would_allow"] = would_allow
        return json_text(data, ensure_ascii=False, indent=2) + "\n"
    verdict = "ALLOWED" if decision.allowed else "DENIED"
    text = f"{verdict}: {reveal(decision.reason)}\n"  # it names the user's file
    text += _decided_by(decision)
    if would_allow:
        shown = ", ".join(would_allow[:8]) + (
            f" and {len(would_allow) - 8} more" if len(would_allow) > 8 else ""
        )
        text += f"roles that would allow it: {shown}\n"
    elif would_allow is not None:
        text += "no role in the model would allow it\n"
    return text
