"""Files that are not safe, plain YAML: reported by the loader."""

from __future__ import annotations

from crmorg.lint.rule import reported_elsewhere
from crmorg.loading.identities import YAML_SYNTAX

yaml_syntax = reported_elsewhere(
    YAML_SYNTAX,
    """The file cannot be read as safe, plain YAML.

    Reported for syntax errors, tabs used for indentation, invalid UTF-8, binary files,
    several documents in one file, YAML tags (`!!python/object` and the like, which crmorg
    never runs), merge keys, alias bombs, absurd nesting and oversized files.

    Fails:
    ```yaml
    roles:
    →   sales_rep: {}        # "→" marks a tab indenting this line
    ```
    Fix: indent with spaces, save as UTF-8, and write values out instead of tags.
    """,
)
