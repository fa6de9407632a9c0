"""Reading a target's fixed text: the files in its package's ``templates/`` folder."""

from __future__ import annotations

from importlib.resources import files


def template(package: str, name: str) -> str:
    """The text of ``templates/<name>`` in ``package`` (e.g. ``crmorg.export.rego``)."""
    return files(package).joinpath("templates", name).read_text(encoding="utf-8")
