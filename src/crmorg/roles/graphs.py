"""Walks over the organisation: graphs, cycles, inheritance order, departments below.

:class:`~crmorg.roles.orggraph.OrgGraph` serves these as facts. The walks follow the
links directly; networkx is asked only for the strongly connected components of what
inheritance peeling leaves (a model with a cycle).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from crmorg.roles.models import Department, Role

if TYPE_CHECKING:
    import networkx as nx


def inheritance_graph(roles: Mapping[str, Role]) -> nx.DiGraph[str]:
    """Edges run from a role to each role it inherits from (an unknown parent is the
    unknown-reference rule's to report, and no edge)."""
    import networkx as nx

    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(roles)
    graph.add_edges_from(
        (role_id, parent)
        for role_id, role in roles.items()
        for parent in role.inherits
        if parent in roles
    )
    return graph


def cycles(graph: nx.DiGraph[str]) -> list[list[str]]:
    """Every cycle as the members of one strongly connected component, in a stable order.

    Linear in the graph's size; a component is reported once however many distinct
    circuits run through it.
    """
    import networkx as nx

    found: list[list[str]] = []
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1:
            found.append(_cycle_order(graph, component))
        else:
            (node,) = component
            if graph.has_edge(node, node):
                found.append([node])
    return sorted(found)


def _cycle_order(graph: nx.DiGraph[str], component: Iterable[str]) -> list[str]:
    """Members in the order one circuit visits them, starting at the smallest id."""
    members = set(component)
    start = min(members)
    order = [start]
    seen = {start}
    current = start
    while True:
        following = sorted(n for n in graph.successors(current) if n in members and n not in seen)
        if not following:
            break
        current = following[0]
        order.append(current)
        seen.add(current)
    order.extend(sorted(members - seen))
    return order


def parent_cycles(parents: Mapping[str, str | None]) -> list[list[str]]:
    """The cycles of a relation in which each node has at most one parent.

    Reporting lines and the department tree are such relations; following each chain
    once finds their cycles in linear time with no graph to build. Each cycle starts at
    its smallest id and follows the parent links; the result equals :func:`cycles` on
    the same relation as a graph.
    """
    linked = set(parents.values())
    if linked.isdisjoint(parents):
        return []  # no parent is a node (none reports to anyone): nothing to follow
    state: dict[str, int] = {}  # node -> the walk that reached it
    found: list[list[str]] = []
    for walk, start in enumerate(parents):
        if start in state:
            continue  # on a chain followed already
        node: str | None = start
        chain: list[str] = []
        while node is not None and node in parents and node not in state:
            state[node] = walk
            chain.append(node)
            node = parents[node]
        if node is not None and state.get(node) == walk:
            members = chain[chain.index(node) :]
            first = members.index(min(members))
            found.append(members[first:] + members[:first])
    return sorted(found)


def chain_depths(parents: Mapping[str, str | None]) -> dict[str, int]:
    """How many nodes each node's chain of parents holds, itself included, in linear time.

    For reporting lines and the department tree (at most one parent each). A parent
    outside ``parents`` ends a chain; a node on a cycle counts every member of the cycle,
    and a node below one counts the cycle too.
    """
    depth: dict[str, int] = {}
    for start in parents:
        if start in depth:
            continue  # on a chain measured already
        if parents[start] is None:
            depth[start] = 1  # a root: the common case, with nothing to walk
            continue
        chain: list[str] = []
        on_chain: dict[str, int] = {}
        node: str | None = start
        while node is not None and node in parents and node not in depth:
            if node in on_chain:  # a cycle: its members share its length
                members = chain[on_chain[node] :]
                for member in members:
                    depth[member] = len(members)
                del chain[on_chain[node] :]
                break
            on_chain[node] = len(chain)
            chain.append(node)
            node = parents[node]
        below = depth[node] if node is not None and node in depth else 0
        for member in reversed(chain):
            below += 1
            depth[member] = below
    return depth


def strongly_connected(
    nodes: Iterable[str], successors: Mapping[str, Iterable[str]]
) -> list[list[str]]:
    """The strongly connected components of a graph, each after every component it
    reaches (Tarjan's algorithm, iterative: linear, and no recursion limit).

    With edges from a role to the roles it inherits, that is parents first.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in nodes:
        if root in index:
            continue
        if not successors.get(root):  # reaches nothing: a component of its own, at once
            index[root] = low[root] = len(index)
            found.append([root])
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(successors.get(root, ())))]
        while work:
            node, following = work[-1]
            advanced = False
            for child in following:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(successors.get(child, ()))))
                    advanced = True
                    break
                if child in on_stack and index[child] < low[node]:
                    low[node] = index[child]
            if advanced:
                continue
            work.pop()
            if work and low[node] < low[work[-1][0]]:
                low[work[-1][0]] = low[node]
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(component)
    return found


def inheritance_components(roles: Mapping[str, Role]) -> list[list[str]]:
    """The strongly connected components of inheritance, parents first (see
    :func:`strongly_connected`); each role of one component inherits every other."""
    if not any(role.inherits for role in roles.values()):
        return [[role_id] for role_id in roles]  # what the search gives with no edges
    parents = {
        role_id: [parent for parent in dict.fromkeys(role.inherits) if parent in roles]
        for role_id, role in roles.items()
        if role.inherits
    }
    return strongly_connected(roles, parents)


def deepest_inheritance(roles: Mapping[str, Role]) -> tuple[int, str | None]:
    """The number of roles in the longest inheritance chain, and the role it starts at.

    A cycle counts all its roles (a path through it may visit each), so the answer is an
    upper bound on any walk's length; linear, over the components' condensation.
    """
    depth: dict[str, int] = {}
    deepest, where = 0, None
    for component in inheritance_components(roles):
        if len(component) == 1 and not roles[component[0]].inherits:
            depth[component[0]] = 1  # most roles inherit nothing
            if not deepest:
                deepest, where = 1, component[0]
            continue
        members = set(component)
        above = max(
            (
                depth[parent]
                for member in component
                for parent in roles[member].inherits
                if parent in depth and parent not in members
            ),
            default=0,
        )
        reach = above + len(component)
        for member in component:
            depth[member] = reach
        if reach > deepest:
            deepest, where = reach, min(component)
    return deepest, where


def inheritance_cycles(roles: Mapping[str, Role]) -> list[list[str]]:
    """The cycles of role inheritance, as :func:`cycles` gives them.

    Peeling (:func:`parents_first`) removes every role not on or behind a cycle in
    linear time; only what remains (usually nothing) is handed to networkx.
    """
    _, remaining = parents_first(roles)
    if not remaining:
        return []
    return cycles(inheritance_graph({r: roles[r] for r in remaining}))


def parents_first(roles: Mapping[str, Role]) -> tuple[list[str], set[str]]:
    """Roles ordered so every inherited role comes before its heirs (Kahn's algorithm),
    and the roles left out: those on an inheritance cycle or inheriting from one."""
    pending: dict[str, int] = {}  # the roles that inherit a known role: how many
    heirs: dict[str, list[str]] = {}
    for role_id, role in roles.items():
        if not role.inherits:
            continue  # most roles: nothing to wait for
        for parent in dict.fromkeys(role.inherits):
            if parent in roles:
                pending[role_id] = pending.get(role_id, 0) + 1
                heirs.setdefault(parent, []).append(role_id)
    if not heirs:
        return list(roles), set()  # no role inherits: model order is parents first
    queue = deque(role_id for role_id in roles if role_id not in pending)
    order: list[str] = []
    while queue:
        role_id = queue.popleft()
        order.append(role_id)
        for heir in heirs.get(role_id, ()):
            pending[heir] -= 1
            if pending[heir] == 0:
                queue.append(heir)
    return order, {role_id for role_id, count in pending.items() if count > 0}


def departments_below(departments: Mapping[str, Department]) -> dict[str, frozenset[str]]:
    """Each department with every department below it, children before parents.

    Works from the ``parent`` links directly (no graph library); departments on a cycle
    (reported by ``department-cycle``) get what a plain search below them reaches.
    """
    children: dict[str, list[str]] = {dept: [] for dept in departments}
    roots: list[str] = []
    for dept_id, department in departments.items():
        parent = department.parent
        if parent is not None and parent in departments and parent != dept_id:
            children[parent].append(dept_id)
        else:
            roots.append(dept_id)
    below: dict[str, frozenset[str]] = {}
    for root in roots:  # iterative post-order: children are done before their parent
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            dept, expanded = stack.pop()
            if expanded:
                gathered = {dept}
                for child in children[dept]:
                    gathered |= below[child]
                below[dept] = frozenset(gathered)
            elif dept not in below:
                stack.append((dept, True))
                stack.extend((child, False) for child in children[dept] if child not in below)
    for dept in departments:
        if dept not in below:  # on or under a cycle
            seen = {dept}
            frontier = [dept]
            while frontier:
                current = frontier.pop()
                for child in children[current]:
                    if child not in seen:
                        seen.add(child)
                        frontier.append(child)
            below[dept] = frozenset(seen)
    return below
