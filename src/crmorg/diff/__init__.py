"""Comparing two versions of a model: ``crmorg diff`` (format-v1 section 17).

:func:`crmorg.diff.compare.diff` computes a :class:`~crmorg.diff.results.ModelDiff`;
:mod:`crmorg.diff.revisions` reads a side from git (``REV:PATH``); one module per
output format renders it (``text``, ``json``, ``markdown``, ``sarif``).
"""
