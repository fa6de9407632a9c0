"""``crmorg schema``: print the JSON Schema of the model format."""

from __future__ import annotations

import argparse

from crmorg.cli.command import CommandBase
from crmorg.cli.common import EXIT_OK, stdout
from crmorg.schema import json_schema_text


class SchemaCommand(CommandBase):
    """Print the JSON Schema of one model file. Save it (crmorg schema > crmorg.schema.json) and
    put `# yaml-language-server: $schema=crmorg.schema.json` at the top of a model file for
    completion and checks in editors."""

    name = "schema"

    def run(self, args: argparse.Namespace) -> int:
        stdout().write(json_schema_text())
        return EXIT_OK
