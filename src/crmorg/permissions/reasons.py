"""A decision's reason: one sentence saying what was asked, what was found, and where.

The sentence is made only when a caller reads :attr:`Decision.reason`: a decision keeps
the :class:`Finding` (what the grant tables say about the subject and permission) and
the :class:`Outcome` (what the record added: the layer that decided), and
:class:`Words` turns them into text, with the file position of each part.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from crmorg.findings import Path
from crmorg.permissions.catalog import ActionCatalog
from crmorg.permissions.decisions import Decision, Layer
from crmorg.permissions.effective import EffectiveGrant, HeldGrant
from crmorg.permissions.fields import NEEDS as FIELD_NEEDS
from crmorg.permissions.fields import FieldGrant
from crmorg.permissions.sharing import SharingIndex
from crmorg.roles.orggraph import OrgGraph
from crmorg.roles.scopes import SCOPES, Scope, least


class Finding(NamedTuple):
    """What the grant tables say about a subject and a permission, whatever the record.

    ``granted`` is the subject's effective scope (the widest, see
    :attr:`EffectiveGrant.also`); ``as_person``: the subject was read as a person, and
    ``role`` is then the role of theirs whose grant won; ``held`` every maximal grant.
    ``searched`` names where a missing grant was looked for. Kept per (subject,
    permission), so decisions on further records only add what the record needs.
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
    held: HeldGrant | None = None


@dataclass
class Outcome:
    """What a record (or the scope asked about) added to a :class:`Finding`.

    ``reach``: the scopes that reach the record (a bitmask), or the scope asked about
    alone; ``held`` the grant that reached it; ``rule`` the sharing rule that shared
    it; ``field_grant`` a restricted field's grant, ``field_denied`` whether it fell short.
    """

    reach: int
    owner: str | None = None
    team: str | None = None
    department: str | None = None
    on_record: bool = True
    held: HeldGrant | None = None
    rule: str | None = None
    field_grant: FieldGrant | None = None
    field_denied: bool = False


