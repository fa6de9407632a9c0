"""How crmorg's names become Zoho CRM's: modules, profile permissions, fields.

Zoho profiles carry four record permissions per module (View, Create, Edit, Delete);
crmorg's ``read``, ``create``, ``update`` and ``delete`` map onto them. Every other
action (assign, share, export, import, approve, a model's own) has no per-module,
per-scope permission in a profile and is reported as a loss.
"""

from __future__ import annotations

from crmorg.model import Model

API = "/crm/v8"
"""The API version every path is written for."""

STANDARD_MODULES: dict[str, str] = {
    "lead": "Leads",
    "contact": "Contacts",
    "account": "Accounts",
    "opportunity": "Deals",
    "service_case": "Cases",
    "quote": "Quotes",
    "sales_order": "Sales_Orders",
    "invoice": "Invoices",
    "product": "Products",
    "campaign": "Campaigns",
    # Zoho's other standard modules, under the names models commonly give them.
    "case": "Cases",
    "task": "Tasks",
    "vendor": "Vendors",
    "purchase_order": "Purchase_Orders",
    "price_book": "Price_Books",
    "solution": "Solutions",
}
"""crmorg resource -> the Zoho module of the same meaning (``settings.export.zoho.objects``
overrides any of them)."""

RECORD_ACTIONS: dict[str, str] = {
    "read": "View",
    "create": "Create",
    "update": "Edit",
    "delete": "Delete",
}
"""crmorg action -> the Zoho profile permission on a module's records."""

OWNED_ACTIONS = ("read", "update", "delete")
"""The record actions Zoho decides on one record (its owner, hierarchy and sharing);
``create`` is decided by the profile alone."""

ROOT_ROLE = "CEO"
"""The role at the top of every Zoho organisation's hierarchy (it exists already)."""

BASE_PROFILE = "Standard"
"""The profile every exported profile is cloned from (it exists already)."""


def module_of(model: Model, resource: str) -> str:
    """The Zoho module API name of ``resource``."""
    return modules_of(model)[resource]


def modules_of(model: Model) -> dict[str, str]:
    """Every resource's module, one module each: the mappings in
    ``settings.export.zoho.objects``, then the standard modules, then a custom module
    named after the resource (``_2``, ``_3``... when that name is taken).

    Raises :class:`~crmorg.export.errors.ExportError` when the settings map two
    resources to one module: a module has one set of permissions and one default.
    """
    from crmorg.export.errors import ExportError

    mapped = {r: m for r, m in sorted(model.settings.export.zoho.objects.items()) if m}
    modules: dict[str, str] = {}
    owner: dict[str, str] = {}
    for resource in sorted(model.resources):
        module = mapped.get(resource)
        if module is None:
            continue
        if module in owner:
            raise ExportError(
                f"settings.export.zoho.objects maps both {owner[module]} and {resource} to "
                f"the Zoho module {module}: a module has one set of permissions; map one "
                "of them elsewhere"
            )
        modules[resource], owner[module] = module, resource
    for resource in sorted(model.resources):
        if resource in modules:
            continue
        module = STANDARD_MODULES.get(resource)
        if module is None or module in owner:
            base = custom_module(resource)
            module, n = base, 1
            while module in owner or module in STANDARD_MODULES.values():
                n += 1
                module = f"{base}_{n}"
        modules[resource], owner[module] = module, resource
    return modules


def custom_module(resource: str) -> str:
    """The API name crmorg gives a custom module: ``service_ticket`` -> ``Service_Ticket``."""
    return "_".join(part.capitalize() for part in resource.split("_") if part) or resource


def is_custom(model: Model, resource: str) -> bool:
    """Whether the module must be created by hand before deploying."""
    return resource not in model.settings.export.zoho.objects and resource not in STANDARD_MODULES


def field_of(model: Model, resource: str, field: str) -> str:
    """The Zoho field API name of a crmorg field: mapped, or ``margin`` -> ``Margin``."""
    mapped = model.settings.export.zoho.fields.get(resource, {}).get(field)
    return mapped or custom_module(field)


def permission_name(module: str, action: str) -> str:
    """The name of a profile's record permission, e.g. ``Crm_Implied_View_Leads``.

    Deploying resolves it, with the module, to the organisation's permission id.
    """
    return f"Crm_Implied_{RECORD_ACTIONS[action]}_{module}"
