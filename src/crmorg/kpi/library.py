"""The standard CRM KPI library: well-known KPIs with their formulas and metrics.

Each :class:`StandardKpi` carries a formula in the model's formula language, the
metrics it uses (:class:`StandardMetric`), its unit, direction, typical owner role,
department, frequency, an optional target to start from and a short citation of the
definition it follows. Percent KPIs are fractions (0.85 means 85%), as in the model.

The library is plain data: :data:`STANDARD_KPIS` and :data:`STANDARD_METRICS` are
read-only registries keyed by id. A metric id means the same thing in every KPI that
uses it (``new_customers`` feeds both retention and conversion).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal, TypeAlias

from crmorg.kpi.formula import Formula, parse_formula

__all__ = [
    "SOURCE_RESOURCES",
    "STANDARD_KPIS",
    "STANDARD_METRICS",
    "Direction",
    "Frequency",
    "StandardKpi",
    "StandardMetric",
    "Unit",
]

Unit: TypeAlias = Literal["ratio", "percent", "count", "currency", "hours", "days", "score"]
Direction: TypeAlias = Literal["higher", "lower"]
Frequency: TypeAlias = Literal["daily", "weekly", "monthly", "quarterly", "yearly"]

#: The CRM record types a standard metric is typically computed from.
SOURCE_RESOURCES: Final = (
    "lead",
    "contact",
    "account",
    "opportunity",
    "quote",
    "order",
    "invoice",
    "payment",
    "case",
    "campaign",
    "segment",
)


def _text(en: str, zh: str) -> Mapping[str, str]:
    return MappingProxyType({"en": en, "zh": zh})


@dataclass(frozen=True)
class StandardMetric:
    """A raw input of standard KPIs.

    ``source`` is the resource (one of :data:`SOURCE_RESOURCES`) the value is usually
    counted or summed from, or ``None`` for a figure set outside the CRM records
    (a discount rate, a quota, a margin assumption).
    """

    id: str
    name: Mapping[str, str]
    unit: Unit
    source: str | None

    def to_model(self) -> dict[str, object]:
        """This metric as an entry of a model's ``metrics:`` section."""
        entry: dict[str, object] = {"name": dict(self.name), "unit": self.unit}
        if self.source is not None:
            entry["source"] = self.source
        return entry


@dataclass(frozen=True)
class StandardKpi:
    """A well-known CRM KPI, ready to copy into a model's ``kpis:`` section."""

    id: str
    name: Mapping[str, str]
    description: Mapping[str, str]
    formula: str
    metrics: Mapping[str, StandardMetric]
    unit: Unit
    direction: Direction
    typical_owner: str
    typical_department: str
    frequency: Frequency
    definition_source: str
    typical_target: float | None

    def parsed_formula(self) -> Formula:
        """The formula, parsed and checked."""
        return parse_formula(self.formula)

    def to_model(self) -> dict[str, object]:
        """This KPI as an entry of a model's ``kpis:`` section (format v1)."""
        entry: dict[str, object] = {
            "name": dict(self.name),
            "description": dict(self.description),
            "department": self.typical_department,
            "owner": self.typical_owner,
            "formula": self.formula,
            "unit": self.unit,
            "direction": self.direction,
        }
        if self.typical_target is not None:
            entry["target"] = self.typical_target
        entry["frequency"] = self.frequency
        return entry


_FARRIS: Final = (
    "Farris, Bendle, Pfeifer & Reibstein (2010), Marketing Metrics, 2nd ed., "
    "Pearson/Wharton School Publishing"
)


def _metrics(*metrics: StandardMetric) -> Mapping[str, StandardMetric]:
    return MappingProxyType({metric.id: metric for metric in metrics})


