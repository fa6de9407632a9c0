"""The rule reference (docs/rules.md), generated from the registry: never written twice.

Regenerate it with ``crmorg rules --format markdown > docs/rules.md``; a test fails when
the file is stale.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from crmorg.findings import Group
from crmorg.lint.registry import builtin_rules, engine_rules
from crmorg.lint.rule import Rule

PROJECT_URL = "https://crmorg.dev"
RULES_DOC_URL = f"{PROJECT_URL}/docs/rules.md"
REGENERATE = "crmorg rules --format markdown > docs/rules.md"

GROUP_TITLES: Mapping[Group, str] = {
    "model": "Model: can the model be read, and does it hold together",
    "access": "Access: what people may do",
    "raci": "RACI: who answers for the work, and who does it",
    "organisation": "Organisation: structure and staffing",
    "kpi": "KPIs: how the work is measured",
}


def anchor(rule_name: str) -> str:
    """The heading anchor of a rule in docs/rules.md (GitHub's slug of the heading)."""
    return re.sub(r"[^a-z0-9_-]", "", rule_name.lower().replace(" ", "-"))


def help_uri(rule_name: str) -> str:
    """A link to the rule's section of the reference."""
    return f"{RULES_DOC_URL}#{anchor(rule_name)}"


def doc_markdown(rule: Rule) -> str:
    """A rule's docstring as markdown: the ``Fails:``/``Fix:`` labels in bold."""
    lines = []
    for line in rule.doc.splitlines():
        for label in ("Fails:", "Fix:"):
            if line.startswith(label):
                line = f"**{label}**{line[len(label) :]}"
        lines.append(line)
    return "\n".join(lines)


def documented_rules() -> dict[str, Rule]:
    """Every rule the reference documents: the built-in ones, then the engine's own."""
    return {**builtin_rules(), **engine_rules()}


def render_rules_markdown(rules: Mapping[str, Rule] | None = None) -> str:
    """The whole rule reference; by default of every documented rule, in code order."""
    rules = rules if rules is not None else documented_rules()
    out = [
        "# Validation rules",
        "",
        f"<!-- Generated from the rule registry by `{REGENERATE}`; do not edit by hand. -->",
        "",
        "`crmorg validate` checks a model with the rules below. Every finding carries the",
        "rule's name, its code, a severity (`error`, `warning` or `info`), a message, the",
        "file, line and column it points at, and its *subjects*: every id it concerns.",
        "Rules reason over *effective* permissions: inherited grants, expanded wildcards,",
        "and the union of the roles a person holds. `crmorg rules` lists the rules on the",
        "command line; [Configuration](#configuration) says how to select them, change",
        "their severities and waive findings.",
        "",
        "| Rule | Code | Group | Family | Default | What it catches |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for rule in rules.values():
        info = rule.info
        text = rule.summary.replace("|", r"\|")
        out.append(
            f"| [{info.name}](#{anchor(info.name)}) | {info.code} | {info.group} | "
            f"{info.family} | {info.severity.value} | {text} |"
        )
    out += ["", GROUPS.strip()]
    for group, title in GROUP_TITLES.items():
        members = [rule for rule in rules.values() if rule.info.group == group]
        if not members:
            continue
        out += ["", f"## {title}"]
        for rule in members:
            info = rule.info
            out += [
                "",
                f"### {info.name}",
                "",
                f"Code `{info.code}` · group `{info.group}` · family `{info.family}` · "
                f"default severity `{info.severity.value}`",
                "",
                doc_markdown(rule),
            ]
    out += ["", CONFIGURATION.strip(), "", DESIGN_NOTES.strip(), ""]
    return "\n".join(out)


GROUPS = """
## Groups

Every rule belongs to one group, by what it is about; a group's name selects all its
rules (`--select access`, `--ignore raci,kpi`, `settings.rules: {kpi: "off"}`). To
audit a vendor's shipped access design, run `crmorg validate PATH --select model,access`.

- `model`: the model can be read and holds together: syntax, format, ids, references,
  cycles, waivers that match nothing, and a rule that crashed.
- `access`: what people may do: grants, separation of duties (`sod-role-conflict`,
  `sod-person-conflict`, and `exclusive-roles`, the static form of it: roles one
  person may not combine), privilege escalation, external roles, actions nobody can
  perform, and sensitive grants nobody needs (`excess-privilege`).
- `raci`: responsibilities and process steps: who is Accountable and Responsible,
  overlapping parts, roles without work, and Responsible roles whose grants do not
  cover what the work requires (`responsible-lacks-permission`: the fix may be a grant,
  but the finding is that a responsibility cannot be carried out); and the flow of a
  process: unknown, duplicate and unreachable steps, a process with no end, and
  hand-offs the next step's Responsible roles do not hear of.
- `organisation`: structure and staffing: heads, leads, vacant roles, people without
  roles, how many people hold a role (`role-cardinality`), span of control and single
  points of failure.
- `kpi`: KPIs: departments without one, KPIs that cannot be measured, and owners who
  cannot read what their KPI is computed from (`kpi-owner-lacks-access`).

Each rule also has a *family*, the kind of problem it finds: `model` (the same rules
as the `model` group), `conflict` (the design contradicts itself) or `gap` (something
it needs is missing). Families select rules too (`--ignore gap`).
"""


CONFIGURATION = """
## Configuration

In the model, `settings.rules` maps rule names or groups to a severity or `off`, and
`settings.waivers` accepts risks (quote `"off"`: crmorg reports an unquoted `off`,
which YAML 1.1 would read as false):

```yaml
settings:
  span_of_control: 8
  rules: {kpi: "off", excess-privilege: warning}   # quote "off"
  waivers:
    - rule: privilege-escalation
      subjects: [crm_admin]
      reason: Administrators are trusted; access is reviewed every quarter.
```

On the command line, `crmorg validate PATH` takes:

- `--select RULE` runs only these rules; `--ignore RULE` skips them. Both take rule
  names, codes (`CRM101`), groups (`model`, `access`, `raci`, `organisation`, `kpi`)
  or families (`model`, `conflict`, `gap`), repeated or comma-separated:
  `--select model,access`.
- `--severity RULE=LEVEL` sets the severity of a rule, a group or a family: `error`,
  `warning`, `info` or `off` (`--severity kpi=error`).
- `--fail-on error|warning|info`: the exit status is 1 when an unwaived finding is at
  least this severe (default `error`), else 0; 2 is a usage error.
- `--format text|json|sarif|github` chooses the reporter.

Precedence: the command line wins over the model. A rule's own `--severity` wins over
its group's, which wins over its family's, which wins over `settings.rules` (where a
rule's own entry wins over its group's), which wins over the default. Selecting a
rule by name or code runs it even where `settings.rules` switches it (or its group)
off; selecting its group or family does not.
`yaml-syntax` and `schema` findings mean the model could not be read as written: they
are always reported as errors, and cannot be ignored, given another severity or waived.

A waiver matches a finding of its rule whose subjects include all of the waiver's
subjects (a waiver without subjects matches every finding of its rule). Waived findings
are reported, marked as waived with the reason, and never fail a run. A waiver that
matches nothing is itself an `unused-waiver` warning, so waivers cannot rot; a waiver
of a rule that does not run (switched off, or not selected) is not reported. A waiver
names one rule, never a group: it accepts one risk.

A rule that crashes is reported as an `internal-error` finding naming the rule, and
the other rules still run. It is reported whatever `--select` chooses; `--ignore`,
`--severity`, `settings.rules` and waivers (without subjects: a rule's name is not a
model id) apply to it as to a rule.
"""

DESIGN_NOTES = """
## How the rules decide

Where the format's contract leaves a choice open, the rules decide as follows.

- **Effective grants.** Every permission check uses a role's effective grants: its own,
  those of every role it inherits (transitively), with `*` expanded to the declared
  resources and the actions that apply to each. A grant at scope `none` grants
  nothing. A person's grants are the union of their roles' grants.
- **Holding a role.** A person holds a role when they are given it or a role that
  inherits it: a sales manager who inherits `sales_rep` is a sales rep. This is how
  `exclusive-roles`, `role-cardinality`, `vacant-role` and `single-point-of-failure`
  count people.
- **Having a responsibility.** A role *has* a responsibility when it is its Accountable
  or one of its Responsible roles, directly (`role-without-responsibility`,
  `single-point-of-failure`, `excess-privilege`). A process step is a responsibility
  here: every RACI rule checks each step and points at it, and a role has the steps
  it is Accountable or Responsible for (`single-point-of-failure` aside: a step has
  no `critical`).
- **Staffing rules need people.** `vacant-role`, `role-cardinality` and
  `single-point-of-failure` are checked only when the model declares people; a model
  of roles alone describes jobs, not staffing.
- **Separation of duties.** `sod-role-conflict` reports the role where a conflict first
  arises; roles that inherit the conflict are named in its message instead of being
  reported again, so one waiver or one fix covers them. It points at the role's own
  grant that completes the conflict (or at its `inherits`). `sod-person-conflict` is
  reported only when no single role of the person conflicts.
- **Privilege escalation.** A role that may `assign` a resource marked `grants_roles`,
  at any scope (even `own`: its own account), can reach every role. It is reported
  when some role has a (resource, action) at a wider scope than the assigning role:
  once per assigning role, with the path to the role with the most exceeding grants
  (ties in model order) and those grants in declaration order. A full administrator,
  whom no role exceeds, is not reported.
- **External roles.** Only roles marked `external: true` are checked, on their
  effective grants: a scope wider than `team`, or any grant on a sensitive resource,
  is overreach. A role inheriting an external role is not itself external.
- **Excess privilege.** A grant a role writes on a sensitive resource is justified by a
  responsibility the role has, or one that a role inheriting it has (inherited grants
  serve the heirs), requiring that (resource, action) at that scope or wider. Both
  unrequired actions and scopes wider than required are listed, one finding per role
  and resource.
- **Span of control** counts people's direct reports (`people.reports_to`); role-level
  `reports_to` describes structure, not how many people one manager looks after.
- **KPIs.** A KPI without a `formula` is not measurable either. A formula that cannot
  be parsed is a `schema` problem; `kpi-not-measurable` only reports the metrics a
  parsable formula uses that `metrics` does not declare.
- **Positions.** A finding points at the node to change: a grant line, a list entry
  (`responsible`, a person's `roles`), a constraint bound, or the key that defines the
  entity when something is missing from it.
- **Cost.** Every rule is linear in the size of the model (people, roles and their
  grants, responsibilities), with shared indexes computed once per model (who holds
  which role, each role's inheritance lineage). `privilege-escalation` compares each
  role that can assign roles with every role's grants: O(assigning roles x all
  effective grants), skipping at once a role that no other role exceeds.
"""
