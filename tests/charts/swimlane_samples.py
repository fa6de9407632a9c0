"""Swimlanes shared by the swimlane tests: a small realistic one and a hostile one."""

from __future__ import annotations

from crmorg.charts.swimlane import Lane, LaneBox, Swimlane, flow

from .samples import HOSTILE_LABELS


def sample_swimlane() -> Swimlane:
    """Complaint handling: three lanes, a decision, a loop back and an end (zh labels)."""
    lanes = (
        Lane("rep", "Service rep 客服专员"),
        Lane("tech", "Tech support 技术支持"),
        Lane("manager", "Service manager 客服经理"),
    )
    boxes = (
        LaneBox("receive", "Log the complaint 登记投诉", "rep", ("A: Service manager",)),
        LaneBox("classify", "Classify 分类", "rep", ("A: Service manager", "I: Tech support")),
        LaneBox("resolve", "Resolve 解决", "tech", ("A: Service manager", "C: Product manager")),
        LaneBox("escalate", "Escalate 升级", "manager"),
        LaneBox("reply", "Reply to the customer 回复客户", "rep", ("A: Service manager",)),
    )
    successors = {
        "receive": ["classify"],
        "classify": ["resolve", "escalate"],
        "resolve": ["reply"],
        "escalate": ["resolve", "classify"],
        "reply": [],
    }
    return flow(
        "Complaint handling 投诉处理",
        lanes,
        boxes,
        successors,
        labels={("escalate", "classify"): "reclassify 重新分类"},
    )


def hostile_swimlane() -> Swimlane:
    """Every hostile label as a lane, a box label, a note and an edge label."""
    lanes = tuple(Lane(f"l{i}", label) for i, label in enumerate(HOSTILE_LABELS[:4]))
    boxes = tuple(
        LaneBox(f"b{i}", label, f"l{i % 4}", (label,) if i % 2 else ())
        for i, label in enumerate(HOSTILE_LABELS)
    )
    count = len(boxes)
    successors = {f"b{i}": [f"b{i + 1}"] if i + 1 < count else [] for i in range(count)}
    successors["b3"] = ["b4", "b1"]
    labels = {("b3", "b1"): HOSTILE_LABELS[0], ("b0", "b1"): '"|x|"'}
    return flow('<title>Hostile "swimlane" & co</title>', lanes, boxes, successors, labels)
