"""Which rules run and how severe their findings are: model settings plus command line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from crmorg.findings import FAMILIES, GROUPS, RuleIdentity, Severity
from crmorg.lint.catalog import IDENTITIES
from crmorg.lint.rules.internal_error import INTERNAL_ERROR
from crmorg.lint.waivers import ALWAYS_REPORTED
from crmorg.suggestions import did_you_mean

Level = Severity | Literal["off"]

REPORTED_FOR_ANY_SELECTION: frozenset[str] = frozenset({INTERNAL_ERROR.name})
"""A crash of whichever rules ``--select`` chose is reported: selecting rules does not
switch it off (ignoring it, a severity or a waiver still can)."""

COLLECTIONS: frozenset[str] = frozenset((*GROUPS, *FAMILIES))
"""Names of several rules at once: groups (``access``) and families (``gap``)."""


class ConfigError(ValueError):
    """A rule selection or severity names no rule or level."""


@dataclass(frozen=True)
class LintConfig:
    """Rule selection and severities; the command line's choices win over the model's.

    ``select`` and ``ignore`` take rule names, codes (``CRM101``), groups (``model``,
    ``access``, ``raci``, ``organisation``, ``kpi``) or families (``model``,
    ``conflict``, ``gap``); ``severities`` is keyed by rule name, group or family (a
    rule's own entry wins over its group's, which wins over its family's). Selecting a
    rule by name or code runs it even when the model's ``settings.rules`` switches it
    (or its group) off.
    """

    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    severities: Mapping[str, Level] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR

    @classmethod
    def from_options(
        cls,
        select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        severities: Iterable[str] = (),
        fail_on: str = "error",
    ) -> LintConfig:
        """Build from command-line words, checking every name; raises ConfigError."""
        chosen = [_check_selector(s) for s in select]
        ignored = [_check_selector(s) for s in ignore]
        for word in ignored:
            if word in ALWAYS_REPORTED:
                raise ConfigError(_fixed_message(word, "ignored"))
        levels: dict[str, Level] = {}
        for item in severities:
            name, sep, level = item.partition("=")
            if not sep:
                raise ConfigError(f"--severity takes RULE=LEVEL, not {item!r}")
            key = _check_selector(name.strip())
            if key in ALWAYS_REPORTED:
                raise ConfigError(_fixed_message(key, "given another severity"))
            levels[key] = parse_level(level.strip())
        try:
            fail = Severity(fail_on)
        except ValueError:
            raise ConfigError(f"--fail-on takes error, warning or info, not {fail_on!r}") from None
        return cls(frozenset(chosen) if chosen else None, frozenset(ignored), levels, fail)

    def level(self, info: RuleIdentity, model_levels: Mapping[str, str]) -> Level:
        """The severity of a rule's findings, or ``"off"``.

        Precedence: always-reported rules keep their default; then selection (``off``
        when not selected or ignored); then ``--severity`` for the rule, its group, its
        family; then the model's ``settings.rules`` for the rule, its group; then the
        rule's default.
        """
        if info.name in ALWAYS_REPORTED:
            return info.severity
        if not self._selected(info):
            return "off"
        for key in (info.name, info.group, info.family):
            if key in self.severities:
                return self.severities[key]
        for key in (info.name, info.group):
            if key in model_levels:
                level = parse_level(model_levels[key])
                if level == "off" and self._named(info):
                    return info.severity
                return level
        return info.severity

    def _selected(self, info: RuleIdentity) -> bool:
        if {info.name, info.code, info.group, info.family} & self.ignore:
            return False
        return (
            self.select is None
            or info.name in REPORTED_FOR_ANY_SELECTION
            or bool({info.name, info.code, info.group, info.family} & self.select)
        )

    def _named(self, info: RuleIdentity) -> bool:
        """Whether ``--select`` names the rule itself, not only a group or family."""
        return self.select is not None and bool({info.name, info.code} & self.select)


def parse_level(level: str) -> Level:
    if level == "off":
        return "off"
    try:
        return Severity(level)
    except ValueError:
        raise ConfigError(f"unknown severity {level!r}: use error, warning, info or off") from None


def _fixed_message(rule: str, what: str) -> str:
    return f"{rule} findings mean the model could not be read as written; they cannot be {what}"


def _check_selector(word: str) -> str:
    """A group or family as it is; a rule's name for its name or code."""
    if word in COLLECTIONS or word in IDENTITIES:
        return word
    for info in IDENTITIES.values():
        if info.code == word:
            return info.name
    hint = did_you_mean(word, [*COLLECTIONS, *IDENTITIES])
    raise ConfigError(f"no rule named {word!r}{hint}; `crmorg rules` lists them")
