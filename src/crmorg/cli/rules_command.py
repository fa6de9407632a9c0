"""``crmorg rules``: list the validation rules, or show one rule's documentation."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from dataclasses import asdict

from crmorg.cli.command import CommandBase
from crmorg.cli.common import EXIT_OK, UsageError, stdout
from crmorg.findings import FAMILIES, GROUPS
from crmorg.lint.docs import help_uri, render_rules_markdown
from crmorg.lint.registry import all_rules, engine_rules
from crmorg.lint.rule import Rule
from crmorg.suggestions import did_you_mean


class RulesCommand(CommandBase):
    """List the validation rules, or show the documentation of one. `crmorg rules --format markdown
    > docs/rules.md` regenerates the rule reference."""

    name = "rules"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "rule",
            nargs="?",
            help="a rule name or code: show its documentation; a group or family: list its rules",
        )
        parser.add_argument(
            "--format", choices=("text", "json", "markdown"), default="text", help="output format"
        )

    def run(self, args: argparse.Namespace) -> int:
        rules = all_rules()
        engine = engine_rules()
        one_rule = args.rule is not None and args.rule not in (*GROUPS, *FAMILIES)
        if args.rule is not None:
            known = {**rules, **engine}
            rules = {
                r.name: r
                for r in known.values()
                if args.rule in (r.name, r.info.code, r.info.group, r.info.family)
            }
            if not rules:
                names = {n for r in known.values() for n in (r.name, r.info.code)}
                hint = did_you_mean(args.rule, {*names, *GROUPS, *FAMILIES})
                raise UsageError(f"no rule named {args.rule!r}{hint}; `crmorg rules` lists them")
        out = stdout()
        if args.format == "markdown":
            out.write(render_rules_markdown(rules if args.rule is not None else None))
        elif args.format == "json":
            listed = {"rules": [_as_dict(r) for r in rules.values()]}
            if args.rule is None:
                listed["engine_rules"] = [_as_dict(r) for r in engine.values()]
            out.write(json.dumps(listed, indent=2) + "\n")
        elif one_rule:
            (rule,) = rules.values()
            info = rule.info
            out.write(
                f"{info.name} ({info.code}, {info.family}, default {info.severity.value}; "
                f"group {info.group})\n\n{rule.doc}\n\nMore: {help_uri(info.name)}\n"
            )
        else:
            out.write(_table(rules, engine if args.rule is None else {}))
        return EXIT_OK


def _as_dict(rule: Rule) -> dict[str, str]:
    # The identity's fields in their declared order, the severity by its name.
    return {
        **asdict(rule.info),
        "severity": rule.info.severity.value,
        "summary": rule.summary,
        "help_uri": help_uri(rule.name),
        "doc": rule.doc,
    }


def _table(rules: Mapping[str, Rule], engine: Mapping[str, Rule]) -> str:
    width = max(len(name) for name in (*rules, *engine))
    lines = [f"{'RULE':<{width}}  CODE    GROUP         FAMILY    DEFAULT  SUMMARY"]
    lines += [_row(rule, width) for rule in rules.values()]
    lines.append("")
    lines.append(
        f"{len(rules)} rules. `crmorg rules RULE` shows one rule's documentation, "
        "`crmorg rules GROUP` a group's rules; `--format markdown` all of it."
    )
    if engine:
        lines += ["", "Reported by the engine when a rule crashes:"]
        lines += [_row(rule, width) for rule in engine.values()]
    return "\n".join(lines) + "\n"


def _row(rule: Rule, width: int) -> str:
    info = rule.info
    return (
        f"{info.name:<{width}}  {info.code:<6}  {info.group:<12}  {info.family:<8}  "
        f"{info.severity.value:<7}  {rule.summary}"
    )
