"""``crmorg rules``: list the validation rules, or show one rule's documentation."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping

from crmorg.cli.common import EXIT_OK, UsageError, stdout
from crmorg.lint.docs import help_uri, render_rules_markdown, summary
from crmorg.lint.registry import all_rules
from crmorg.lint.rule import Rule


class RulesCommand:
    name = "rules"
    help = "list the validation rules (name, code, family, default severity)"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        parser.description = (
            "List the validation rules, or show the documentation of one. "
            "`crmorg rules --format markdown > docs/rules.md` regenerates the rule reference."
        )
        parser.add_argument("rule", nargs="?", help="a rule name or code: show its documentation")
        parser.add_argument(
            "--format", choices=("text", "json", "markdown"), default="text", help="output format"
        )

    def run(self, args: argparse.Namespace) -> int:
        rules = all_rules()
        if args.rule is not None:
            rules = {r.name: r for r in rules.values() if args.rule in (r.name, r.info.code)}
            if not rules:
                raise UsageError(f"no rule named {args.rule!r}; `crmorg rules` lists them")
        out = stdout()
        if args.format == "markdown":
            out.write(render_rules_markdown(rules if args.rule is not None else None))
        elif args.format == "json":
            out.write(json.dumps({"rules": [_as_dict(r) for r in rules.values()]}, indent=2) + "\n")
        elif args.rule is not None:
            (rule,) = rules.values()
            info = rule.info
            out.write(
                f"{info.name} ({info.code}, {info.family}, default {info.severity.value})\n\n"
                f"{rule.doc}\n\nMore: {help_uri(info.name)}\n"
            )
        else:
            out.write(_table(rules))
        return EXIT_OK


def _as_dict(rule: Rule) -> dict[str, str]:
    info = rule.info
    return {
        "name": info.name,
        "code": info.code,
        "family": info.family,
        "severity": info.severity.value,
        "summary": summary(rule),
        "help_uri": help_uri(info.name),
        "doc": rule.doc,
    }


def _table(rules: Mapping[str, Rule]) -> str:
    width = max(len(name) for name in rules)
    lines = [f"{'RULE':<{width}}  CODE    FAMILY    DEFAULT  SUMMARY"]
    for rule in rules.values():
        info = rule.info
        lines.append(
            f"{info.name:<{width}}  {info.code:<6}  {info.family:<8}  "
            f"{info.severity.value:<7}  {info.summary}"
        )
    lines.append("")
    lines.append(
        f"{len(rules)} rules. `crmorg rules RULE` shows one rule's documentation; "
        "`--format markdown` all of it."
    )
    return "\n".join(lines) + "\n"
