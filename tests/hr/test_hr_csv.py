"""HR exports (``people.csv``, ``teams.csv``): columns, values, positions, hostile files.

Positions are pinned exactly: a finding about a row points at its cell, and the cell's
column is counted in characters, as everywhere else in crmorg.
"""

from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from crmorg.findings import Finding, Location
from crmorg.loading.hr_csv import (
    HR_FILES,
    MAX_FINDINGS,
    MAX_ROWS,
    HrTable,
    hr_section,
    read_hr_csv,
)
from crmorg.loading.limits import DEFAULT_LIMITS, Limits
from crmorg.roles.models import Person, Team
from crmorg.source import SourceMap


@pytest.fixture(autouse=True)
def _workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Findings name files relative to the working directory: ``people.csv``."""
    monkeypatch.chdir(tmp_path)


def read(
    content: str | bytes,
    name: str = "people.csv",
    limits: Limits = DEFAULT_LIMITS,
    max_rows: int = MAX_ROWS,
) -> HrTable:
    path = Path(name)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return read_hr_csv(path, HR_FILES[name], limits, max_rows=max_rows)


def at(line: int, column: int, file: str = "people.csv") -> Location:
    return Location(file, line, column)


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, [str(f.location) + " " + f.message for f in findings]
    return findings[0]


# ----------------------------------------------------------------------------- columns


def test_people_columns_with_locale_names_read_as_the_yaml_section_would() -> None:
    table = read(
        "ID,Name,name_zh,Email,Title,roles,teams,reports_to\n"
        "zhang_wei,Zhang Wei,张伟,zw@acme.example,CEO,ceo,,\n"
        "li_na,Li Na,李娜,ln@acme.example,Sales Manager,sales_manager,sales_east,zhang_wei\n"
    )
    assert table.findings == []
    assert table.complete and table.rows == 2
    assert table.entries == {
        "zhang_wei": {
            "name": {"en": "Zhang Wei", "zh": "张伟"},
            "email": "zw@acme.example",
            "title": "CEO",
            "roles": ["ceo"],
        },
        "li_na": {
            "name": {"en": "Li Na", "zh": "李娜"},
            "email": "ln@acme.example",
            "title": "Sales Manager",
            "roles": ["sales_manager"],
            "teams": ["sales_east"],
            "reports_to": "zhang_wei",
        },
    }
    for entry in table.entries.values():
        Person.model_validate(entry)  # the shapes the strict model expects


def test_name_is_plain_text_without_locale_columns_and_a_mapping_with_them() -> None:
    plain = read("id,name\nli_na,Li Na\n")
    assert plain.entries == {"li_na": {"name": "Li Na"}}
    locales_only = read("id,NAME_ZH,name_zh-Hant\nli_na,李娜,李娜\nwang_fang,,王芳\n")
    assert locales_only.entries == {
        "li_na": {"name": {"zh": "李娜", "zh-Hant": "李娜"}},
        "wang_fang": {"name": {"zh-Hant": "王芳"}},
    }
    empty_zh = read("id,name,name_zh\nli_na,Li Na,\n")
    assert empty_zh.entries == {"li_na": {"name": {"en": "Li Na"}}}


def test_teams_columns() -> None:
    table = read(
        "id,name,name_zh,description,department,lead\n"
        "sales_east,East Sales,华东销售,Shanghai and Hangzhou,sales,li_na\n"
        "support,Support,,,,\n",
        "teams.csv",
    )
    assert table.findings == []
    assert table.section == "teams"
    assert table.entries == {
        "sales_east": {
            "name": {"en": "East Sales", "zh": "华东销售"},
            "description": "Shanghai and Hangzhou",
            "department": "sales",
            "lead": "li_na",
        },
        "support": {"name": {"en": "Support"}},
    }
    for entry in table.entries.values():
        Team.model_validate(entry)


def test_multi_valued_cells_split_on_semicolon_bar_and_quoted_comma() -> None:
    table = read(
        "id,roles,teams\n"
        "a,sales_rep;employee,east|west\n"
        'b," sales_rep , employee ","east; ;west;"\n'
        "c,;;,|\n"
    )
    assert table.findings == []
    assert table.entries == {
        "a": {"roles": ["sales_rep", "employee"], "teams": ["east", "west"]},
        "b": {"roles": ["sales_rep", "employee"], "teams": ["east", "west"]},
        "c": {},
    }


def test_values_stay_text_never_booleans_or_numbers() -> None:
    table = read("id,name,title,reports_to\nno,yes,0012,on\nx1,1e3,=SUM(A1),off\n")
    assert table.findings == []
    assert table.entries == {
        "no": {"name": "yes", "title": "0012", "reports_to": "on"},
        "x1": {"name": "1e3", "title": "=SUM(A1)", "reports_to": "off"},
    }


def test_unknown_columns_are_findings_at_the_header_cell_with_did_you_mean() -> None:
    table = read("id,name,rolse,manager,shoe_size\nli_na,Li Na,ceo,zhang_wei,42\n")
    assert [(f.rule, f.location) for f in table.findings] == [
        ("schema", at(1, 9)),
        ("schema", at(1, 15)),
        ("schema", at(1, 23)),
    ]
    assert "unknown column `rolse` (did you mean `roles`?)" in table.findings[0].message
    assert "(did you mean `reports_to`?)" in table.findings[1].message
    assert "did you mean" not in table.findings[2].message
    assert table.entries == {"li_na": {"name": "Li Na"}}  # the rest is still read


def test_a_repeated_column_and_a_bad_locale_are_findings() -> None:
    table = read("id,name,name_en,roles,Roles,name_123\nli_na,Li Na,Li,ceo,cfo,x\n")
    messages = [(f.location, f.message) for f in table.findings]
    assert messages[0][0] == at(1, 29)
    assert "not a locale" in messages[0][1]
    assert messages[1][0] == at(1, 9)  # name_en gives the English name, as name does
    assert "repeats column `name`" in messages[1][1]
    assert messages[2][0] == at(1, 23)
    assert "repeats column `roles`" in messages[2][1]
    assert table.entries == {"li_na": {"name": {"en": "Li Na"}, "roles": ["ceo"]}}


def test_missing_id_column_is_a_finding_and_no_row_is_read() -> None:
    table = read("\n\nname,roles\nLi Na,ceo\n")
    finding = only(table.findings)
    assert finding.location == at(3, 1)
    assert "no `id` column" in finding.message
    assert table.entries == {}
    assert not table.complete


def test_empty_file_and_header_only() -> None:
    empty = read("")
    assert only(empty.findings).location == at(1, 1)
    assert "the file is empty" in empty.findings[0].message
    assert read("\n \n").findings[0].message.startswith("the file is empty")
    header_only = read("id,name,roles\n")
    assert header_only.findings == []
    assert header_only.entries == {}
    assert header_only.header == at(1, 1)


# ---------------------------------------------------------------------------- rows


def test_extra_cells_are_a_finding_at_the_first_extra_cell_and_the_row_is_left_out() -> None:
    table = read("id,name,roles\nli_na,Li Na,ceo\nwang_li,Wang, Li,sales_rep\nzhao,Zhao,,,\n")
    finding = only(table.findings)
    assert finding.location == at(3, 18)
    assert "quote that cell" in finding.message
    assert set(table.entries) == {"li_na", "zhao"}  # empty padding cells are fine


def test_unnamed_columns() -> None:
    trailing = read("id,name,,\nli_na,Li Na,,\nwang_fang,Wang Fang,oops\n")
    assert only(trailing.findings).location == at(3, 21)  # a value past the named columns
    assert set(trailing.entries) == {"li_na"}
    inside = read("id,,name\nli_na,x,Li Na\n")
    assert only(inside.findings).location == at(1, 4)
    assert "column 2 has no name" in inside.findings[0].message
    assert inside.entries == {"li_na": {"name": "Li Na"}}


def test_invalid_or_missing_ids_are_findings_at_the_id_cell() -> None:
    table = read("name,id,roles\nLi Na,Li Na,ceo\nNo Id,,ceo\n,,\nok,sales_1,ceo\n")
    assert [(f.location, f.subjects) for f in table.findings] == [
        (at(2, 7), ("Li Na",)),
        (at(3, 7), ()),
    ]
    assert "`Li Na` is not a valid id (did you mean `li_na`?)" in table.findings[0].message
    assert "no id" in table.findings[1].message
    assert table.entries == {"sales_1": {"name": "ok", "roles": ["ceo"]}}


def test_duplicate_ids_name_both_rows() -> None:
    table = read("id,name\nli_na,Li Na\nwang_fang,Wang Fang\n  li_na,Li Na (2)\n")
    finding = only(table.findings)
    assert finding.rule == "duplicate-id"
    assert finding.subjects == ("li_na",)
    assert finding.location == at(4, 1)
    assert finding.related == (at(2, 1),)
    assert "lines 2 and 4" in finding.message
    assert table.entries["li_na"] == {"name": "Li Na"}  # the first is kept


def test_quoted_cells_with_commas_and_line_breaks_keep_lines_and_columns() -> None:
    table = read(
        "id,name,title,roles\n"
        'zhang_wei,"Zhang, Wei","Chief\n'
        'Executive",ceo\n'
        'li_na,"Li ""Nana"" Na",,"sales_rep;\r\n'
        'Bad Role"\n'
        "wang_fang,Wang Fang,,bad-role\n"
    )
    assert table.findings == []
    assert table.entries["zhang_wei"] == {
        "name": "Zhang, Wei",
        "title": "Chief\nExecutive",
        "roles": ["ceo"],
    }
    assert table.entries["li_na"] == {"name": 'Li "Nana" Na', "roles": ["sales_rep", "Bad Role"]}
    positions = table.positions
    assert positions[("people", "zhang_wei", "name")] == (at(2, 11), at(2, 11))
    assert positions[("people", "zhang_wei", "title")][0] == at(2, 24)
    assert positions[("people", "zhang_wei", "roles", 0)] == (at(3, 12), None)  # after a break
    assert positions[("people", "li_na")][0] == at(4, 1)
    assert positions[("people", "li_na", "roles", 1)] == (at(4, 25), None)
    assert positions[("people", "wang_fang", "roles", 0)] == (at(6, 22), None)


def test_positions_point_a_bad_role_id_at_its_cell() -> None:
    table = read("id,name,name_zh,roles\nli_na,Li Na,李娜,sales_rep|Bad Role\n")
    entry = table.entries["li_na"]
    with pytest.raises(ValidationError) as error:
        Person.model_validate(entry)
    assert error.value.errors()[0]["loc"] == ("roles", 1)
    positions = table.positions
    assert positions[("people", "li_na", "roles", 1)] == (at(2, 16), None)
    assert positions[("people", "li_na", "name", "zh")] == (at(2, 13), at(2, 13))
    assert positions[("people", "li_na", "name")] == (at(2, 7), at(2, 7))
    assert positions[("people", "li_na")] == (at(2, 1), at(2, 1))
    assert ("people", "li_na", "roles", 2) not in positions
    assert ("people", "nobody") not in positions
    assert ("teams", "li_na") not in positions
    assert list(positions) == [
        ("people", "li_na"),
        ("people", "li_na", "roles"),
        ("people", "li_na", "roles", 0),
        ("people", "li_na", "roles", 1),
        ("people", "li_na", "name"),
        ("people", "li_na", "name", "en"),
        ("people", "li_na", "name", "zh"),
    ]


def test_a_source_map_finds_positions_lazily_or_all_at_once() -> None:
    table = read("id,roles\nli_na,ceo\nwang_fang,sales_rep;Bad Role\n")
    lazy = SourceMap()
    lazy.add_file(table.file)
    table.attach(lazy)
    merged = SourceMap()
    merged.update(lazy)  # as the loader merges a file's map into the model's
    eager = SourceMap()
    table.record_positions(eager.record)
    for source in (lazy, merged, eager):
        assert source.value(("people", "wang_fang", "roles", 1)) == at(3, 11)
        assert source.key(("people", "wang_fang")) == at(3, 1)
        assert source.value(("people", "li_na", "teams")) == at(2, 1)  # nearest ancestor


# -------------------------------------------------------------------------- encoding


def test_a_byte_order_mark_is_skipped() -> None:
    table = read(b"\xef\xbb\xbfid,name\r\nli_na,Li Na\r\n")
    assert table.findings == []
    assert table.entries == {"li_na": {"name": "Li Na"}}
    assert table.positions[("people", "li_na", "name")][0] == at(2, 7)


def test_invalid_utf8_is_a_finding_at_the_bad_byte_and_nothing_is_used() -> None:
    table = read("id,name\nli_na,李娜\n".encode() + "wang_fang,王芳\n".encode("gbk"))
    finding = only(table.findings)
    assert finding.rule == "schema"
    assert finding.location == at(3, 11)
    assert "not UTF-8" in finding.message and "CSV UTF-8" in finding.message
    assert table.entries == {}
    assert not table.complete


def test_nul_bytes_are_a_finding() -> None:
    table = read(b"id,name\nli_na,Li\x00Na\n")
    assert only(table.findings).location == at(2, 9)
    assert "NUL" in table.findings[0].message
    assert table.entries == {} and not table.complete


def test_utf16_exports_are_a_finding() -> None:
    table = read("id,name\nli_na,Li Na\n".encode("utf-16"))
    assert only(table.findings).location == at(1, 1)
    assert "UTF-16" in table.findings[0].message


def test_old_mac_line_endings() -> None:
    table = read("id,name\rli_na,Li Na\rwang_fang,Wang Fang\r")
    assert table.findings == []
    assert table.positions[("people", "wang_fang", "name")][0] == at(3, 11)


def test_a_quote_never_closed_is_a_finding_where_it_opens() -> None:
    table = read('id,name\nli_na,Li Na\nwang_fang,"Wang Fang\nzhao_lei,Zhao Lei\n')
    finding = only(table.findings)
    assert finding.location == at(3, 11)
    assert "never closed" in finding.message
    assert set(table.entries) == {"li_na"}


# -------------------------------------------------------------------------- limits


def test_file_size_over_the_limit_is_a_finding() -> None:
    table = read("id,name\nli_na,Li Na\n", limits=Limits(max_file_bytes=10))
    assert only(table.findings).location == at(1, 1)
    assert "over the limit of 10" in table.findings[0].message
    assert table.entries == {} and not table.complete


def test_a_cell_over_the_text_limit_is_a_finding() -> None:
    table = read(
        "id,name\nli_na,Li Na\nwang_fang," + "W" * 50 + "\n", limits=Limits(max_scalar_chars=20)
    )
    assert only(table.findings).location == at(3, 11)
    assert set(table.entries) == {"li_na"}


def test_rows_over_the_limit_stop_reading() -> None:
    table = read("id\n" + "".join(f"p{i}\n" for i in range(5)), max_rows=3)
    finding = only(table.findings)
    assert finding.location == at(5, 1)
    assert "over the limit of 3 (max_hr_rows)" in finding.message
    assert list(table.entries) == ["p0", "p1", "p2"]
    assert not table.complete


def test_findings_per_file_are_capped() -> None:
    table = read("id\n" + "".join(f"Bad{i}\n" for i in range(MAX_FINDINGS + 20)))
    assert len(table.findings) == MAX_FINDINGS + 1
    assert "20 more problems" in table.findings[-1].message


def test_hr_file_names() -> None:
    assert hr_section(Path("model/hr/people.csv")) == "people"
    assert hr_section(Path("teams.csv")) == "teams"
    assert hr_section(Path("people.yaml")) is None
    with pytest.raises(ValueError, match="no HR export"):
        read_hr_csv(Path("roles.csv"), "roles")


def test_a_hundred_thousand_rows_load(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("id,name,name_zh,email,title,roles,teams,reports_to\n")
        for i in range(100_000):
            name = f'"Person, {i}"' if i % 10 == 0 else f"Person {i}"
            out.write(
                f"p{i},{name},人{i},p{i}@acme.example,Sales Rep,"
                f"sales_rep;employee,team_{i % 50},p{i // 10}\n"
            )
    start = time.perf_counter()
    table = read_hr_csv(path, "people")
    elapsed = time.perf_counter() - start
    assert table.findings == []
    assert len(table.entries) == 100_000
    assert table.entries["p99990"]["name"] == {"en": "Person, 99990", "zh": "人99990"}
    assert table.positions[("people", "p99999", "roles", 1)][0].line == 100_001
    assert elapsed < 20, f"{elapsed:.1f}s: reading has stopped being linear"


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet='ab_;|, "\r\n李\t', max_size=80))
def test_any_text_reads_without_error_and_every_position_is_inside_the_file(body: str) -> None:
    content = "id,name,roles\n" + body
    table = read(content)
    lines = re.split(r"(?<=\r\n)|(?<=\n)|(?<=\r)(?!\n)", content)
    positions = table.positions
    for path in positions:
        value, _ = positions[path]
        assert 1 <= value.line <= len(lines)
        assert 1 <= value.column <= len(lines[value.line - 1].rstrip("\r\n")) + 1
        if len(path) == 2:  # the text from an id's position reads, as CSV, as that id
            rest = lines[value.line - 1][value.column - 1 :] + "".join(lines[value.line :])
            assert next(csv.reader(io.StringIO(rest, newline="")))[0].strip() == path[1]
    for finding in table.findings:
        assert 1 <= finding.line <= len(lines)
