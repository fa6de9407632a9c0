"""``diff(old, new)``: everything that differs between two versions of a model."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from crmorg.diff import fields as field_diff
from crmorg.diff.access import (
    Permission,
    SideAccess,
    pair,
    person_groups,
    person_scope_changes,
    role_changes,
    with_membership_lines,
)
from crmorg.diff.processes import process_changes
from crmorg.diff.reach import reach_changes
from crmorg.diff.results import (
    AccessChange,
    Cause,
    FindingChanges,
    ModelDiff,
    SubjectDiff,
    SubjectStatus,
)
from crmorg.diff.sharing import sharing_changes
from crmorg.diff.structure import raci_changes, structural_changes
from crmorg.diff.version import Version, version_of
from crmorg.findings import Finding
from crmorg.gcpause import paused_gc
from crmorg.model import Model


def diff(old: Model | Version, new: Model | Version, *, findings: bool = True) -> ModelDiff:
    """Compare two models (format-v1 section 17); ``findings``: validate both and match
    their findings too."""
    before = old if isinstance(old, Version) else version_of(old)
    after = new if isinstance(new, Version) else version_of(new)
    with paused_gc():  # hundreds of thousands of small results, no cycles (crmorg.gcpause)
        old_access, new_access = SideAccess(before, "old"), SideAccess(after, "new")
        pair(old_access, new_access)
        roles, people = access_changes(old_access, new_access)
        processes, step_raci = process_changes(before, after)
        return ModelDiff(
            before.label,
            after.label,
            roles,
            people,
            (*raci_changes(before, after), *step_raci),
            tuple(structural_changes(before, after)),
            finding_changes(before, after) if findings else None,
            tuple(processes),
        )


def access_changes(
    old: SideAccess, new: SideAccess
) -> tuple[tuple[SubjectDiff, ...], tuple[SubjectDiff, ...]]:
    """Every role's and every person's access changes (subjects without any left out)."""
    per_role, by_role = role_changes(old, new)
    keys = field_diff.restricted_fields(old, new)
    declared = field_diff.declarations_changed(old, new, keys)
    roles: list[SubjectDiff] = []
    field_dirty: set[str] = set()
    for role in [*old.roles, *(r for r in new.roles if r not in old.roles)]:
        changes = list(per_role.get(role, ()))
        for key in keys:
            if field_diff.grant_level(old, role, key) != field_diff.grant_level(new, role, key):
                field_dirty.add(role)
            before = field_diff.level(old, role, key, person=False)
            after = field_diff.level(new, role, key, person=False)
            if before != after:
                changes.append(
                    field_diff.field_change(
                        old, new, key, before, after, ((role,), (role,)), _record(changes, key)
                    )
                )
        if changes:
            field_dirty.add(role)
            roles.append(
                SubjectDiff("role", role, _status(role, old.roles, new.roles), tuple(changes))
            )
    return tuple(roles), _people(old, new, by_role, keys, declared, field_dirty)


def _people(
    old: SideAccess,
    new: SideAccess,
    by_role: Mapping[tuple[str, Permission], AccessChange],
    keys: tuple[field_diff.FieldKey, ...],
    declared: set[field_diff.FieldKey],
    dirty: set[str],
) -> tuple[SubjectDiff, ...]:
    shared = sharing_changes(old, new)
    for person, reached in reach_changes(old, new).items():
        shared.setdefault(person, []).extend(reached)
    changed_roles = {role for role, _ in by_role} | dirty
    found: dict[str, SubjectDiff] = {}
    for (before, after), members in person_groups(old, new).items():
        regrouped = before != after
        involved = set(before or ()) | set(after or ())
        changes: list[AccessChange] = []
        if regrouped or not involved.isdisjoint(changed_roles) or declared:
            person = members[0]
            changes = person_scope_changes(
                old,
                new,
                before,
                after,
                old.index.person_row(person) if before is not None else None,
                new.index.person_row(person) if after is not None else None,
                by_role,
            )
            wanted = keys if regrouped or not involved.isdisjoint(dirty) else tuple(declared)
            for key in wanted:
                then = field_diff.level(old, person if before is not None else None, key, True)
                now = field_diff.level(new, person if after is not None else None, key, True)
                if then != now:
                    changes.append(
                        field_diff.field_change(
                            old,
                            new,
                            key,
                            then,
                            now,
                            (before or (), after or ()),
                            _record(changes, key),
                        )
                    )
        gained = tuple(r for r in after or () if r not in (before or ()))
        lost = tuple(r for r in before or () if r not in (after or ()))
        common = tuple(changes)
        for person in members:
            own = common
            if gained or lost:
                own = with_membership_lines(common, person, old.version, new.version)
            extra = shared.get(person)
            if extra:
                own = (*own, *extra)
            if own:
                status = "added" if before is None else "removed" if after is None else "kept"
                found[person] = SubjectDiff("person", person, status, own, gained, lost)  # type: ignore[arg-type]
    order = [*old.people, *(p for p in new.people if p not in old.people)]
    return tuple(found[p] for p in order if p in found)


def _record(changes: list[AccessChange], key: field_diff.FieldKey) -> tuple[Cause, ...]:
    """The causes of the record access a field follows: its resource's read or update."""
    return tuple(
        cause
        for change in changes
        if change.aspect == "scope" and change.resource == key[0]
        and change.action in ("read", "update")
        for cause in change.causes
    )  # fmt: skip


def _status(key: str, before: Mapping[str, object], after: Mapping[str, object]) -> SubjectStatus:
    if key not in before:
        return "added"
    return "removed" if key not in after else "kept"


def finding_changes(old: Version, new: Version) -> FindingChanges:
    """Validate both sides; findings are matched by rule and subjects, as many times as
    each side holds them, so a finding whose line moved is neither introduced nor resolved."""
    from crmorg.lint.engine import run

    before = [old.finding(f) for f in run(old.model).findings]
    after = [new.finding(f) for f in run(new.model).findings]
    return FindingChanges(tuple(_unmatched(after, before)), tuple(_unmatched(before, after)))


def _unmatched(these: list[Finding], others: list[Finding]) -> list[Finding]:
    """The findings of ``these`` that ``others`` has no match left for."""
    left = Counter((f.rule, f.subjects) for f in others)
    found = []
    for finding in these:
        key = (finding.rule, finding.subjects)
        if left[key]:
            left[key] -= 1
        else:
            found.append(finding)
    return found
