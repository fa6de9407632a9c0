"""The rule reference (docs/rules.md), generated from the registry: never written twice.

Regenerate it with ``crmorg rules --format markdown > docs/rules.md``; a test fails when
the file is stale.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from crmorg.lint.catalog import Family
from crmorg.lint.registry import builtin_rules
from crmorg.lint.rule import Rule

PROJECT_URL = "https://crmorg.dev"
RULES_DOC_URL = f"{PROJECT_URL}/docs/rules.md"
REGENERATE = "crmorg rules --format markdown > docs/rules.md"

FAMILY_TITLES: Mapping[Family, str] = {
    "model": "Model errors",
    "conflict": "Conflicts",
    "gap": "Gaps",
}


def anchor(rule_name: str) -> str:
    """The heading anchor of a rule in docs/rules.md (GitHub's slug of the heading)."""
    return re.sub(r"[^a-z0-9_-]", "", rule_name.lower().replace(" ", "-"))


def help_uri(rule_name: str) -> str:
    """A link to the rule's section of the reference."""
    return f"{RULES_DOC_URL}#{anchor(rule_name)}"


def summary(rule: Rule) -> str:
    """The first paragraph of a rule's documentation, on one line."""
    first = rule.doc.split("\n\n", 1)[0]
    return " ".join(first.split()) or rule.info.summary


def doc_markdown(rule: Rule) -> str:
    """A rule's docstring as markdown: the ``Fails:``/``Fix:`` labels in bold."""
    lines = []
    for line in rule.doc.splitlines():
        for label in ("Fails:", "Fix:"):
            if line.startswith(label):
                line = f"**{label}**{line[len(label) :]}"
        lines.append(line)
    return "\n".join(lines)


def render_rules_markdown(rules: Mapping[str, Rule] | None = None) -> str:
    """The whole rule reference; by default of the built-in rules, in catalogue order."""
    rules = rules if rules is not None else builtin_rules()
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
        "| Rule | Code | Family | Default | What it catches |",
        "| --- | --- | --- | --- | --- |",
    ]
    for rule in rules.values():
        info = rule.info
        text = summary(rule).replace("|", r"\|")
        out.append(
            f"| [{info.name}](#{anchor(info.name)}) | {info.code} | {info.family} | "
            f"{info.severity.value} | {text} |"
        )
    for family, title in FAMILY_TITLES.items():
        members = [rule for rule in rules.values() if rule.info.family == family]
        if not members:
            continue
        out += ["", f"## {title}"]
        for rule in members:
            info = rule.info
            out += [
                "",
                f"### {info.name}",
                "",
                f"Code `{info.code}` · family `{info.family}` · default severity "
                f"`{info.severity.value}`",
                "",
                doc_markdown(rule),
            ]
    out += ["", CONFIGURATION.strip(), "", DESIGN_NOTES.strip(), ""]
    return "\n".join(out)


CONFIGURATION = """
## Configuration

In the model, `settings.rules` maps rule names to a severity or `off`, and
`settings.waivers` accepts risks (quote `"off"`: crmorg reports an unquoted `off`,
which YAML 1.1 would read as false):

```yaml
settings:
  span_of_control: 8
  rules: {department-without-kpi: "off", excess-privilege: warning}   # quote "off"
  waivers:
    - rule: privilege-escalation
      subjects: [crm_admin]
      reason: Administrators are trusted; access is reviewed every quarter.
```

On the command line, `crmorg validate PATH` takes:

- `--select RULE` runs only these rules; `--ignore RULE` skips them. Both take rule
  names, codes (`CRM101`) or families (`model`, `conflict`, `gap`), repeated or
  comma-separated.
- `--severity RULE=LEVEL` sets a rule's (or a family's) severity: `error`, `warning`,
  `info` or `off`.
- `--fail-on error|warning|info`: the exit status is 1 when an unwaived finding is at
  least this severe (default `error`), else 0; 2 is a usage error.
- `--format text|json|sarif|github` chooses the reporter.

Precedence: the command line wins over the model. A rule's own `--severity` wins over
its family's, which wins over `settings.rules`, which wins over the default.
Selecting a rule by name or code runs it even where `settings.rules` switches it off.
`yaml-syntax` and `schema` findings mean the model could not be read as written: they
are always reported as errors, and cannot be ignored, given another severity or waived.

A waiver matches a finding of its rule whose subjects include all of the waiver's
subjects (a waiver without subjects matches every finding of its rule). Waived findings
are reported, marked as waived with the reason, and never fail a run. A waiver that
matches nothing is itself an `unused-waiver` warning, so waivers cannot rot; a waiver
of a rule that does not run (switched off, or not selected) is not reported.
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
  `single-point-of-failure`, `excess-privilege`).
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
