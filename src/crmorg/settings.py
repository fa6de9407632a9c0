"""The ``settings`` and ``organization`` sections."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from crmorg.loading.limits import Limits
from crmorg.text import STRICT, Id, Text

RuleSetting = Literal["error", "warning", "info", "off"]


class Waiver(BaseModel):
    """An accepted risk: findings of ``rule`` naming all ``subjects`` are waived."""

    model_config = STRICT

    rule: str = Field(pattern=r"^[a-z][a-z0-9-]{0,63}$")
    subjects: list[Id] = Field(default_factory=list)
    reason: str = Field(min_length=1)


class TargetMapping(BaseModel):
    """How crmorg's resources and fields are named in one CRM system (section 16).

    Resources not listed map to the target's standard object of the same meaning when
    it has one, and otherwise to a custom object the target names (``Xxx__c``).
    """

    model_config = STRICT

    objects: dict[Id, str] = Field(
        default_factory=dict,
        description="crmorg resource -> the system's object, table, model or module name.",
    )
    fields: dict[Id, dict[Id, str]] = Field(
        default_factory=dict,
        description="crmorg resource -> field -> the system's field name.",
    )


class ExportSettings(BaseModel):
    """Per CRM-system target, how the model's resources are named there."""

    model_config = STRICT

    salesforce: TargetMapping = Field(default_factory=TargetMapping)
    dynamics: TargetMapping = Field(default_factory=TargetMapping)
    odoo: TargetMapping = Field(default_factory=TargetMapping)
    zoho: TargetMapping = Field(default_factory=TargetMapping)
    fxiaoke: TargetMapping = Field(default_factory=TargetMapping)


class BulkActions(BaseModel):
    """Which actions count as bulk or destructive, and how widely they may be held
    (rule ``bulk-action-widely-held``)."""

    model_config = STRICT

    destructive: list[Id] = Field(
        default_factory=lambda: ["delete", "export", "import", "assign"],
        description="Actions that count when held on every record (organization scope).",
    )
    bulk: list[Id] = Field(
        default_factory=lambda: [
            "mass_delete",
            "mass_update",
            "mass_transfer",
            "mass_email",
            "change_owner",
            "bulk_delete",
            "bulk_update",
            "bulk_export",
        ],
        description="Actions that work on many records at once: they count at any scope.",
    )
    max_share: float = Field(
        default=0.25,
        gt=0,
        le=1,
        description="The largest share of the people who may hold one of them.",
    )
    min_holders: int = Field(
        default=3, ge=1, description="Fewer holders than this are never reported."
    )


class Settings(BaseModel):
    """Model-wide settings: thresholds, rule severities and waivers."""

    model_config = STRICT

    span_of_control: int = Field(default=10, ge=1)
    rules: dict[str, RuleSetting] = Field(
        default_factory=dict, description="Rule name -> severity, or off."
    )
    waivers: list[Waiver] = Field(default_factory=list)
    default_language: str = "en"
    limits: Limits = Field(
        default_factory=Limits,
        description="Input bounds (docs/limits.md): raise one when a model really is larger.",
    )
    bulk_actions: BulkActions = Field(
        default_factory=BulkActions,
        description="Bulk and destructive actions and how widely they may be held.",
    )
    export: ExportSettings = Field(
        default_factory=ExportSettings,
        description="How resources are named in each CRM system (docs/crm-systems.md).",
    )


class Organization(BaseModel):
    """Who the model describes."""

    model_config = STRICT

    name: Text
    description: Text | None = None
