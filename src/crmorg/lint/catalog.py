"""The rule catalogue: name -> identity, derived from the rules' own declarations.

Nothing here is written by hand: each rule declares its identity in its module, and
the registry says which rules there are.
"""

from __future__ import annotations

from crmorg.findings import RuleIdentity
from crmorg.lint.registry import builtin_rules, engine_rules

CATALOG: dict[str, RuleIdentity] = {name: rule.info for name, rule in builtin_rules().items()}
"""The built-in rules, in code order."""

IDENTITIES: dict[str, RuleIdentity] = {
    **CATALOG,
    **{name: rule.info for name, rule in engine_rules().items()},
}
"""Every built-in identity a finding can carry: the rules' and the engine's own. The
command line, ``settings.rules`` and waivers may name any of them."""