class Words:
    """Says decisions in words, reading positions and the organisation when asked."""

    def __init__(
        self,
        catalog: ActionCatalog,
        org: OrgGraph,
        sharing: SharingIndex,
        locate: Callable[[Path], object],
    ) -> None:
        self._catalog = catalog
        self._org = org
        self._sharing = sharing
        self._locate = locate

    def decision(
        self, found: Finding, allowed: bool, outcome: Outcome, field: str | None
    ) -> Decision:
        """The :class:`Decision` of ``found`` and ``outcome``; its reason made when read."""
        held = outcome.held
        grant = held.grant if held is not None else found.grant
        role = held.role if held is not None else found.role
        granted = held.scope if held is not None else found.granted
        layer = _layer(found, outcome, allowed)
        chain: tuple[str, ...] = ()
        if _by_reports(found, outcome) and outcome.owner is not None:
            above = (outcome.owner, *self._org.chain(outcome.owner))
            chain = above[: above.index(found.subject) + 1] if found.subject in above else above
        where = found.where if held is None or held.grant is found.grant else None
        if held is not None and where is None:
            where = str(self._locate(held.grant.source.path))
        required = _required(outcome.reach)
        return Decision(
            allowed,
            found.subject,
            found.action,
            found.resource,
            required,
            granted,
            role,
            grant,
            where,
            layer,
            chain,
            outcome.rule,
            field,
            lambda decision: self.reason(decision, found, outcome),
        )

    # The sentence -----------------------------------------------------------------------
    def reason(self, decision: Decision, found: Finding, outcome: Outcome) -> str:
        subject, action, resource = found.subject, found.action, found.resource
        verb = "may" if decision.allowed else "may not"
        what = f"the {decision.field} field of {resource}" if decision.field else resource
        sentence = f"{subject} {verb} {action} {what} {self._context(found, outcome)}"
        needs = " or ".join(s.label for s in least(outcome.reach)) + " scope"
        if decision.layer is Layer.SHARING and outcome.rule is not None:
            text = f"{sentence}: {self._shared(found, outcome.rule)}"
        elif found.grant is None or found.role is None:
            if not self._catalog.applies(resource, action):
                return f"{sentence}: `{action}` does not apply to {resource}"
            return f"{sentence}: no grant of {resource}.{action} in {found.searched}"
        elif outcome.held is not None:
            text = f"{sentence}: needs {needs}; {self._outcome(found, (outcome.held,))}"
            if decision.layer is Layer.REPORTS or decision.chain:
                text += f"; {self._reports(decision.chain)}"
        else:
            members = found.held.members if found.held is not None else ()
            text = (
                f"{sentence}: needs {needs}, but {self._outcome(found, members)}; "
                f"grant {resource}.{action} at {needs} or wider to allow it"
            )
            return text
        if decision.field:
            text += f"; {self._field(decision, outcome)}"
        return text

    def _context(self, found: Finding, outcome: Outcome) -> str:
        if not outcome.on_record:
            return f"at {_required(outcome.reach).label} scope"
        parts = [f"owner {outcome.owner}" if outcome.owner else "no owner"]
        if outcome.team:
            parts.append(f"team {outcome.team}")
        if outcome.department:
            parts.append(f"department {outcome.department}")
        why = SCOPES[_required(outcome.reach)].why.format(person=found.subject)
        return f"on the record ({', '.join(parts)}; {why})"

    def _outcome(self, found: Finding, members: tuple[HeldGrant, ...]) -> str:
        said = []
        for index, member in enumerate(members):
            grant = member.grant
            source = grant.source
            where = self._locate(source.path)
            if source.baseline:
                written = (
                    f"the baseline {source.resource_key}: {{{source.action_key}: "
                    f"{source.scope.label}}} at {where}, which everyone with a grant of "
                    f"{found.resource}.{found.action} has"
                )
            else:
                written = (
                    f"the grant {source.resource_key}: {{{source.action_key}: "
                    f"{source.scope.label}}} on role {source.role} at {where}"
                )
            path = " -> ".join(grant.via)
            inherited = f" (inherited {path})" if len(grant.via) > 1 and not source.baseline else ""
            if index == 0:
                holder = (
                    f"{found.subject} holds {member.role}, which"
                    if found.as_person
                    else (found.subject)
                )
            else:
                holder = f"{member.role}" if found.as_person else "it"
            said.append(f"{holder} has {grant.scope.label} scope{inherited}, from {written}")
        return "; and ".join(said)

    def _reports(self, chain: tuple[str, ...]) -> str:
        if len(chain) < 2:
            return "the owner is among their own reports (a reporting cycle)"
        where = self._locate(("people", chain[0], "reports_to"))
        return f"the owner reports to them: {' → '.join(chain)} (reports_to at {where})"

    def _shared(self, found: Finding, rule_id: str) -> str:
        rule = self._sharing.rule(rule_id)
        where = self._locate(("sharing", rule_id))
        held = found.held
        gate = (
            f"{found.subject} holds a grant of {found.resource}.{found.action} "
            f"({held.scope.label} scope, through {held.role})"
            if held is not None
            else f"{found.subject} holds a grant of {found.resource}.{found.action}"
        )
        return (
            f"sharing rule {rule_id} at {where} shares {rule.resource} records owned by "
            f"{rule.from_.kind} {rule.from_.id} with {rule.to.kind} {rule.to.id} for "
            f"{', '.join(rule.actions)}; {gate}"
        )

    def _field(self, decision: Decision, outcome: Outcome) -> str:
        field = decision.field or ""
        needs = "edit" if FIELD_NEEDS.get(decision.action) == 2 else "read"
        grant = outcome.field_grant
        if grant is None and not outcome.field_denied:
            return f"{field} is not restricted: it follows its record"
        if grant is None:
            return (
                f"but {field} is restricted and no role of {decision.subject}'s grants it; "
                f"give a role `fields: {{{decision.resource}: {{{field}: {needs}}}}}`"
            )
        where = self._locate(grant.path(decision.resource, field))
        if outcome.field_denied:
            return (
                f"but {field} is restricted, and role {grant.role} grants it only "
                f"{grant.access} at {where} (needs {needs})"
            )
        return f"{field} is restricted, and role {grant.role} grants it {grant.access} at {where}"


def _required(reach: int) -> Scope:
    found = least(reach)
    return found[-1] if found else Scope.NONE


def _layer(found: Finding, outcome: Outcome, allowed: bool) -> Layer:
    if outcome.field_denied or (allowed and outcome.field_grant is not None):
        return Layer.FIELD
    if outcome.rule is not None:
        return Layer.SHARING
    held = outcome.held if outcome.held is not None else found.held
    if held is None:
        return Layer.NONE
    if held.grant.source.baseline:
        return Layer.BASELINE
    return Layer.REPORTS if _by_reports(found, outcome) else Layer.GRANT


def _by_reports(found: Finding, outcome: Outcome) -> bool:
    """Whether the grant that reached the record did so because its owner reports up."""
    held = outcome.held
    return (
        held is not None
        and held.scope is Scope.SUBORDINATES
        and outcome.owner is not None
        and outcome.owner != found.subject
    )
