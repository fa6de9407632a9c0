"""A decision's reason: one sentence saying what was asked, what was found, and where."""

from __future__ import annotations

from typing import NamedTuple

from crmorg.permissions.catalog import ActionCatalog
from crmorg.permissions.decisions import Decision
from crmorg.permissions.effective import EffectiveGrant
from crmorg.roles.scopes import SCOPES, Scope, includes


class Finding(NamedTuple):
    """What the grant tables say about a subject and a permission, whatever the record.

    ``granted`` is the subject's effective scope; ``as_person``: the subject was read as
    a person, and ``role`` is then the role of theirs whose grant won. ``searched`` names
    where a missing grant was looked for. Kept per (subject, permission), so decisions
    on further records only add what the record needs.
    """

    subject: str
    action: str
    resource: str
    granted: Scope
    as_person: bool
    role: str | None
    grant: EffectiveGrant | None
    where: str | None
    searched: str


def decision(found: Finding, required: Scope, context: str, catalog: ActionCatalog) -> Decision:
    """The :class:`Decision` of ``found`` at the ``required`` scope, its reason in words."""
    subject, action, resource = found.subject, found.action, found.resource
    granted, grant = found.granted, found.grant
    allowed = includes(granted, required)
    verb = "may" if allowed else "may not"
    sentence = f"{subject} {verb} {action} {resource} {context}"
    if grant is None or found.role is None:
        if not catalog.applies(resource, action):
            reason = f"{sentence}: `{action}` does not apply to {resource}"
        else:
            reason = f"{sentence}: no grant of {resource}.{action} in {found.searched}"
    else:
        source = grant.source
        written = (
            f"{source.resource_key}: {{{source.action_key}: {source.scope.label}}} "
            f"on role {source.role} at {found.where}"
        )
        path = " -> ".join(grant.via)
        inherited = f" (inherited {path})" if len(grant.via) > 1 else ""
        holder = f"{subject} holds {found.role}, which" if found.as_person else subject
        outcome = f"{holder} has {granted.label} scope{inherited}, from the grant {written}"
        if allowed:
            reason = f"{sentence}: needs {required.label} scope; {outcome}"
        else:
            reason = (
                f"{sentence}: needs {required.label} scope, but {outcome}; "
                f"grant {resource}.{action} at {required.label} scope or wider to allow it"
            )
    return Decision(
        allowed,
        subject,
        action,
        resource,
        required,
        granted,
        reason,
        found.role,
        grant,
        found.where,
    )


def record_context(
    person: str, required: Scope, owner: str | None, team: str | None, department: str | None
) -> str:
    """``on the record (owner ann, team north; ann shares its team)``, as the caller named it."""
    parts = [f"owner {owner}" if owner else "no owner"]
    if team:
        parts.append(f"team {team}")
    if department:
        parts.append(f"department {department}")
    why = SCOPES[required].why.format(person=person)
    return f"on the record ({', '.join(parts)}; {why})"