STANDARD_METRICS: Final[Mapping[str, StandardMetric]] = _metrics(
    # customers
    StandardMetric(
        "customers_at_start",
        _text("Customers at start of period", "期初客户数"),
        "count",
        "account",
    ),
    StandardMetric(
        "customers_at_end", _text("Customers at end of period", "期末客户数"), "count", "account"
    ),
    StandardMetric(
        "new_customers", _text("New customers in period", "本期新增客户数"), "count", "account"
    ),
    StandardMetric(
        "customers_lost", _text("Customers lost in period", "本期流失客户数"), "count", "account"
    ),
    StandardMetric(
        "annual_margin_per_customer",
        _text("Average yearly margin per customer", "每位客户年均毛利"),
        "currency",
        "invoice",
    ),
    StandardMetric(
        "annual_retention_rate",
        _text("Yearly customer retention rate", "年度客户留存率"),
        "percent",
        "account",
    ),
    StandardMetric("discount_rate", _text("Yearly discount rate", "年折现率"), "percent", None),
    StandardMetric(
        "acquisition_spend",
        _text("Sales and marketing spend on acquiring customers", "获客销售与营销费用"),
        "currency",
        None,
    ),
    # surveys
    StandardMetric(
        "satisfied_responses",
        _text("Satisfied survey responses (4 or 5 of 5)", "满意答卷数（5 分制中 4–5 分）"),
        "count",
        "case",
    ),
    StandardMetric(
        "csat_responses",
        _text("Satisfaction survey responses", "满意度调查答卷数"),
        "count",
        "case",
    ),
    StandardMetric(
        "promoters", _text("Promoters (score 9–10)", "推荐者数（9–10 分）"), "count", "account"
    ),
    StandardMetric(
        "detractors", _text("Detractors (score 0–6)", "贬损者数（0–6 分）"), "count", "account"
    ),
    StandardMetric(
        "nps_responses",
        _text("Net Promoter survey responses", "净推荐值调查答卷数"),
        "count",
        "account",
    ),
    StandardMetric(
        "effort_score_total",
        _text("Sum of customer effort ratings (1–7)", "客户费力度评分合计（1–7 分）"),
        "score",
        "case",
    ),
    StandardMetric(
        "effort_responses",
        _text("Customer effort survey responses", "客户费力度调查答卷数"),
        "count",
        "case",
    ),
    # leads and opportunities
    StandardMetric("new_leads", _text("New leads in period", "本期新增线索数"), "count", "lead"),
    StandardMetric(
        "leads_converted_to_opportunities",
        _text("Leads converted to opportunities", "转化为商机的线索数"),
        "count",
        "lead",
    ),
    StandardMetric("leads_contacted", _text("Leads contacted", "已联系的线索数"), "count", "lead"),
    StandardMetric(
        "lead_response_hours_total",
        _text("Total hours from lead creation to first contact", "线索首次联系用时合计（小时）"),
        "hours",
        "lead",
    ),
    StandardMetric(
        "opportunities_won", _text("Opportunities won", "赢单商机数"), "count", "opportunity"
    ),
    StandardMetric(
        "opportunities_lost", _text("Opportunities lost", "输单商机数"), "count", "opportunity"
    ),
    StandardMetric(
        "won_revenue",
        _text("Revenue of opportunities won", "赢单金额"),
        "currency",
        "opportunity",
    ),
    StandardMetric(
        "days_to_close_total",
        _text(
            "Total days from creation to close of opportunities won",
            "赢单商机从创建到成交的天数合计",
        ),
        "days",
        "opportunity",
    ),
    StandardMetric(
        "open_pipeline_value",
        _text("Value of open opportunities", "在途商机金额"),
        "currency",
        "opportunity",
    ),
    StandardMetric(
        "sales_quota", _text("Sales quota for the period", "本期销售配额"), "currency", None
    ),
    # campaigns
    StandardMetric(
        "campaign_revenue",
        _text("Revenue attributed to the campaign", "营销活动带来的收入"),
        "currency",
        "campaign",
    ),
    StandardMetric(
        "campaign_cost", _text("Campaign spend", "营销活动费用"), "currency", "campaign"
    ),
    StandardMetric(
        "contribution_margin",
        _text("Contribution margin on that revenue", "边际贡献率"),
        "percent",
        None,
    ),
    # service cases
    StandardMetric(
        "cases_first_responded",
        _text("Cases with a first response", "已首次响应的工单数"),
        "count",
        "case",
    ),
    StandardMetric(
        "first_response_hours_total",
        _text("Total hours from case creation to first response", "首次响应用时合计（小时）"),
        "hours",
        "case",
    ),
    StandardMetric("cases_resolved", _text("Cases resolved", "已解决工单数"), "count", "case"),
    StandardMetric(
        "resolution_hours_total",
        _text("Total hours from case creation to resolution", "解决用时合计（小时）"),
        "hours",
        "case",
    ),
    StandardMetric(
        "cases_resolved_first_contact",
        _text("Cases resolved on first contact", "首次联络即解决的工单数"),
        "count",
        "case",
    ),
    StandardMetric(
        "cases_resolved_within_sla",
        _text("Cases resolved within the SLA", "在 SLA 时限内解决的工单数"),
        "count",
        "case",
    ),
    # finance
    StandardMetric(
        "accounts_receivable",
        _text("Accounts receivable at end of period", "期末应收账款余额"),
        "currency",
        "invoice",
    ),
    StandardMetric(
        "credit_sales", _text("Credit sales in period", "本期赊销额"), "currency", "invoice"
    ),
    StandardMetric("days_in_period", _text("Days in period", "期间天数"), "days", None),
    # data quality
    StandardMetric(
        "duplicate_contacts", _text("Duplicate contacts", "重复联系人数"), "count", "contact"
    ),
    StandardMetric("total_contacts", _text("Contacts", "联系人总数"), "count", "contact"),
)


