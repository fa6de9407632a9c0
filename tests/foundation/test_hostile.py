"""Hostile and malformed input: always findings at the right place, never a crash.

Every case must give a finding of the expected rule at the exact ``line:column`` of
the offending node, through the API (``crmorg.load`` raises ``LoadError`` carrying the
findings) and through ``crmorg validate`` (exit 1, findings on stdout, nothing on
stderr). Each load is timed against a generous bound to catch hangs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import crmorg
from crmorg.loading.limits import DEFAULT_LIMITS, Limits

from .helpers import HEAD, TIME_BOUND, at, cli, load_error, load_findings, write


@dataclass(frozen=True)
class Case:
    content: str | bytes
    rule: str
    line: int
    column: int
    says: str
    limits: Limits = DEFAULT_LIMITS


def _laughs() -> str:
    """Nine levels of nine aliases: 9**9 nodes if anything expanded them naively."""
    lines = ["lol0: &lol0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        refs = ", ".join([f"*lol{level - 1}"] * 9)
        lines.append(f"lol{level}: &lol{level} [{refs}]")
    return HEAD + "\n".join(lines) + "\n"


def _block_mappings(depth: int) -> str:
    """``depth`` nested block mappings, each indented one more space."""
    return HEAD + "roles:\n" + "".join(" " * (level + 1) + f"k{level}:\n" for level in range(depth))


DEEP = 20_000
# A collection is refused once 64 collections are open around it (the default
# ``max_nesting_depth``): the root mapping plus 63 brackets, so the 65th bracket.
CASES: dict[str, Case] = {
    # Alias bomb: the levels expand to 10, 91, 820, 7381 nodes; the first `*lol3`
    # (line 7) takes the total past the bound of 10,000.
    "billion-laughs": Case(_laughs(), "limit-exceeded", 7, 14, "alias bomb"),
    "python-object-apply": Case(
        HEAD + 'roles:\n  x: !!python/object/apply:os.system ["echo pwned"]\n',
        "yaml-syntax",
        4,
        6,
        "`!!python/object/apply:os.system` is not allowed",
    ),
    "python-name": Case(
        HEAD + "roles:\n  x: !!python/name:os.system\n",
        "yaml-syntax",
        4,
        6,
        "`!!python/name:os.system` is not allowed",
    ),
    "custom-tag": Case(HEAD + "roles:\n  x: !custom {name: X}\n", "yaml-syntax", 4, 6, "`!custom`"),
    "binary-tag": Case(
        HEAD + "roles:\n  x: {name: !!binary aGVsbG8=}\n", "yaml-syntax", 4, 13, "`!!binary`"
    ),
    "set-tag": Case(HEAD + "roles:\n  x: !!set {a, b}\n", "yaml-syntax", 4, 6, "`!!set`"),
    "verbatim-tag": Case(
        HEAD + "roles:\n  x: !<tag:example.com,2000:app/thing> {}\n",
        "yaml-syntax",
        4,
        6,
        "tag:example.com,2000:app/thing",
    ),
    "tag-on-a-key": Case(
        HEAD + "roles:\n  !!python/str x: {}\n", "yaml-syntax", 4, 3, "`!!python/str`"
    ),
    "tab-indentation": Case(HEAD + "roles:\n\tx: {}\n", "yaml-syntax", 4, 1, "tab"),
    "tab-after-spaces": Case(HEAD + "roles:\n  \tx: {}\n", "yaml-syntax", 4, 3, "tab"),
    "binary-file": Case(
        b"version: 1\norganization: {name: Acme\x00\x01\x02}\n", "yaml-syntax", 2, 26, "binary"
    ),
    # The column counts characters (销售 is two), not bytes.
    "invalid-utf8": Case(
        (HEAD + 'roles:\n  x: {name: "销售').encode() + b'\xff"}\n',
        "yaml-syntax",
        4,
        16,
        "not valid UTF-8",
    ),
    "deep-flow-sequences": Case(
        HEAD + "roles: " + "[" * DEEP + "]" * DEEP + "\n",
        "limit-exceeded",
        3,
        7 + 65,
        "max_nesting_depth",
    ),
    "deep-flow-mappings": Case(
        HEAD + "roles: " + "{a: " * DEEP + "1" + "}" * DEEP + "\n",
        "limit-exceeded",
        3,
        7 + 64 * 4 + 1,
        "max_nesting_depth",
    ),
    "deep-block-sequences": Case(
        HEAD + "roles:\n" + "- " * DEEP + "x\n",
        "limit-exceeded",
        4,
        64 * 2 + 1,
        "max_nesting_depth",
    ),
    # Block mappings grow quadratically with depth (each level indents once more), so
    # 2,000 levels already make a 2 MB file; the bound stops at the 64th nested one.
    "deep-block-mappings": Case(
        _block_mappings(2_000), "limit-exceeded", 68, 66, "max_nesting_depth"
    ),
    "recursive-alias": Case(
        HEAD + "roles: &r {x: *r}\n", "limit-exceeded", 3, 8, "max_nesting_depth"
    ),
    "undefined-alias": Case(HEAD + "roles: *nope\n", "yaml-syntax", 3, 8, "undefined alias"),
    "yaml11-no": Case(HEAD + "roles:\n  x: {name: no}\n", "schema", 4, 13, "unquoted `no`"),
    "yaml11-on": Case(HEAD + "roles:\n  x: {name: on}\n", "schema", 4, 13, "unquoted `on`"),
    "yaml11-yes": Case(HEAD + "roles:\n  x: {name: yes}\n", "schema", 4, 13, "unquoted `yes`"),
    "yaml11-off-as-id": Case(
        HEAD + "roles:\n  x: {}\n  off: {}\npeople:\n  p: {roles: [x, off]}\n",
        "schema",
        7,
        18,
        "unquoted `off`",
    ),
    "yaml11-as-key": Case(HEAD + "roles:\n  no: {}\n", "schema", 4, 3, "unquoted `no`"),
    "empty-file": Case("", "schema", 1, 1, "empty"),
    "comments-only": Case("# nothing here yet\n", "schema", 1, 1, "empty"),
    "top-level-list": Case("- version: 1\n- roles: {}\n", "schema", 1, 1, "not a list"),
    "top-level-scalar": Case("just some text\n", "schema", 1, 1, "a single value"),
    "several-documents": Case(
        HEAD + "---\nroles: {}\n", "yaml-syntax", 4, 1, "more than one YAML document"
    ),
    "unknown-section": Case(HEAD + "rolez:\n  x: {}\n", "schema", 3, 1, "did you mean `roles`?"),
    "unknown-field": Case(
        HEAD + "roles:\n  x:\n    nmae: Sales\n", "schema", 5, 5, "did you mean `name`?"
    ),
    "bool-for-name": Case(
        HEAD + "roles:\n  x: {name: true}\n", "schema", 4, 13, "the boolean `true`"
    ),
    "int-for-id-list": Case(
        HEAD + "roles:\n  x: {inherits: 5}\n", "schema", 4, 17, "the number `5`"
    ),
    "text-for-id-list": Case(
        HEAD + "roles:\n  x: {}\npeople:\n  p: {roles: x}\n", "schema", 6, 14, "valid list"
    ),
    "version-2": Case(
        "version: 2\norganization: {name: Acme}\n", "schema", 1, 10, "write `version: 1`"
    ),
    "version-text": Case(
        'version: "1"\norganization: {name: Acme}\n', "schema", 1, 10, "`version`"
    ),
    "duplicate-yaml-key": Case(
        HEAD + "roles:\n  x: {}\n  y: {}\n  x: {name: Again}\n",
        "duplicate-id",
        6,
        3,
        "first at line 4:3",
    ),
    "duplicate-field": Case(
        HEAD + "roles:\n  x:\n    name: A\n    name: B\n", "duplicate-id", 6, 5, "line 5:5"
    ),
    "file-over-size-limit": Case(
        HEAD + "roles: {}\n" + "# padding\n" * 20,
        "limit-exceeded",
        1,
        1,
        "over the limit of 100",
        Limits(max_file_bytes=100),
    ),
    "very-long-scalar": Case(
        HEAD + "roles:\n  x: {name: " + "a" * 200_000 + "}\n",
        "limit-exceeded",
        4,
        13,
        "over the limit of 100,000 (max_scalar_chars)",
    ),
    "merge-key": Case(
        HEAD + "roles:\n  base: &base {name: Base}\n  x:\n    <<: *base\n",
        "yaml-syntax",
        6,
        5,
        "merge keys",
    ),
    # Numbers must be finite wherever they are written (issue 19).
    "nan-value": Case(HEAD + "roles:\n  x: {name: .nan}\n", "schema", 4, 13, "not a finite"),
    "inf-value": Case(HEAD + "roles:\n  x: {name: .inf}\n", "schema", 4, 13, "not a finite"),
    "out-of-range-number": Case(
        HEAD + "roles:\n  x: {name: -1e400}\n", "schema", 4, 13, "`-1e400` is not a finite"
    ),
    "nan-kpi-target": Case(
        HEAD + "kpis:\n  k:\n    name: K\n    target: -.inf\n", "schema", 6, 13, "not a finite"
    ),
    # Characters PyYAML refuses are reported where they are, not at 1:1.
    "del-character": Case(HEAD + "roles:\n  x: {name: a\x7fb}\n", "yaml-syntax", 4, 14, "U+007F"),
    "non-character": Case(HEAD + "roles:\r\n  x: {name: \ufffe}\n", "yaml-syntax", 4, 13, "U+FFFE"),
    "c1-control-after-nel": Case(HEAD + "roles: {}\x85# \x9b\n", "yaml-syntax", 4, 3, "U+009B"),
    "utf16-file": Case(
        (HEAD + "roles: {}\n").encode("utf-16"), "yaml-syntax", 1, 1, "UTF-16 (little-endian)"
    ),
    "utf16-be-without-bom": Case(
        (HEAD + "roles: {}\n").encode("utf-16-be"), "yaml-syntax", 1, 1, "save it as UTF-8"
    ),
    "utf32-file": Case(
        (HEAD + "roles: {}\n").encode("utf-32"), "yaml-syntax", 1, 1, "UTF-32 (little-endian)"
    ),
    "int-key": Case(HEAD + "roles:\n  123: {}\n", "schema", 4, 3, "the key `123` must be text"),
    "mapping-as-key": Case(HEAD + "roles:\n  ? [a, b]\n  : {}\n", "schema", 4, 5, "plain text"),
    "null-key": Case(HEAD + "roles:\n  ~: {}\n", "schema", 4, 3, "the key `~` must be text"),
    "unclosed-quote": Case(
        HEAD + 'roles:\n  x: {name: "Sales}\n', "yaml-syntax", 5, 1, "begins at model.yaml:4:13"
    ),
    "unclosed-bracket": Case(
        HEAD + "roles:\n  x: {inherits: [a, b}\n", "yaml-syntax", 4, 22, "not valid YAML"
    ),
    "bad-scope": Case(
        HEAD + "resources: {lead: {}}\nroles:\n  x:\n    grants: {lead: {read: everyone}}\n",
        "schema",
        6,
        27,
        "expected one of 'none', 'own', 'subordinates', 'team', 'department' or 'organization'",
    ),
}


def _bad_id_cases() -> dict[str, tuple[str, str]]:
    """Ids that break ``^[a-z][a-z0-9_]{0,63}$``, as YAML keys: (key as written, shown)."""
    return {
        "uppercase": ("Sales", "`Sales`"),
        "hyphen": ("sales-rep", "`sales-rep`"),
        "leading-digit": ("1st_line", "`1st_line`"),
        "leading-underscore": ("_sales", "`_sales`"),
        "65-characters": ("a" * 65, f"`{'a' * 65}`"),
        "unicode": ("vendedör", "`vendedör`"),
        "chinese": ("销售代表", "`销售代表`"),
        "empty": ('""', "``"),
        "space": ('"sales rep"', "`sales rep`"),
        "trailing-newline": ('"sales\\n"', "`sales\\n`"),
        "dot": ("sales.rep", "`sales.rep`"),
    }


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input_gives_a_positioned_finding(name: str, workdir: Path) -> None:
    case = CASES[name]
    path = write(workdir / "model.yaml", case.content)
    findings = load_error(path, case.limits)
    finding = at(findings, case.rule, case.line, case.column, case.says)
    assert finding.file == "model.yaml"
    assert finding.severity is crmorg.Severity.ERROR
    assert "\n" not in finding.message


# The command line has no options for the limits; those cases are covered by the API.
@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.limits == DEFAULT_LIMITS])
def test_validate_command_reports_hostile_input(
    name: str, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES[name]
    write(workdir / "model.yaml", case.content)
    start = time.perf_counter()
    code, out, err = cli(["validate", "model.yaml"], capsys)
    assert time.perf_counter() - start < TIME_BOUND
    assert code == 1
    assert f"model.yaml:{case.line}:{case.column}: error {case.rule}: " in out
    assert err == ""


@pytest.mark.parametrize("name", list(_bad_id_cases()))
def test_invalid_id_is_refused_at_its_key(name: str, workdir: Path) -> None:
    key, shown = _bad_id_cases()[name]
    path = write(workdir / "model.yaml", HEAD + f"roles:\n  ok: {{}}\n  {key}: {{}}\n")
    finding = at(load_error(path), "schema", 5, 3)
    assert f"{shown} is not a valid role id" in finding.message
    assert "\n" not in finding.message


@pytest.mark.parametrize("name", list(_bad_id_cases()))
def test_invalid_id_is_refused_as_a_reference(name: str, workdir: Path) -> None:
    key, _ = _bad_id_cases()[name]
    path = write(workdir / "model.yaml", HEAD + f"roles:\n  ok: {{inherits: [{key}]}}\n")
    finding = at(load_error(path), "schema", 4, 19)
    assert "not a valid id" in finding.message
    assert finding.subjects == ("ok",)


@pytest.mark.parametrize("section", ["resources", "departments", "teams", "people", "metrics"])
def test_invalid_id_is_refused_in_every_section(section: str, workdir: Path) -> None:
    path = write(workdir / "model.yaml", HEAD + f"{section}:\n  Bad-Id: {{name: X}}\n")
    finding = at(load_error(path), "schema", 4, 3)
    assert "`Bad-Id` is not a valid" in finding.message


def test_invalid_model_specific_action_is_refused(workdir: Path) -> None:
    path = write(workdir / "model.yaml", HEAD + "actions: [refund, Bad-Action]\n")
    finding = at(load_error(path), "schema", 3, 19)
    assert "'Bad-Action' is not a valid id" in finding.message


def test_longest_valid_id_is_accepted(workdir: Path) -> None:
    longest = "a" + "b" * 63
    path = write(workdir / "model.yaml", HEAD + f"roles:\n  {longest}: {{}}\n")
    assert list(crmorg.load(path).roles) == [longest]


def test_python_tags_never_run_anything(workdir: Path) -> None:
    marker = workdir / "pwned"
    payloads = [
        f'!!python/object/apply:os.system ["touch {marker}"]',
        f'!!python/object/apply:subprocess.check_call [["touch", "{marker}"]]',
        f'!!python/object/new:subprocess.Popen [["touch", "{marker}"]]',
        "!!python/name:os.system",
        "!!python/module:os",
        f'!!python/object:os.system {{a: "{marker}"}}',
    ]
    for index, payload in enumerate(payloads):
        path = write(workdir / f"m{index}.yaml", HEAD + f"roles:\n  x:\n    name: {payload}\n")
        finding = at(load_error(path), "yaml-syntax", 5, 11)
        assert "is not allowed" in finding.message
    time.sleep(0.05)  # a spawned process would have had time to run
    assert not marker.exists()


@pytest.mark.parametrize("word", ["no", "No", "NO", "yes", "Yes", "on", "On", "ON", "off", "OFF"])
def test_every_yaml11_boolean_spelling_is_reported(word: str, workdir: Path) -> None:
    path = write(workdir / "model.yaml", HEAD + f"roles:\n  x:\n    description: {word}\n")
    finding = at(load_error(path), "schema", 5, 18)
    assert f"unquoted `{word}` is ambiguous" in finding.message
    assert f'"{word}"' in finding.message  # says how to write it


def test_quoted_yaml11_words_are_plain_text(workdir: Path) -> None:
    path = write(
        workdir / "model.yaml",
        HEAD + 'roles:\n  x: {name: "no", description: \'on\'}\n  z: {name: "yes"}\n',
    )
    model = crmorg.load(path)
    assert model.roles["x"].name == "no"
    assert model.roles["x"].description == "on"
    assert model.roles["z"].name == "yes"


def test_explicit_str_tag_and_single_letters_are_text(workdir: Path) -> None:
    # PyYAML, like YAML 1.2, reads `y` and `n` as text, so they are no surprise.
    path = write(
        workdir / "model.yaml",
        HEAD + "roles:\n  x: {name: !!str no, description: y}\n  n: {name: Y}\n",
    )
    model = crmorg.load(path)
    assert model.roles["x"].name == "no"
    assert model.roles["x"].description == "y"
    assert model.roles["n"].name == "Y"


def test_true_and_false_are_booleans_where_a_flag_is_expected(workdir: Path) -> None:
    path = write(
        workdir / "model.yaml",
        HEAD + "resources:\n  a: {sensitive: true}\n  b: {sensitive: False}\n",
    )
    model = crmorg.load(path)
    assert model.resources["a"].sensitive is True
    assert model.resources["b"].sensitive is False


def test_dates_and_sexagesimal_numbers_stay_text(workdir: Path) -> None:
    path = write(
        workdir / "model.yaml",
        HEAD + "roles:\n  x: {name: 2024-01-31, description: 1:30}\n",
    )
    model = crmorg.load(path)
    assert model.roles["x"].name == "2024-01-31"
    assert model.roles["x"].description == "1:30"


def test_tabs_inside_text_are_not_indentation(workdir: Path) -> None:
    path = write(
        workdir / "model.yaml",
        HEAD
        + "roles:\n  x:\n    description: |\n      first line\n      \tindented with a tab\n"
        + '    name: "a\ttab"\n'
        + "  z: {inherits: [x,\n\t]}\n",
    )
    model = crmorg.load(path)
    assert model.roles["x"].description == "first line\n\tindented with a tab\n"
    assert model.roles["x"].name == "a\ttab"
    assert model.roles["z"].inherits == ["x"]


def test_byte_order_mark_and_crlf_line_ends_keep_positions(workdir: Path) -> None:
    text = "\ufeff" + (HEAD + "roles:\n  x: {nmae: X}\n").replace("\n", "\r\n")
    path = write(workdir / "model.yaml", text.encode("utf-8"))
    at(load_error(path), "schema", 4, 7)


def test_an_unreadable_file_does_not_stop_the_others(workdir: Path) -> None:
    write(workdir / "model" / "a.yaml", HEAD + "roles:\n  x: {}\n")
    write(workdir / "model" / "b.yaml", b"roles:\n  y: {}\x00\n")
    write(workdir / "model" / "c.yaml", "roles:\n  z: !!python/name:os.system\n")
    write(workdir / "model" / "d.yaml", "roles:\n  w: {}\n")
    findings = load_findings(workdir / "model")
    at(findings, "yaml-syntax", 2, 8)
    assert [f.file for f in findings] == ["model/b.yaml", "model/c.yaml"]
    model = crmorg.api.load_partial(workdir / "model")
    assert sorted(model.roles) == ["w", "x"]


def test_unreadable_file_does_not_also_claim_organization_is_missing(workdir: Path) -> None:
    # The organization may well be in the file that could not be read.
    path = write(workdir / "model.yaml", HEAD + "roles: [\n")
    findings = load_error(path)
    assert [f.rule for f in findings] == ["yaml-syntax"]


def test_missing_organization_is_reported_when_every_file_was_read(workdir: Path) -> None:
    path = write(workdir / "model.yaml", "version: 1\nroles:\n  x: {}\n")
    finding = at(load_error(path), "schema", 1, 1)
    assert "no file holds `organization`" in finding.message


def test_too_many_files(workdir: Path) -> None:
    for name in ("a", "b", "c"):
        write(workdir / "model" / f"{name}.yaml", HEAD if name == "a" else "roles: {}\n")
    findings = load_error(workdir / "model", Limits(max_files=2))
    assert "3 model files, over the limit of 2" in at(findings, "limit-exceeded", 1, 1).message


def test_model_over_the_total_size_limit(workdir: Path) -> None:
    write(workdir / "model" / "a.yaml", HEAD)
    write(workdir / "model" / "b.yaml", "roles:\n" + "".join(f"  r{i}: {{}}\n" for i in range(50)))
    findings = load_error(workdir / "model", Limits(max_total_bytes=200))
    finding = at(findings, "limit-exceeded", 1, 1)
    assert finding.file == "model/b.yaml"
    assert "over the limit of 200 (max_total_bytes)" in finding.message


def test_alias_expansion_below_the_bound_is_fine(workdir: Path) -> None:
    path = write(
        workdir / "model.yaml",
        HEAD + "roles:\n  a: {inherits: &parents [b, c]}\n  b: {}\n  c: {}\n"
        "  d: {inherits: *parents}\n",
    )
    assert crmorg.load(path).roles["d"].inherits == ["b", "c"]


def test_alias_bound_is_configurable(workdir: Path) -> None:
    path = write(
        workdir / "model.yaml",
        HEAD + "roles:\n  a: {inherits: &p [b, c, d]}\n  e: {inherits: *p}\n  f: {inherits: *p}\n",
    )
    finding = at(load_error(path, Limits(max_alias_nodes=6)), "limit-exceeded", 6, 17)
    assert "over the limit of 6 (max_alias_nodes)" in finding.message


def test_same_id_in_two_files_names_both_places(workdir: Path) -> None:
    write(workdir / "model" / "a.yaml", HEAD + "roles:\n  agent: {name: Agent}\n")
    write(workdir / "model" / "sub" / "b.yaml", "roles:\n  other: {}\n  agent: {name: Again}\n")
    finding = at(load_error(workdir / "model"), "duplicate-id", 3, 3)
    assert finding.file == "model/sub/b.yaml"
    assert "model/a.yaml:4:3" in finding.message
    assert finding.subjects == ("agent",)


def test_two_files_holding_organization(workdir: Path) -> None:
    write(workdir / "model" / "a.yaml", HEAD)
    write(workdir / "model" / "b.yaml", "roles: {}\norganization:\n  name: Other\n")
    finding = at(load_error(workdir / "model"), "duplicate-id", 2, 1)
    assert finding.file == "model/b.yaml"
    assert "model/a.yaml:2:1" in finding.message
    assert "organization" in finding.subjects


def test_same_setting_in_two_files_names_both_places(workdir: Path) -> None:
    write(workdir / "model" / "a.yaml", HEAD + "settings:\n  span_of_control: 5\n")
    write(workdir / "model" / "b.yaml", "settings:\n  span_of_control: 7\n")
    finding = at(load_error(workdir / "model"), "duplicate-id", 2, 3)
    assert finding.file == "model/b.yaml"
    assert "model/a.yaml:4:3" in finding.message


def test_same_constraint_id_twice(workdir: Path) -> None:
    text = HEAD + (
        "roles: {a: {}, b: {}}\n"
        "constraints:\n"
        "  - {id: c1, kind: exclusive_roles, roles: [a, b]}\n"
        "  - {id: c1, kind: exclusive_roles, roles: [b, a]}\n"
    )
    finding = at(load_error(write(workdir / "model.yaml", text)), "duplicate-id", 6, 10)
    assert "model.yaml:5:5" in finding.message


def test_validate_on_a_missing_path_is_a_usage_error(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(["validate", "no/such/model"], capsys)
    assert code == 2
    assert out == ""
    assert "no such file or directory: no/such/model" in err


def test_api_load_on_a_missing_path(workdir: Path) -> None:
    with pytest.raises(FileNotFoundError):
        crmorg.load(workdir / "missing.yaml")


def _run_crmorg(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "crmorg", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_real_process_survives_extreme_nesting_and_bombs(workdir: Path) -> None:
    """In a separate interpreter: PyYAML's composer recursing 200,000 levels deep used
    to overflow the C stack (a segmentation fault, not even a traceback)."""
    depth = 200_000
    write(workdir / "model" / "a_deep.yaml", HEAD + "roles: " + "[" * depth + "]" * depth + "\n")
    write(workdir / "model" / "b_lol.yaml", _laughs().replace(HEAD, ""))
    write(
        workdir / "model" / "c_tag.yaml",
        f'roles:\n  x: !!python/object/apply:os.system ["touch {workdir / "pwned"}"]\n',
    )
    start = time.perf_counter()
    result = _run_crmorg(["validate", "model"], workdir)
    assert time.perf_counter() - start < 30
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert (
        "model/a_deep.yaml:3:72: error limit-exceeded: the values nest more levels deep"
        in result.stdout
    )
    assert "model/b_lol.yaml:5:14: error limit-exceeded: aliases expand" in result.stdout
    assert "model/c_tag.yaml:2:6: error yaml-syntax: the YAML tag" in result.stdout
    assert not (workdir / "pwned").exists()


def test_real_process_on_a_missing_path(workdir: Path) -> None:
    result = _run_crmorg(["validate", "missing"], workdir)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "no such file or directory" in result.stderr
