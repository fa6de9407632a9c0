"""The official Zoho CRM SDK (PyPI ``zohocrmsdk8-0``), offline: its model classes and
JSON converter read each request body into the SDK's own types and write it back.

The SDK keeps its class descriptions in ``json_details.json``, which its Initializer
loads when it connects; here it is loaded without credentials, and no request is sent.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

PACKAGE = "zohocrmsdk.src.com.zoho.crm.api"
_CATEGORY = {"POST": "CREATE", "PUT": "UPDATE"}


def available() -> bool:
    try:
        import zohocrmsdk  # noqa: F401
    except ImportError:
        return False
    return True


def require() -> None:
    """Skip without the SDK; in CI (``CI=true``) its absence fails."""
    if available():
        return
    message = "the Zoho CRM SDK is not installed: pip install 'zohocrmsdk8-0>=7,<8'"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


def _load_details() -> None:
    from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
    from zohocrmsdk.src.com.zoho.crm.api.util.constants import Constants

    if not Initializer.json_details:
        import zohocrmsdk.src.com.zoho.crm.api.initializer as module

        path = Path(module.__file__).parents[4] / Constants.JSON_DETAILS_FILE_PATH
        Initializer.json_details = json.loads(path.read_text(encoding="utf-8"))


def _handler(method: str, path: str) -> Any:
    from zohocrmsdk.src.com.zoho.crm.api.util.common_api_handler import CommonAPIHandler

    handler = CommonAPIHandler()
    handler.set_api_path(path)
    handler.set_http_method(method)
    handler.set_category_method(_CATEGORY.get(method, "ACTION"))
    handler.set_mandatory_checker(True)
    return handler


def read(body: dict[str, Any], sdk: str) -> Any:
    """``body`` as an instance of the SDK class ``sdk`` (e.g. ``roles.BodyWrapper``),
    read by the SDK's JSON converter as it reads a response, then every value it read
    given again to its setter (which checks its type), so that the converter writes it.
    """
    _load_details()
    from zohocrmsdk.src.com.zoho.crm.api.util.json_converter import JSONConverter

    instance = JSONConverter(_handler("GET", "/")).get_response(body, f"{PACKAGE}.{sdk}")
    _set_again(instance)
    return instance


def _set_again(instance: Any) -> None:
    if isinstance(instance, list):
        for item in instance:
            _set_again(item)
        return
    if not type(instance).__module__.startswith(PACKAGE) or not hasattr(
        instance, "set_key_modified"
    ):
        return
    if hasattr(instance, "get_key_values"):  # a record (users.Users): values by API name
        for key, value in instance.get_key_values().items():
            _set_again(value)
            instance.add_key_value(key, value)
        return
    for attribute in dir(instance):
        if not attribute.startswith("get_") or attribute == "get_key_modified":
            continue
        member = attribute[4:]
        setter = getattr(instance, f"set_{member}", None)
        value = getattr(instance, attribute)()
        if setter is None or value is None:
            continue
        _set_again(value)
        setter(value)


def build(body: dict[str, Any], sdk: str) -> Any:
    """``body`` built with the SDK's model classes: each key through its setter (which
    checks its type), structures as the SDK's classes. A key the SDK's class does not
    have fails."""
    _load_details()
    import importlib

    from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
    from zohocrmsdk.src.com.zoho.crm.api.util.choice import Choice

    def make(value: dict[str, Any], class_path: str) -> Any:
        details = Initializer.json_details[class_path]
        module_path, _, class_name = class_path.rpartition(".")
        instance = getattr(importlib.import_module(module_path), class_name)()
        by_key = {d["name"]: m for m, d in details.items() if isinstance(d, dict) and "name" in d}
        for key, item in value.items():
            assert key in by_key, f"{class_path} has no key {key!r}"
            member = by_key[key]
            getattr(instance, f"set_{member}")(convert(item, details[member]))
        return instance

    def convert(item: Any, detail: dict[str, Any]) -> Any:
        kind = detail["type"]
        if kind == "List":
            inner = detail.get("sub_type", {}).get("type", "")
            return [convert(i, {"type": inner, "structure_name": inner}) for i in item]
        if kind.endswith(".Choice"):
            return Choice(item)
        if kind.startswith(PACKAGE) and isinstance(item, dict):
            return make(item, detail.get("structure_name", kind))
        return item

    return make(body, f"{PACKAGE}.{sdk}")


def write(instance: Any, sdk: str, method: str, path: str) -> dict[str, Any]:
    """The request body the SDK's JSON converter writes for ``instance``, checking the
    keys the SDK requires for ``method``."""
    _load_details()
    from zohocrmsdk.src.com.zoho.crm.api.util.json_converter import JSONConverter

    written = JSONConverter(_handler(method, path)).form_request(
        instance, f"{PACKAGE}.{sdk}", None, None
    )
    assert isinstance(written, dict)
    return written


def round_trips(body: dict[str, Any], sdk: str, method: str, path: str) -> list[dict[str, Any]]:
    """The body the SDK writes after building it with its classes, and after reading it
    with its JSON converter: both equal ``body`` when the SDK carries it exactly."""
    return [
        write(build(body, sdk), sdk, method, path),
        write(read(body, sdk), sdk, method, path),
    ]
