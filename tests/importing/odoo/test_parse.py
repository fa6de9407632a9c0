"""The domain and ``eval`` grammar: parsed, never evaluated."""

from __future__ import annotations

import pytest

from crmorg.export.odoo.domains import Leaf, UserValue
from crmorg.importing.odoo.build import make_id
from crmorg.importing.odoo.parse import NotUnderstood, parse_domain, x2many_refs


def test_domains_parse_to_terms() -> None:
    own = Leaf("user_id", "=", UserValue("user.id"))
    assert parse_domain("[('user_id', '=', user.id)]") == own
    assert parse_domain("[]") == ("&",)
    none = Leaf("user_id", "=", False)
    assert parse_domain("['|', ('user_id', '=', user.id), ('user_id', '=', False)]") == (
        "|", own, none,
    )  # fmt: skip
    # Consecutive terms are AND-ed, as Odoo does; '!' negates one term.
    assert parse_domain("[('user_id', '=', user.id), '!', ('user_id', '=', False)]") == (
        "&", own, ("!", none),
    )  # fmt: skip
    assert parse_domain("[('x_crmorg_user_id.login', 'in', ['a', 'b'])]") == Leaf(
        "x_crmorg_user_id.login", "in", ("a", "b")
    )
    ref = "[('user_id.groups_id', 'in', user.env.ref('m.g').ids)]"
    assert parse_domain(ref) == Leaf(
        "user_id.groups_id", "in", UserValue("user.env.ref('m.g').ids")
    )


@pytest.mark.parametrize(
    "text",
    [
        "[('a', '=', __import__('os').system('id'))]",
        "[('a', '=', time.strftime('%Y'))]",
        "[('company_id', 'in', company_ids)]",
        "['|', ('a', '=', 1)]",
        "('a', '=', 1)",
        "[('a', '=', 1)",
        "[" + "'|', " * 3000 + "('a', '=', 1)]",
        "x" * 30_000,
    ],
)
def test_anything_else_is_not_understood(text: str) -> None:
    with pytest.raises(NotUnderstood):
        parse_domain(text)


def test_many2many_commands() -> None:
    assert x2many_refs("[(4, ref('a')), (4, ref('b'))]") == (["a", "b"], [])
    assert x2many_refs("[(6, 0, [ref('a'), ref('m.b')])]") == (["a", "m.b"], [])
    assert x2many_refs("[Command.link(ref('a'))]") == (["a"], [])
    assert x2many_refs("[Command.set([ref('a')])]") == (["a"], [])
    assert x2many_refs("[(3, ref('a')), (5,)]") == ([], ["(3, ref('a'))", "(5,)"])
    with pytest.raises(NotUnderstood):
        x2many_refs("[(4, __import__('os').getpid())]")


def test_ids() -> None:
    assert make_id("mei.chen@acme.example") == "mei_chen_acme_example"
    assert make_id("Group-Sales Manager") == "group_sales_manager"
    assert make_id("9lives") == "x_9lives"
    assert make_id("销售") == "x"
    assert make_id("a" * 80) == "a" * 64
