"""Charts shared by the chart tests: a small realistic one and hostile labels."""

from __future__ import annotations

from crmorg.charts.tree import Chart, ChartEdge, ChartNode, NodeKind


def _kinds(*kinds: NodeKind) -> frozenset[NodeKind]:
    return frozenset(kinds)


def sample_chart() -> Chart:
    """A two-tree role chart with Chinese labels, heads, a lead, external and vacant roles."""
    sales_manager = ChartNode(
        "sales_manager",
        "Sales Manager 销售经理",
        "Alice Wang 王爱丽",
        _kinds("role", "lead"),
        (
            ChartNode(
                "sales_rep", "Sales Representative 销售代表", "Bob Chen, Carol Liu", _kinds("role")
            ),
            ChartNode(
                "partner_agent",
                "Partner Agent 渠道代理",
                "Sino Distribution Ltd.",
                _kinds("role", "external"),
            ),
        ),
    )
    sales_director = ChartNode(
        "sales_director",
        "Sales Director 销售总监",
        "Erin Zhao",
        _kinds("role", "head"),
        (
            sales_manager,
            ChartNode(
                "key_account", "Key Account Manager 大客户经理", None, _kinds("role", "vacant")
            ),
        ),
    )
    crm_manager = ChartNode(
        "crm_manager",
        "CRM Manager 客户关系经理",
        "Frank Wu",
        _kinds("role", "head"),
        (
            ChartNode("crm_admin", "CRM Administrator 系统管理员", "Grace Lin", _kinds("role")),
            ChartNode("data_analyst", "Data Analyst 数据分析师", None, _kinds("role", "vacant")),
        ),
    )
    ceo = ChartNode(
        "ceo",
        "Chief Executive 首席执行官",
        "Dan Li",
        _kinds("role", "head"),
        (sales_director, crm_manager),
    )
    board = ChartNode(
        "advisory_board", "Advisory Board 顾问委员会", None, _kinds("role", "external")
    )
    return Chart(
        "Acme Trading: roles 角色",
        (ceo, board),
        (
            ChartEdge("data_analyst", "sales_manager", "supports 支持", "dotted"),
            ChartEdge("key_account", "crm_manager", "dotted line 虚线汇报", "dotted"),
        ),
    )


HOSTILE_LABELS: tuple[str, ...] = (
    "<script>alert(1)</script>",
    "\"quotes\" and 'single'",
    "[brackets] {braces} (parens)",
    "{{ jinja }} {% raw %} ${x}",
    "first line\nsecond line",
    "a --> b -.-> c ==> d",
    "%% comment",
    '%%{init: {"theme": "dark"}}%%',
    "semi;colon|pipe",
    "back\\slash \\n \\N \\l \\\\",
    "emoji 😀👩‍💻",
    "销售代表（华东区）",
    "#quot; #35; &amp; &lt; & AT&T",
    "`code` **bold** _em_ ~~s~~",
    "$$x^2$$",
    "style:#f00;",
    "<img src=x onerror=alert(1)>",
    "click n0 call alert(1)",
    "end",
    "]]> <!-- --> <![CDATA[",
    "x:::head",
    "\ufb02\xb0lt\xb6\xdf",
)


def hostile_chart() -> Chart:
    """Every hostile label as a label, a sublabel and an edge label."""
    kinds: tuple[frozenset[NodeKind], ...] = (
        _kinds("role"),
        _kinds("role", "head"),
        _kinds("role", "external"),
        _kinds("role", "vacant"),
        _kinds("person", "lead"),
        _kinds("department", "head"),
    )
    nodes = tuple(
        ChartNode(f"h{i}", label, label if i % 2 else None, kinds[i % len(kinds)])
        for i, label in enumerate(HOSTILE_LABELS)
    )
    root = ChartNode("root", '<b>root</b> & "Org"', None, _kinds("root"), nodes)
    edges = (ChartEdge("h0", "h1", HOSTILE_LABELS[0]), ChartEdge("h2", "h3", '"|x|"', "solid"))
    return Chart('<title>Hostile "chart" & co</title>', (root,), edges)
