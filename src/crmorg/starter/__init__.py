"""The starter models ``crmorg init`` writes: one team template per company size.

The templates are package data (``starter/<id>/*.yaml``, indexed by
``starter/templates.yaml``); :mod:`crmorg.starter.catalog` reads them.
"""

from crmorg.starter.catalog import (
    Template,
    TemplateError,
    default_template,
    default_template_id,
    find_template,
    listing_labels,
    template_ids,
    templates,
)

__all__ = [
    "Template",
    "TemplateError",
    "default_template",
    "default_template_id",
    "find_template",
    "listing_labels",
    "template_ids",
    "templates",
]
