"""Which Odoo model holds each crmorg resource, and the fields its record rules read.

A resource maps to a standard model (``lead`` -> ``crm.lead``) unless
``settings.export.odoo.objects`` names another; a resource with neither becomes a custom
model ``x_<id>`` that the module itself declares. Two resources may share a model when a
field tells their records apart (``crm.lead``'s ``type``, ``sale.order``'s ``state``);
otherwise they become one.

The rules read three fields of a record: its owner (a user), its sales team and its
department. Where the model has no such field, the module declares a custom one
(``x_crmorg_user_id``, ``x_crmorg_team_id``; every model gets ``x_crmorg_department_id``,
since no standard model names a department).
"""

from __future__ import annotations

from dataclasses import dataclass

from crmorg.model import Model

MODULE = "crmorg_access"
"""The addon's technical name: the directory the export writes."""

OWNER_FIELD = "x_crmorg_user_id"
TEAM_FIELD = "x_crmorg_team_id"
DEPARTMENT_FIELD = "x_crmorg_department_id"


@dataclass(frozen=True)
class OdooModel:
    """One Odoo model as the rules see it.

    ``native_owner`` is its field naming the record's responsible user (``None``: it has
    none), ``owner_many`` whether that is a many2many (``project.task.user_ids``);
    ``native_team`` its many2one to ``crm.team``, if any.
    """

    name: str
    module: str | None
    """The addon that defines it; ``None`` for a custom model this module declares."""
    native_owner: str | None = "user_id"
    owner_many: bool = False
    native_team: str | None = None
    enterprise: bool = False
    known: bool = True
    """Whether this exporter knows the model's fields (otherwise ``user_id`` is assumed)."""

    @property
    def custom(self) -> bool:
        return self.module is None

    @property
    def owner(self) -> str:
        return self.native_owner or OWNER_FIELD

    @property
    def team(self) -> str:
        return self.native_team or TEAM_FIELD

    @property
    def department(self) -> str:
        return DEPARTMENT_FIELD

    @property
    def added_fields(self) -> tuple[tuple[str, str, str], ...]:
        """(name, label, related model) of each custom field the module declares on it."""
        added = [(DEPARTMENT_FIELD, "Department (crmorg)", "hr.department")]
        if self.native_team is None:
            added.insert(0, (TEAM_FIELD, "Sales team (crmorg)", "crm.team"))
        if self.native_owner is None:
            added.insert(0, (OWNER_FIELD, "Owner (crmorg)", "res.users"))
        return tuple(added)

    @property
    def xmlid(self) -> str:
        """The external id of its ``ir.model`` record (``crm.model_crm_lead``)."""
        local = "model_" + self.name.replace(".", "_")
        return local if self.module is None else f"{self.module}.{local}"


@dataclass(frozen=True)
class Discriminator:
    """A field value that tells one resource's records from another's on a shared model:
    ``lead`` is ``crm.lead`` with ``type = 'lead'``."""

    field: str
    operator: str
    """``=`` or ``!=``."""
    value: str
    sample: str
    """A value its records hold (what a fixture record is given)."""


STANDARD_MODELS: dict[str, OdooModel] = {
    model.name: model
    for model in (
        OdooModel("crm.lead", "crm", native_team="team_id"),
        OdooModel("res.partner", "base", native_team="team_id"),
        OdooModel("sale.order", "sale", native_team="team_id"),
        OdooModel("account.move", "account", native_owner="invoice_user_id"),
        OdooModel("product.template", "product", native_owner=None),
        OdooModel("project.task", "project", native_owner="user_ids", owner_many=True),
        OdooModel("helpdesk.ticket", "helpdesk", enterprise=True),
        OdooModel("mail.activity", "mail"),
    )
}
"""The standard models this exporter knows, with the fields their rules read.

``res.partner.team_id`` comes from ``sales_team``, which the module always depends on.
``helpdesk.ticket`` is Odoo Enterprise; its ``team_id`` is a helpdesk team, not a
``crm.team``, so it gets a custom sales-team field like the others without one."""

DEFAULT_OBJECTS: dict[str, str] = {
    "lead": "crm.lead",
    "opportunity": "crm.lead",
    "account": "res.partner",
    "customer": "res.partner",
    "contact": "res.partner",
    "quote": "sale.order",
    "order": "sale.order",
    "invoice": "account.move",
    "product": "product.template",
    "service_case": "project.task",
    "activity": "mail.activity",
}
"""crmorg resource -> its Odoo model when the settings name none."""

DISCRIMINATORS: dict[tuple[str, str], Discriminator] = {
    ("crm.lead", "lead"): Discriminator("type", "=", "lead", "lead"),
    ("crm.lead", "opportunity"): Discriminator("type", "=", "opportunity", "opportunity"),
    ("sale.order", "quote"): Discriminator("state", "!=", "sale", "draft"),
    ("sale.order", "order"): Discriminator("state", "=", "sale", "sale"),
}
"""(model, resource) -> how that resource's records are told apart on a shared model."""

BASE_DEPENDS = ("base", "hr", "sales_team")
"""Always needed: groups (``base``), employees and departments (``hr``), sales teams."""


@dataclass(frozen=True)
class Mapping:
    """Every resource's Odoo model, and how records of resources sharing one differ."""

    models: dict[str, OdooModel]
    """Resource id -> its model."""
    discriminators: dict[str, Discriminator]
    """Resource id -> its discriminator, for resources sharing a model with one."""

    def siblings(self, resource: str) -> tuple[str, ...]:
        """Other resources on the same Odoo model (sorted)."""
        name = self.models[resource].name
        return tuple(sorted(r for r, m in self.models.items() if m.name == name and r != resource))

    def merged(self, resource: str) -> tuple[str, ...]:
        """Other resources whose records Odoo cannot tell from this one's."""
        if resource in self.discriminators:
            return ()
        return tuple(r for r in self.siblings(resource) if r not in self.discriminators)

    @property
    def depends(self) -> tuple[str, ...]:
        modules = {m.module for m in self.models.values() if m.module is not None}
        return tuple(sorted(set(BASE_DEPENDS) | modules))


def odoo_model(name: str) -> OdooModel:
    """The model called ``name``: a known one, a custom ``x_`` one, or an unknown one
    whose module is guessed from its name (``fleet.vehicle`` -> ``fleet``)."""
    known = STANDARD_MODELS.get(name)
    if known is not None:
        return known
    if name.startswith("x_"):
        return OdooModel(name, None, native_owner=None)
    return OdooModel(name, name.split(".", 1)[0], known=False)


def resource_mapping(model: Model, resources: tuple[str, ...]) -> Mapping:
    """Each of ``resources`` to its Odoo model: the settings first, then the defaults,
    then a custom model ``x_<id>``."""
    named = model.settings.export.odoo.objects
    models = {
        resource: odoo_model(named.get(resource) or DEFAULT_OBJECTS.get(resource, f"x_{resource}"))
        for resource in resources
    }
    discriminators: dict[str, Discriminator] = {}
    for resource, odoo in models.items():
        found = DISCRIMINATORS.get((odoo.name, resource))
        sharing = [r for r, m in models.items() if m.name == odoo.name]
        if found is not None and len(sharing) > 1:
            discriminators[resource] = found
    # A discriminator only helps where every resource on the model has one.
    for resource in list(discriminators):
        name = models[resource].name
        if any(r not in discriminators for r, m in models.items() if m.name == name):
            del discriminators[resource]
    return Mapping(models, discriminators)
