"""The one way crmorg renders templates: Jinja2 over a package's ``templates/`` folder.

Every environment autoescapes (HTML and XML outputs escape each user string), makes an
undefined variable an error rather than an empty string, and keeps the template's
final newline. Its templates show each hidden character of their output (a control,
bidi or zero-width character, which only user text can bring) as an escape such as
``\\u202e`` (:func:`~crmorg.text.reveal`): whatever path a value took into the page
(a filter, a link, a joined list, an attribute), nothing in it can reorder the text or
drive a terminal. Page templates (handbook, scorecard) also trim block whitespace, so a
``{% if %}`` on its own line leaves no blank line behind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from crmorg.text import reveal


class _RevealingTemplate(Template):
    """A template whose output shows its hidden characters as escapes."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        return reveal(super().render(*args, **kwargs))


def environment(
    package: str,
    *,
    trim_blocks: bool = True,
    filters: Mapping[str, Callable[..., Any]] | None = None,
    **options: Any,
) -> Environment:
    """A strict, autoescaping environment over ``package``'s ``templates/`` folder, with
    ``filters`` added to Jinja's own."""
    env = Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=trim_blocks,
        lstrip_blocks=trim_blocks,
        **options,
    )
    env.template_class = _RevealingTemplate
    env.filters.update(filters or {})
    return env
