"""Grants as plain sentences, in English and Chinese."""

from __future__ import annotations

import pytest

from crmorg.docs.permissions_text import describe, describe_actions, resource_plural
from crmorg.permissions.models import Resource
from crmorg.permissions.scopes import Scope

QUOTE = Resource(name={"en": "Quote", "zh": "报价"})


def test_the_issue_example() -> None:
    assert describe("quote", "approve", "team", "en", QUOTE) == "can approve quotes for their team"
    assert describe("quote", "approve", "team", "zh", QUOTE) == "可审批本团队的报价"


@pytest.mark.parametrize(
    ("scope", "english", "chinese"),
    [
        ("own", "can view their own quotes", "可查看本人的报价"),
        ("team", "can view quotes for their team", "可查看本团队的报价"),
        ("department", "can view quotes in their department", "可查看本部门的报价"),
        ("organization", "can view all quotes across the organization", "可查看全公司的报价"),
        ("none", "cannot view quotes", "不可查看报价"),
    ],
)
def test_every_scope(scope: str, english: str, chinese: str) -> None:
    assert describe("quote", "read", scope, "en", QUOTE) == english
    assert describe("quote", "read", scope, "zh", QUOTE) == chinese


def test_several_actions_read_as_one_sentence() -> None:
    sentence = describe_actions("quote", QUOTE, ["create", "read", "approve"], Scope.OWN, "en")
    assert sentence == "can create, view and approve their own quotes"
    assert describe_actions("quote", QUOTE, ["create", "read"], Scope.OWN, "zh") == (
        "可创建、查看本人的报价"
    )


def test_custom_actions() -> None:
    payment = Resource(name={"en": "Payment record", "zh": "收款记录"})
    assert describe("payment", "refund", "department", "en", payment) == (
        "can refund payment records in their department"
    )
    assert describe("payment", "refund", "department", "zh", payment) == (
        "可对本部门的收款记录执行退款操作"
    )
    assert describe("payment", "write_off", "team", "en", payment) == (
        "can write off payment records for their team"
    )
    assert describe("payment", "write_off", "team", "zh", payment) == (
        "可对本团队的收款记录执行“write_off”操作"
    )


@pytest.mark.parametrize(
    ("name", "plural"),
    [
        ("Opportunity", "opportunities"),
        ("Survey", "surveys"),
        ("Account (customer company)", "accounts"),
        ("User account", "user accounts"),
        ("Role and permission settings", "role and permission settings"),
        ("Integration / API credential", "integration / API credentials"),
        ("Box", "boxes"),
        ("Batch", "batches"),
    ],
)
def test_english_plurals(name: str, plural: str) -> None:
    assert resource_plural("x", Resource(name=name), "en") == plural


def test_names_fall_back_to_english_then_the_id() -> None:
    english_only = Resource(name="Invoice")
    assert describe("invoice", "read", "team", "zh", english_only) == "可查看本团队的Invoice"
    assert describe("service_case", "read", "own", "en") == "can view their own service cases"


def test_unknown_scope_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown scope"):
        describe("quote", "read", "galaxy")
