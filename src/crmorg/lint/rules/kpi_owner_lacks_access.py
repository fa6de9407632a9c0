"""KPI owners who cannot read what their KPI is computed from."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from crmorg.findings import Severity
from crmorg.kpi.formula import FormulaError, parse_formula
from crmorg.lint.rule import Problem, rule
from crmorg.lint.wording import listing
from crmorg.model import Model
from crmorg.roles.models import Person
from crmorg.roles.orggraph import OrgGraph
from crmorg.roles.scopes import Record, Scope, narrowest, reaching


class OwnerReach:
    """Where KPI owner roles reach: the organisation as someone holding one of them,
    and nothing else, sees it, so that the scope registry says which scope a grant of
    theirs needs to reach a department's records."""

    def __init__(self, model: Model, owners: Iterable[str]) -> None:
        holders = {_holder(role): Person(roles=[role]) for role in owners}
        # The holders are in no team (no team can name them), so the teams are left out.
        self._org = OrgGraph(model.roles, holders, model.departments, {}, {})

    def required_scope(self, owner: str, department: str) -> Scope:
        """How wide the owner's read grant must be to reach every record of
        ``department``: records owned by others, in none of the owner's teams."""
        record = Record(None, frozenset(), frozenset({department}))
        return narrowest(reaching(self._org, _holder(owner), record))

    def within(self, owner: str, department: str) -> bool:
        """Whether ``department`` is the owner role's own department or one below it."""
        return department in self._org.reach(_holder(owner))


def _holder(role: str) -> str:
    # Not an id a person can have, so no team or reporting line names it.
    return f"holder of {role}"


@rule("kpi-owner-lacks-access", "CRM216", "kpi", Severity.WARNING)
def kpi_owner_lacks_access(model: Model) -> Iterator[Problem]:
    """A KPI's owner cannot read the records one of its metrics is computed from.

    A metric may name its `source`, the resource its values are counted from. The
    owner role of a KPI is accountable for the number, so it must be able to read
    that resource across the KPI's department: at `department` scope when the KPI's
    department is the owner's own department or one below it, and at `organization`
    scope when it lies elsewhere (department scope would not reach it). KPIs without
    an owner or department, and metrics without a source, are not checked.

    Fails:
    ```yaml
    roles:
      crm_manager:
        department: crm
        grants: {account: {read: own}}     # only its own accounts
    metrics:
      customers_lost: {unit: count, source: account}
    kpis:
      churn_rate:
        department: crm
        owner: crm_manager
        formula: customers_lost / customers_at_start
    ```
    Fix: `grants: {account: {read: department}}` for `crm_manager`, or make the role
    that can read the accounts the KPI's owner.
    """
    access = model.access
    owners = {kpi.owner for kpi in model.kpis.values() if kpi.owner is not None}
    reach = OwnerReach(model, owners & model.roles.keys())
    for kpi_id, kpi in model.kpis.items():
        owner, department = kpi.owner, kpi.department
        if owner is None or department is None or kpi.formula is None:
            continue
        if owner not in model.roles or department not in model.departments:
            continue  # unknown-reference reports these
        try:
            used = parse_formula(kpi.formula).metrics
        except FormulaError:
            continue  # a schema finding already
        required = reach.required_scope(owner, department)
        by_resource: dict[str, list[str]] = {}
        for metric_id in sorted(used):
            metric = model.metrics.get(metric_id)
            resource = metric.source if metric is not None else None
            if resource is not None and resource in model.resources:
                by_resource.setdefault(resource, []).append(metric_id)
        for resource, metrics in by_resource.items():
            if not access.catalog.applies(resource, "read"):
                continue
            if access.allows(owner, "read", resource, required):
                continue
            granted = access.effective_scope(owner, "read", resource)
            where = (
                "its department"
                if reach.within(owner, department)
                else f"department {department}, outside its own"
            )
            noun = "metric" if len(metrics) == 1 else "metrics"
            verb = "is" if len(metrics) == 1 else "are"
            yield Problem(
                f"KPI {kpi_id} is owned by {owner}, which {_reach(granted, resource)}, "
                f"but {noun} {listing(metrics)} {verb} computed from "
                f"{resource} records across {where}: grant {owner} {resource}.read at "
                f"{required.label} scope, or give the KPI an owner who has it",
                ("kpis", kpi_id, "owner"),
                (kpi_id, owner, *metrics, resource),
            )


def _reach(scope: Scope, resource: str) -> str:
    if scope is Scope.NONE:
        return f"cannot read {resource} at all"
    return f"can read {resource} only at {scope.label} scope"
