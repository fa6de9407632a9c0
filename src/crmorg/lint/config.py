"""Which rules run and how severe their findings are: model settings plus command line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

from crmorg.findings import Severity
from crmorg.lint.catalog import CATALOG, Family, RuleInfo

Level = Severity | Literal["off"]

FAMILIES: tuple[str, ...] = get_args(Family)

ALWAYS_REPORTED: frozenset[str] = frozenset({"yaml-syntax", "schema"})
"""Rules whose findings mean the model was not read as written. They are always
reported as errors: no selection, severity or waiver can hide an unreadable model."""


class ConfigError(ValueError):
    """A rule selection or severity names no rule or level."""


@dataclass(frozen=True)
class LintConfig:
    """Rule selection and severities; the command line's choices win over the model's.

    ``select`` and ``ignore`` take rule names, codes (``CRM101``) or families
    (``model``, ``conflict``, ``gap``); ``severities`` is keyed by rule name or family
    (a rule's own entry wins over its family's). Selecting a rule by name or code runs
    it even when the model's ``settings.rules`` switches it off.
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
            key = name.strip()
            key = key if key in FAMILIES else _rule_name(key)
            if key in ALWAYS_REPORTED:
                raise ConfigError(_fixed_message(key, "given another severity"))
            levels[key] = parse_level(level.strip())
        try:
            fail = Severity(fail_on)
        except ValueError:
            raise ConfigError(f"--fail-on takes error, warning or info, not {fail_on!r}") from None
        return cls(frozenset(chosen) if chosen else None, frozenset(ignored), levels, fail)

    def level(self, info: RuleInfo, model_levels: Mapping[str, str]) -> Level:
        """The severity of a rule's findings, or ``"off"``.

        Precedence: always-reported rules keep their default; then selection (``off``
        when not selected or ignored); then ``--severity`` for the rule, then for its
        family; then the model's ``settings.rules``; then the catalogue default.
        """
        if info.name in ALWAYS_REPORTED:
            return info.severity
        if not self._selected(info):
            return "off"
        for key in (info.name, info.family):
            if key in self.severities:
                return self.severities[key]
        if info.name in model_levels:
            level = parse_level(model_levels[info.name])
            if level == "off" and self.select is not None and {info.name, info.code} & self.select:
                return info.severity
            return level
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


def _fixed_message(rule: str, what: str) -> str:
    return f"{rule} findings mean the model could not be read as written; they cannot be {what}"


def _rule_name(name: str) -> str:
    if name in CATALOG:
        return name
    for info in CATALOG.values():
        if info.code == name:
            return info.name
    raise ConfigError(f"no rule named {name!r}; `crmorg rules` lists them")


def _check_selector(word: str) -> str:
    if word in FAMILIES:
        return word
    return _rule_name(word)
