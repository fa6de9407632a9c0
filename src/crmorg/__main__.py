"""``python -m crmorg`` runs the command line."""

from crmorg.cli.main import entry

entry()
