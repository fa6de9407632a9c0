"""``crmorg docs --audience client``: a handbook a consultant can hand over.

No rule ids or names, no file positions, no validation page or link; a stamp ("prepared
for / date / model revision / version") on every page; a change-log page when the model
is in git. The internal handbook (the default) is what it was.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import crmorg
from crmorg.api import load
from crmorg.cli.main import main
from crmorg.docs.history import StampDateError, read_history, stamp_date
from crmorg.docs.site import build_site
from crmorg.lint.registry import all_rules, engine_rules
from crmorg.model import Model

from .inspect_output import markdown_to_html, parse_html

REFERENCE = Path(__file__).parents[2] / "examples" / "reference"
RULE_NAMES = sorted({rule.info.name for rule in {**engine_rules(), **all_rules()}.values()})
_RULE_NAME = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, RULE_NAMES)) + r")(?![\w-])")


@pytest.fixture(scope="module")
def reference() -> Model:
    return load(REFERENCE)


def _text(path: str, content: str) -> str:
    html = markdown_to_html(content) if path.endswith(".md") else content
    return parse_html(html).text


@pytest.mark.parametrize(("fmt", "lang"), [("html", "en"), ("markdown", "zh")])
def test_client_handbook_hides_findings_rule_ids_and_positions(
    reference: Model, fmt: str, lang: str
) -> None:
    internal = build_site(reference, fmt=fmt, lang=lang)
    client = build_site(reference, fmt=fmt, lang=lang, audience="client", date="2026-12-01")
    ext = ".html" if fmt == "html" else ".md"
    # The reference model has findings, so the internal handbook shows all three.
    assert re.search(r"CRM\d{3}", "".join(internal.values()))
    assert re.search(r"\.yaml:\d+", "".join(internal.values()))
    assert f"report{ext}" in internal
    assert f"report{ext}" not in client
    assert set(client) == set(internal) - {f"report{ext}"}
    company = reference.organization.name[lang]  # type: ignore[union-attr,index]
    for path, content in client.items():
        if path.endswith(".svg"):
            continue
        assert not re.search(r"CRM\d{3}", content), path
        assert not re.search(r"\.yaml:\d+", content), path
        assert "report" + ext not in content, path
        found = _RULE_NAME.findall(_text(path, content))
        assert not found, (path, found)
        if path.endswith(".js"):
            continue  # the search index: no page of its own to stamp
        text = re.sub(r"\s+", " ", _text(path, content))
        assert company in text and "2026-12-01" in text, path
        assert f"crmorg {crmorg.__version__}" in text, path


def test_internal_handbook_is_the_default_and_has_no_stamp(reference: Model) -> None:
    default = build_site(reference, fmt="html", lang="en")
    internal = build_site(reference, fmt="html", lang="en", audience="internal")
    assert default == internal
    assert not any('class="stamp' in page for page in default.values())
    assert "changelog.html" not in default  # no history given


def test_client_handbook_is_deterministic(reference: Model) -> None:
    first = build_site(reference, lang="zh", audience="client", date="2026-12-01")
    again = build_site(reference, lang="zh", audience="client", date="2026-12-01")
    assert first == again


def test_stamp_date_comes_from_date_then_epoch_then_git() -> None:
    assert stamp_date("2026-02-28", None, {}) == "2026-02-28"
    assert stamp_date(None, None, {"SOURCE_DATE_EPOCH": "1700000000"}) == "2023-11-14"
    with pytest.raises(StampDateError, match="--date YYYY-MM-DD"):
        stamp_date(None, None, {})
    with pytest.raises(ValueError, match="no day of the calendar"):
        stamp_date("2026-02-30", None, {})
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        stamp_date("1.2.2026", None, {})


def _git(repo: Path, *args: str, date: str = "2026-03-04T05:06:07+00:00") -> None:
    env = {
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@example.com",
        "GIT_COMMITTER_NAME": "A",
        "GIT_COMMITTER_EMAIL": "a@example.com",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "HOME": str(repo),
        "PATH": "/usr/bin:/bin",
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


@pytest.fixture()
def git_model(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        message = "git is needed for the change-log tests (install git, as .ci/run does)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    repo = tmp_path / "repo"
    model = repo / "model"
    shutil.copytree(REFERENCE, model)
    (repo / "elsewhere.txt").write_text("not the model\n")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(
        repo,
        "commit",
        "-q",
        "-m",
        "First model <b>&</b> 'quotes' | pipes",
        date="2026-03-01T10:00:00+00:00",
    )
    (repo / "elsewhere.txt").write_text("changed, but not the model\n")
    _git(repo, "commit", "-q", "-am", "Not about the model")
    organization = model / "organization.yaml"
    organization.write_text(organization.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _git(
        repo,
        "commit",
        "-q",
        "-am",
        "=cmd() second <script>x</script>",
        date="2026-03-05T10:00:00+00:00",
    )
    return model


def test_change_log_from_git_lists_the_model_commits_escaped(git_model: Path) -> None:
    history = read_history(git_model)
    assert history is not None
    assert [(c.date, c.subject) for c in history.changes] == [
        ("2026-03-05", "=cmd() second <script>x</script>"),
        ("2026-03-01", "First model <b>&</b> 'quotes' | pipes"),
    ]
    assert not history.dirty and history.sha == history.changes[0].sha
    model = load(git_model)
    html = build_site(model, lang="en", audience="client", history=history)
    page = html["changelog.html"]
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page
    assert "First model &lt;b&gt;&amp;&lt;/b&gt;" in page
    assert "Not about the model" not in page
    assert f"model revision {history.sha}" in html["index.html"]
    assert "2026-03-05" in html["index.html"]  # the stamp's date: the last model commit
    assert 'href="changelog.html"' in html["index.html"]
    md = build_site(model, fmt="markdown", lang="zh", audience="client", history=history)
    text = parse_html(markdown_to_html(md["changelog.md"])).text
    assert "=cmd() second <script>x</script>" in text
    assert "First model <b>&</b> 'quotes' | pipes" in text
    assert f"模型版本 {history.sha}" in md["index.md"]


def test_uncommitted_changes_are_flagged(git_model: Path) -> None:
    (git_model / "teams.yaml").write_text(
        (git_model / "teams.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    ran = git_model.parent / "fsmonitor-ran"
    _git(git_model.parent, "config", "core.fsmonitor", f"touch {ran}; false")
    history = read_history(git_model)
    assert history is not None and history.dirty
    assert not ran.exists()  # the repository's own programs never run
    html = build_site(load(git_model), lang="en", audience="client", history=history)
    assert "(with uncommitted changes)" in html["people.html"]


def test_outside_git_there_is_no_history(tmp_path: Path) -> None:
    assert read_history(tmp_path) is None


def test_cli_client_handbook(
    git_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    assert main(["docs", str(git_model), "--out", str(out), "--audience", "client"]) == 0
    assert (out / "changelog.html").is_file() and not (out / "report.html").exists()
    assert 'class="stamp' in (out / "roles" / "sales_rep.html").read_text(encoding="utf-8")
    capsys.readouterr()
    plain = tmp_path / "plain"
    shutil.copytree(REFERENCE, plain)
    nothing = tmp_path / "nothing"
    assert main(["docs", str(plain), "--out", str(nothing), "--audience", "client"]) == 2
    assert "--date YYYY-MM-DD" in capsys.readouterr().err
    assert not nothing.exists()
    assert (
        main(
            [
                "docs",
                str(plain),
                "--out",
                str(nothing),
                "--audience",
                "client",
                "--date",
                "2026-02-30",
            ]
        )
        == 2
    )
    assert "no day of the calendar" in capsys.readouterr().err
    assert not nothing.exists()


def test_hostile_company_name_in_the_stamp_is_escaped(hostile_model: Model) -> None:
    html = build_site(hostile_model, lang="zh", audience="client", date="2026-12-01")
    md = build_site(hostile_model, fmt="markdown", audience="client", date="2026-12-01")
    pages = [content for path, content in html.items() if path.endswith(".html")]
    for content in pages:
        assert 'class="stamp' in content
        assert "为&lt;script&gt;alert(&#39;org&#39;)&lt;/script&gt;编制" in content
    assert all("<script>alert" not in page for page in html.values())  # the name is text
    text = parse_html(markdown_to_html(md["index.md"])).text
    assert "Prepared for <script>alert('org')</script> · 2026-12-01" in text


def test_client_scorecard_names_the_data_file_not_its_folder(reference: Model) -> None:
    from crmorg.docs.scorecard import scorecard_section
    from crmorg.loading.metric_data import read_metric_data

    metrics = REFERENCE.parent / "reference-metrics.csv"
    data = read_metric_data(metrics, reference.metrics).data
    data.source = str(metrics)  # a fresh reading: naming it by its full path changes nobody's
    extra = [scorecard_section(data)]
    client = build_site(reference, audience="client", date="2026-12-01", extra_sections=extra)
    internal = build_site(reference, extra_sections=extra)
    assert "/" in data.source and data.source in internal["scorecard.html"]
    assert "reference-metrics.csv" in client["scorecard.html"]
    assert data.source not in client["scorecard.html"]
