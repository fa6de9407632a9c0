"""``crmorg deploy zoho PLAN``: apply an exported Zoho plan to an organisation."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from crmorg.cli.command import CommandBase
from crmorg.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, stderr, stdout

TOKEN_VARIABLE = "ZOHO_ACCESS_TOKEN"


class DeployCommand(CommandBase):
    """Apply a plan that `crmorg export --target zoho` wrote: phase 1 reads the
    organisation's roles, profiles, users, groups and fields (to resolve names to ids),
    phase 2 sends the plan's requests in order, keeping what exists by the same name. The
    OAuth access token comes from $ZOHO_ACCESS_TOKEN or --token-file (scopes
    ZohoCRM.settings.ALL and ZohoCRM.users.ALL). --dry-run sends nothing but phase 1's
    reads (nothing at all without a token) and prints what would be sent."""

    name = "deploy"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("system", choices=["zoho"], help="the CRM system (zoho)")
        parser.add_argument("plan", metavar="PLAN", help="the directory the export wrote")
        parser.add_argument(
            "--api-domain",
            default=None,
            help="the organisation's API domain (default https://www.zohoapis.com; e.g. "
            "https://www.zohoapis.eu for the EU data centre)",
        )
        parser.add_argument(
            "--token-file",
            metavar="FILE",
            help=f"read the access token from FILE, not ${TOKEN_VARIABLE}",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="send no change; print what would be sent"
        )

    def run(self, args: argparse.Namespace) -> int:
        from crmorg.export.zoho.deploy import DEFAULT_API_DOMAIN, DeployError, deploy, load_plan
        from crmorg.text import reveal

        try:
            plan = load_plan(Path(args.plan))
        except (OSError, ValueError) as failure:
            raise UsageError(str(failure)) from failure
        token = self._token(args)
        if token is None and not args.dry_run:
            raise UsageError(
                f"no access token: set ${TOKEN_VARIABLE} or give --token-file (or use --dry-run)"
            )
        out = stdout()
        try:
            outcomes = deploy(
                plan,
                token=token,
                api_domain=args.api_domain or DEFAULT_API_DOMAIN,
                dry_run=args.dry_run,
            )
        except DeployError as failure:
            stderr().write(f"crmorg deploy: error: {reveal(str(failure))}\n")
            return EXIT_FINDINGS
        for outcome in outcomes:
            shown = f" {outcome.id}" if outcome.id else ""
            out.write(
                reveal(f"{outcome.action}: {outcome.step} ({outcome.method} {outcome.path}){shown}")
                + "\n"
            )
        done = "would apply" if args.dry_run else "applied"
        out.write(f"{done} {len(outcomes)} step(s) of {args.plan}\n")
        return EXIT_OK

    @staticmethod
    def _token(args: argparse.Namespace) -> str | None:
        if args.token_file:
            try:
                text = Path(args.token_file).read_text(encoding="utf-8").strip()
            except OSError as failure:
                raise UsageError(f"cannot read --token-file: {failure}") from failure
            if not text:
                raise UsageError(f"--token-file {args.token_file} is empty")
            return text
        return os.environ.get(TOKEN_VARIABLE) or None
