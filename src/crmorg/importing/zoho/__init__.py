"""``crmorg import zoho``: saved Zoho CRM API v8 responses, or crmorg's own zoho export
(``plan.json`` and ``requests/``), read into a crmorg model.

Profiles become roles (View, Edit, Delete at ``subordinates``, Create at
``organization``; Export, Import and Change Owner as ``export``, ``import``,
``assign``), data sharing defaults baselines, the role hierarchy the people's reporting
line, user groups teams, sharing rules crmorg sharing rules, profile field permissions
restricted fields. Everything else a profile enables (mass delete, mass update, mass
email...) is an ``import-unmapped`` finding at its place (docs/crm-systems.md).
"""

from __future__ import annotations

from pathlib import Path

from crmorg.importing.core import Imported, Importer, ImportFailed
from crmorg.importing.zoho.api_reader import read_responses
from crmorg.importing.zoho.org import document
from crmorg.importing.zoho.plan_reader import read_plan
from crmorg.importing.zoho.sources import Loader

PLAN_FORMAT = "crmorg.zoho-plan/1"


def read(path: Path) -> Imported:
    """Read the folder (or one response file) at ``path``."""
    path = Path(path)
    root = path if path.is_dir() else path.parent
    loader = Loader(root)
    if path.is_file() and path.name != "plan.json":
        files = [loader.name(path)]
    elif (root / "plan.json").is_file():
        plan = loader.json("plan.json")
        if plan.text("format") != PLAN_FORMAT:
            raise ImportFailed(
                f"plan.json: not a crmorg zoho plan (format {plan.text('format')!r}, "
                f"expected {PLAN_FORMAT!r}); give the folder crmorg export --target zoho "
                "wrote, or a folder of saved Zoho CRM API responses"
            )
        try:
            org = read_plan(loader, plan)
        except (ValueError, TypeError, AttributeError, KeyError) as error:
            raise ImportFailed(
                f"plan.json: a step is not as crmorg export --target zoho writes it "
                f"({type(error).__name__}: {error}); export the model again"
            ) from None
        return _imported(org, path)
    else:
        files = loader.files()
    if not files:
        raise ImportFailed(
            f"{path}: no JSON files; give a folder of saved Zoho CRM API v8 responses "
            "(GET /settings/roles, /settings/profiles/{id}, /users, ...) or the folder "
            "crmorg export --target zoho wrote (plan.json and requests/)"
        )
    try:
        org = read_responses(loader, files)
    except (ValueError, TypeError, AttributeError, KeyError) as error:
        raise ImportFailed(
            f"{path}: a response is not shaped as Zoho CRM API v8 returns it "
            f"({type(error).__name__}: {error}); save each GET response as it is"
        ) from None
    return _imported(org, path)


def _imported(org: object, path: Path) -> Imported:
    from crmorg.importing.zoho.org import Org

    assert isinstance(org, Org)
    doc, origins = document(org)
    findings = tuple(sorted(org.findings, key=lambda f: f.sort_key()))
    return Imported("zoho", str(path), doc, findings, origins)


IMPORTER = Importer(
    "zoho",
    "saved Zoho CRM API v8 responses (roles, profiles, users, user groups, data sharing, "
    "sharing rules, fields) or crmorg's zoho export",
    read,
)