def _kpi(
    kpi_id: str,
    *,
    name: Mapping[str, str],
    description: Mapping[str, str],
    formula: str,
    metrics: tuple[str, ...],
    unit: Unit,
    direction: Direction,
    owner: str,
    department: str,
    frequency: Frequency,
    source: str,
    target: float | None,
) -> StandardKpi:
    return StandardKpi(
        id=kpi_id,
        name=name,
        description=description,
        formula=formula,
        metrics=_metrics(*(STANDARD_METRICS[metric] for metric in metrics)),
        unit=unit,
        direction=direction,
        typical_owner=owner,
        typical_department=department,
        frequency=frequency,
        definition_source=source,
        typical_target=target,
    )


_KPIS: Final = (
    # ------------------------------------------------------------ customers
    _kpi(
        "customer_retention_rate",
        name=_text("Customer retention rate", "客户留存率"),
        description=_text(
            "Share of the customers at the start of the period still customers at its "
            "end; customers won during the period do not count.",
            "期初客户中到期末仍为客户的比例；本期新增客户不计入。",
        ),
        formula="(customers_at_end - new_customers) / customers_at_start",
        metrics=("customers_at_end", "new_customers", "customers_at_start"),
        unit="percent",
        direction="higher",
        owner="crm_manager",
        department="customer_service",
        frequency="monthly",
        source=_FARRIS + " (customer retention rate)",
        target=0.95,
    ),
    _kpi(
        "churn_rate",
        name=_text("Customer churn rate", "客户流失率"),
        description=_text(
            "Share of the customers at the start of the period lost during it.",
            "期初客户中在本期流失的比例。",
        ),
        formula="customers_lost / customers_at_start",
        metrics=("customers_lost", "customers_at_start"),
        unit="percent",
        direction="lower",
        owner="crm_manager",
        department="customer_service",
        frequency="monthly",
        source=_FARRIS + " (attrition: 1 − retention rate)",
        target=0.05,
    ),
    _kpi(
        "customer_lifetime_value",
        name=_text("Customer lifetime value", "客户终身价值"),
        description=_text(
            "Present value of the margin a customer brings over the relationship, from "
            "yearly margin, yearly retention and the discount rate.",
            "根据年均毛利、年度留存率和折现率计算的客户在整个关系期内贡献毛利的现值。",
        ),
        formula=(
            "annual_margin_per_customer * annual_retention_rate"
            " / (1 + discount_rate - annual_retention_rate)"
        ),
        metrics=("annual_margin_per_customer", "annual_retention_rate", "discount_rate"),
        unit="currency",
        direction="higher",
        owner="crm_manager",
        department="management",
        frequency="quarterly",
        source=(
            "Gupta & Lehmann (2003), Customers as Assets, Journal of Interactive Marketing "
            "17(1): CLV = m·r / (1 + i − r)"
        ),
        target=None,
    ),
    _kpi(
        "customer_acquisition_cost",
        name=_text("Customer acquisition cost", "客户获取成本"),
        description=_text(
            "Sales and marketing spend on acquisition per new customer.",
            "每获得一位新客户所花费的销售与营销费用。",
        ),
        formula="acquisition_spend / new_customers",
        metrics=("acquisition_spend", "new_customers"),
        unit="currency",
        direction="lower",
        owner="marketing_specialist",
        department="marketing",
        frequency="quarterly",
        source=_FARRIS + " (average acquisition cost)",
        target=None,
    ),
    # ------------------------------------------------------------ surveys
    _kpi(
        "csat",
        name=_text("Customer satisfaction score (CSAT)", "客户满意度（CSAT）"),
        description=_text(
            "Share of satisfaction survey responses rating 4 or 5 on a 5-point scale.",
            "满意度调查中在 5 分制下评 4 分或 5 分的答卷比例。",
        ),
        formula="satisfied_responses / csat_responses",
        metrics=("satisfied_responses", "csat_responses"),
        unit="percent",
        direction="higher",
        owner="customer_service_manager",
        department="customer_service",
        frequency="monthly",
        source=_FARRIS + " (customer satisfaction, top-two-box share)",
        target=0.8,
    ),
    _kpi(
        "nps",
        name=_text("Net Promoter Score (NPS)", "净推荐值（NPS）"),
        description=_text(
            "Promoters (9–10) minus detractors (0–6) as a share of all responses to "
            "'How likely are you to recommend us?', on a scale of -100 to 100.",
            "在“您向他人推荐我们的可能性有多大？”的回答中，推荐者（9–10 分）比例减去"
            "贬损者（0–6 分）比例，取值 -100 到 100。",
        ),
        formula="(promoters - detractors) / nps_responses * 100",
        metrics=("promoters", "detractors", "nps_responses"),
        unit="score",
        direction="higher",
        owner="crm_manager",
        department="customer_service",
        frequency="quarterly",
        source="Reichheld (2003), The One Number You Need to Grow, Harvard Business Review",
        target=30.0,
    ),
    _kpi(
        "ces",
        name=_text("Customer effort score (CES)", "客户费力度（CES）"),
        description=_text(
            "Mean agreement, from 1 to 7, with 'The company made it easy for me to "
            "handle my issue'.",
            "客户对“公司让我很容易地解决了问题”的平均认同程度（1–7 分）。",
        ),
        formula="effort_score_total / effort_responses",
        metrics=("effort_score_total", "effort_responses"),
        unit="score",
        direction="higher",
        owner="customer_service_manager",
        department="customer_service",
        frequency="monthly",
        source=(
            "Dixon, Freeman & Toman (2010), Stop Trying to Delight Your Customers, "
            "Harvard Business Review; 7-point CES 2.0 scale (CEB)"
        ),
        target=5.0,
    ),
    # ------------------------------------------------------------ leads and sales
    _kpi(
        "lead_response_time",
        name=_text("Lead response time", "线索响应时间"),
        description=_text(
            "Mean hours from a lead's creation to the first contact with it.",
            "从线索创建到首次联系的平均小时数。",
        ),
        formula="lead_response_hours_total / leads_contacted",
        metrics=("lead_response_hours_total", "leads_contacted"),
        unit="hours",
        direction="lower",
        owner="sales_manager",
        department="sales",
        frequency="weekly",
        source=(
            "Oldroyd, McElheran & Elkington (2011), The Short Life of Online Sales Leads, "
            "Harvard Business Review"
        ),
        target=1.0,
    ),
    _kpi(
        "lead_to_opportunity_rate",
        name=_text("Lead-to-opportunity rate", "线索转商机率"),
        description=_text(
            "Share of new leads converted to opportunities.",
            "新增线索中转化为商机的比例。",
        ),
        formula="leads_converted_to_opportunities / new_leads",
        metrics=("leads_converted_to_opportunities", "new_leads"),
        unit="percent",
        direction="higher",
        owner="marketing_specialist",
        department="marketing",
        frequency="monthly",
        source="SiriusDecisions Demand Waterfall (2006): stage-to-stage conversion rate",
        target=0.15,
    ),
    _kpi(
        "conversion_rate",
        name=_text("Lead-to-customer conversion rate", "线索成交转化率"),
        description=_text(
            "New customers as a share of new leads in the period.",
            "本期新增客户数占新增线索数的比例。",
        ),
        formula="new_customers / new_leads",
        metrics=("new_customers", "new_leads"),
        unit="percent",
        direction="higher",
        owner="sales_manager",
        department="sales",
        frequency="monthly",
        source=_FARRIS + " (conversion rate: customers ÷ prospects)",
        target=0.05,
    ),
    _kpi(
        "win_rate",
        name=_text("Win rate", "赢单率"),
        description=_text(
            "Share of closed opportunities that were won.",
            "已关闭商机中赢单的比例。",
        ),
        formula="opportunities_won / (opportunities_won + opportunities_lost)",
        metrics=("opportunities_won", "opportunities_lost"),
        unit="percent",
        direction="higher",
        owner="sales_manager",
        department="sales",
        frequency="monthly",
        source="Sales-operations convention: won ÷ (won + lost) closed opportunities",
        target=0.25,
    ),
    _kpi(
        "average_deal_size",
        name=_text("Average deal size", "平均成交金额"),
        description=_text(
            "Mean revenue of the opportunities won in the period.",
            "本期赢单商机的平均金额。",
        ),
        formula="won_revenue / opportunities_won",
        metrics=("won_revenue", "opportunities_won"),
        unit="currency",
        direction="higher",
        owner="sales_manager",
        department="sales",
        frequency="monthly",
        source="Sales-operations convention: won revenue ÷ opportunities won",
        target=None,
    ),
    _kpi(
        "sales_cycle_length",
        name=_text("Sales cycle length", "销售周期"),
        description=_text(
            "Mean days from an opportunity's creation to its close, over opportunities won.",
            "赢单商机从创建到成交的平均天数。",
        ),
        formula="days_to_close_total / opportunities_won",
        metrics=("days_to_close_total", "opportunities_won"),
        unit="days",
        direction="lower",
        owner="sales_manager",
        department="sales",
        frequency="monthly",
        source="Sales-operations convention: mean days from opportunity creation to close-won",
        target=None,
    ),
    _kpi(
        "pipeline_coverage",
        name=_text("Pipeline coverage", "销售管道覆盖倍数"),
        description=_text(
            "Value of open opportunities as a multiple of the period's quota.",
            "在途商机金额相对本期销售配额的倍数。",
        ),
        formula="open_pipeline_value / sales_quota",
        metrics=("open_pipeline_value", "sales_quota"),
        unit="ratio",
        direction="higher",
        owner="sales_manager",
        department="sales",
        frequency="monthly",
        source="Sales-management rule of thumb: open pipeline of about 3× quota",
        target=3.0,
    ),
    _kpi(
        "quota_attainment",
        name=_text("Quota attainment", "销售配额完成率"),
        description=_text(
            "Revenue won as a share of the period's quota.",
            "本期赢单金额占销售配额的比例。",
        ),
        formula="won_revenue / sales_quota",
        metrics=("won_revenue", "sales_quota"),
        unit="percent",
        direction="higher",
        owner="sales_manager",
        department="sales",
        frequency="monthly",
        source="Sales-management convention: revenue booked ÷ quota",
        target=1.0,
    ),
    # ------------------------------------------------------------ marketing
    _kpi(
        "campaign_roi",
        name=_text("Campaign return on investment", "营销活动投资回报率"),
        description=_text(
            "Contribution from the revenue a campaign brought, less its cost, per unit "
            "of cost (return on marketing investment).",
            "营销活动带来收入的边际贡献减去活动费用，再除以活动费用（营销投资回报率）。",
        ),
        formula="(campaign_revenue * contribution_margin - campaign_cost) / campaign_cost",
        metrics=("campaign_revenue", "contribution_margin", "campaign_cost"),
        unit="percent",
        direction="higher",
        owner="marketing_specialist",
        department="marketing",
        frequency="monthly",
        source=_FARRIS + " (return on marketing investment, ROMI)",
        target=0.5,
    ),
    # ------------------------------------------------------------ service
    _kpi(
        "first_response_time",
        name=_text("First response time", "首次响应时间"),
        description=_text(
            "Mean hours from a case's creation to the first reply from an agent.",
            "从工单创建到客服首次回复的平均小时数。",
        ),
        formula="first_response_hours_total / cases_first_responded",
        metrics=("first_response_hours_total", "cases_first_responded"),
        unit="hours",
        direction="lower",
        owner="customer_service_manager",
        department="customer_service",
        frequency="weekly",
        source=(
            "Customer-service convention (e.g. Zendesk 'first reply time'): mean hours "
            "from case creation to first agent reply"
        ),
        target=4.0,
    ),
    _kpi(
        "average_resolution_time",
        name=_text("Average resolution time", "平均解决时间"),
        description=_text(
            "Mean hours from a case's creation to its resolution.",
            "从工单创建到解决的平均小时数。",
        ),
        formula="resolution_hours_total / cases_resolved",
        metrics=("resolution_hours_total", "cases_resolved"),
        unit="hours",
        direction="lower",
        owner="customer_service_manager",
        department="customer_service",
        frequency="weekly",
        source="ITIL incident management: mean time to resolve (MTTR)",
        target=24.0,
    ),
    _kpi(
        "first_contact_resolution_rate",
        name=_text("First contact resolution rate", "首次联络解决率"),
        description=_text(
            "Share of resolved cases resolved on the first contact, with no follow-up.",
            "已解决工单中在首次联络时即解决、无需跟进的比例。",
        ),
        formula="cases_resolved_first_contact / cases_resolved",
        metrics=("cases_resolved_first_contact", "cases_resolved"),
        unit="percent",
        direction="higher",
        owner="customer_service_manager",
        department="customer_service",
        frequency="weekly",
        source="SQM Group first-contact-resolution (FCR) research",
        target=0.7,
    ),
    _kpi(
        "sla_compliance_rate",
        name=_text("SLA compliance rate", "SLA 达成率"),
        description=_text(
            "Share of resolved cases resolved within the agreed service level.",
            "已解决工单中在服务水平协议时限内解决的比例。",
        ),
        formula="cases_resolved_within_sla / cases_resolved",
        metrics=("cases_resolved_within_sla", "cases_resolved"),
        unit="percent",
        direction="higher",
        owner="customer_service_manager",
        department="customer_service",
        frequency="weekly",
        source="ITIL service level management: share of cases meeting the agreed target",
        target=0.95,
    ),
    # ------------------------------------------------------------ finance and data
    _kpi(
        "days_sales_outstanding",
        name=_text("Days sales outstanding", "应收账款周转天数"),
        description=_text(
            "Average days to collect payment: receivables over credit sales, scaled "
            "to the days in the period.",
            "平均收款天数：应收账款除以赊销额，再乘以期间天数。",
        ),
        formula="accounts_receivable / credit_sales * days_in_period",
        metrics=("accounts_receivable", "credit_sales", "days_in_period"),
        unit="days",
        direction="lower",
        owner="finance_manager",
        department="finance",
        frequency="monthly",
        source="Standard accounting ratio: receivables ÷ credit sales × days in period",
        target=45.0,
    ),
    _kpi(
        "duplicate_contact_rate",
        name=_text("Duplicate contact rate", "重复联系人比率"),
        description=_text(
            "Share of contact records that duplicate another contact.",
            "联系人记录中与其他联系人重复的比例。",
        ),
        formula="duplicate_contacts / total_contacts",
        metrics=("duplicate_contacts", "total_contacts"),
        unit="percent",
        direction="lower",
        owner="crm_admin",
        department="it",
        frequency="monthly",
        source="DAMA-DMBOK, 2nd ed. (2017): the uniqueness dimension of data quality",
        target=0.02,
    ),
)

STANDARD_KPIS: Final[Mapping[str, StandardKpi]] = MappingProxyType({kpi.id: kpi for kpi in _KPIS})
