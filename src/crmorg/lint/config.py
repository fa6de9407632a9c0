"""Which rules run and how severe their findings are: model settings plus command line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from crmorg.findings import Severity
from crmorg.lint.catalog import CATALOG, RuleInfo

Level = Severity | Literal["off"]


class ConfigError(ValueError):
    """A rule selection or severity names no rule or level."""


@dataclass(frozen=True)
class LintConfig:
    """Rule selection and severities; the command line's choices win over the model's.

    ``select`` and ``ignore`` take rule names, codes (``CRM101``) or families
    (``model``, ``conflict``, ``gap``).
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
        levels: dict[str, Level] = {}
        for item in severities:
            name, sep, level = item.partition("=")
            if not sep:
                raise ConfigError(f"--severity takes RULE=LEVEL, not {item!r}")
            levels[_rule_name(name.strip())] = parse_level(level.strip())
        try:
            fail = Severity(fail_on)
        except ValueError:
            raise ConfigError(f"--fail-on takes error, warning or info, not {fail_on!r}") from None
        return cls(frozenset(chosen) if chosen else None, frozenset(ignored), levels, fail)

    def level(self, info: RuleInfo, model_levels: Mapping[str, str]) -> Level:
        """The severity of a rule's findings, or ``"off"``."""
        if not self._selected(info):
            return "off"
        if info.name in self.severities:
            return self.severities[info.name]
        if info.name in model_levels:
            return parse_level(model_levels[info.name])
        return info.severity

    def _selected(self, info: RuleInfo) -> bool:
        keys = {info.name, info.code, info.family}
        if self.select is not None and not keys & self.select:
            return False
        return not keys & self.ignore


def parse_level(level: str) -> Level:
    if level == "off":
        return "off"
    try:
        return Severity(level)
    except ValueError:
        raise ConfigError(f"unknown severity {level!r}: use error, warning, info or off") from None


def _rule_name(name: str) -> str:
    if name in CATALOG:
        return name
    for info in CATALOG.values():
        if info.code == name:
            return info.name
    raise ConfigError(f"no rule named {name!r}; `crmorg rules` lists them")


def _check_selector(word: str) -> str:
    if word in ("model", "conflict", "gap"):
        return word
    _rule_name(word)
    return word
