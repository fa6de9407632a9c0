"""Run chart output through the real engines it targets: Graphviz and Mermaid.

- :func:`dot_to_svg` runs ``dot -Tsvg``.
- :func:`mermaid_check` loads Mermaid's built bundle (``tests/js/node_modules``,
  installed by ``npm ci`` in ``tests/js``) into a local page in headless Chromium,
  parses and renders every text in one page load and returns, per text, the error
  or the text of every rendered node label.
- :func:`screenshot` takes a PNG of a local file with headless Chromium.

Chromium is driven with ``--dump-dom`` and ``--virtual-time-budget``: the page
writes its results (base64 JSON) into the DOM, which Chromium prints once the
page has settled. No WebDriver is needed.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "MERMAID_BUNDLE",
    "MermaidResult",
    "RendererMissing",
    "chromium_binary",
    "dot_to_svg",
    "mermaid_check",
    "mermaid_page",
    "mermaid_parse_errors",
    "missing_tools",
    "screenshot",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
MERMAID_BUNDLE = REPO_ROOT / "tests" / "js" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
AXE_BUNDLE = REPO_ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
)


class RendererMissing(RuntimeError):
    """A real renderer (binary or JS bundle) is not installed."""


def chromium_binary() -> str | None:
    """Path of a Chromium binary, or None."""
    for name in _CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def missing_tools(*tools: str) -> list[str]:
    """Human-readable descriptions of those of ``tools`` that are not installed.

    Tools: ``"dot"``, ``"chromium"``, ``"mermaid"`` and ``"axe"`` (npm bundles).
    """
    missing: list[str] = []
    if "dot" in tools and shutil.which("dot") is None:
        missing.append("graphviz `dot` (apt-get install -y graphviz)")
    if "chromium" in tools and chromium_binary() is None:
        missing.append("chromium (apt-get install -y chromium)")
    if "mermaid" in tools and not MERMAID_BUNDLE.is_file():
        missing.append(f"mermaid bundle {MERMAID_BUNDLE} (cd tests/js && npm ci)")
    if "axe" in tools and not AXE_BUNDLE.is_file():
        missing.append(f"axe-core bundle {AXE_BUNDLE} (cd tests/js && npm ci)")
    return missing


def _chromium() -> str:
    binary = chromium_binary()
    if binary is None:
        raise RendererMissing("chromium is not installed (apt-get install -y chromium)")
    return binary


def dot_to_svg(text: str, timeout: float = 60.0) -> str:
    """SVG rendered by Graphviz from DOT ``text``; raises ``RuntimeError`` on errors."""
    dot = shutil.which("dot")
    if dot is None:
        raise RendererMissing("graphviz `dot` is not installed (apt-get install -y graphviz)")
    proc = subprocess.run(
        [dot, "-Tsvg"],
        input=text.encode("utf-8"),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    # Graphviz exits non-zero on syntax errors; it also prints "Error:" for some
    # problems it recovers from. "Warning:" lines (e.g. spline routing trouble in old
    # versions) are layout noise, not a sign that the text was misread.
    if proc.returncode != 0 or "Error" in stderr:
        raise RuntimeError(f"dot failed (exit {proc.returncode}): {stderr}")
    return proc.stdout.decode("utf-8")


@dataclass(frozen=True)
class MermaidResult:
    """What Mermaid made of one text.

    ``error`` is None when both ``parse`` and ``render`` succeeded. ``labels`` maps
    each rendered node's name (``n0``...) to its label text, with ``<br>`` read as
    a newline. ``elements`` lists the tag names of all elements inside node labels
    (to prove that no user markup became an element).
    """

    error: str | None
    labels: dict[str, str]
    edge_labels: list[str]
    elements: list[str]
    title: str | None


_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>crmorg mermaid check</title></head>
<body><pre id="result">pending</pre><div id="scratch"></div>
<script src="{bundle}"></script>
<script>
"use strict";
const decode = (b64) => new TextDecoder().decode(
  Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
const encode = (text) => {{
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}};
const textOf = (el) => {{
  const copy = el.cloneNode(true);
  for (const br of copy.querySelectorAll("br")) br.replaceWith("\\n");
  return copy.textContent;
}};
(async () => {{
  const out = document.getElementById("result");
  const results = [];
  try {{
    const texts = JSON.parse(decode("{texts}"));
    // Mermaid's defaults otherwise (e.g. maxEdges 500): what a reader's browser does.
    mermaid.initialize({{startOnLoad: false, securityLevel: "strict"}});
    for (let i = 0; i < texts.length; i++) {{
      const item = {{error: null, labels: {{}}, edge_labels: [], elements: [], title: null}};
      try {{
        await mermaid.parse(texts[i]);
        const {{svg}} = await mermaid.render("chart" + i, texts[i]);
        const holder = document.getElementById("scratch");
        holder.innerHTML = svg;
        for (const node of holder.querySelectorAll("g.node")) {{
          const m = /flowchart-(.+)-[0-9]+$/.exec(node.id);
          const label = node.querySelector(".label") || node;
          item.labels[m ? m[1] : node.id] = textOf(label);
          for (const el of label.querySelectorAll("foreignObject *")) {{
            item.elements.push(el.localName);
          }}
        }}
        for (const el of holder.querySelectorAll("g.edgeLabel")) {{
          const t = textOf(el);
          if (t) item.edge_labels.push(t);
        }}
        const title = holder.querySelector(".flowchartTitleText, .titleText");
        if (title) item.title = title.textContent;
        if (holder.querySelector("script")) item.error = "a <script> element was rendered";
        holder.innerHTML = "";
      }} catch (e) {{
        item.error = String(e && e.message ? e.message : e);
      }}
      results.push(item);
    }}
    out.textContent = "OK:" + encode(JSON.stringify(results));
  }} catch (e) {{
    out.textContent = "FAILED:" + encode(String(e && e.stack ? e.stack : e));
  }}
}})();
</script></body></html>
"""

_RESULT = re.compile(r'<pre id="result">(OK|FAILED):([A-Za-z0-9+/=]*)</pre>')


def _run_chromium(args: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
    with tempfile.TemporaryDirectory(prefix="crmorg-chromium-") as profile:
        cmd = [_chromium(), *_CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
        env = {**os.environ, "HOME": profile}
        return subprocess.run(cmd, capture_output=True, timeout=timeout, check=False, env=env)


def mermaid_check(texts: list[str], timeout: float = 120.0) -> list[MermaidResult]:
    """Parse and render every Mermaid text in one headless Chromium page load."""
    if not MERMAID_BUNDLE.is_file():
        raise RendererMissing(f"mermaid bundle missing: {MERMAID_BUNDLE} (cd tests/js && npm ci)")
    payload = base64.b64encode(json.dumps(texts).encode("utf-8")).decode("ascii")
    with tempfile.TemporaryDirectory(prefix="crmorg-mermaid-") as tmp:
        page = Path(tmp) / "check.html"
        page.write_text(
            _PAGE.format(bundle=MERMAID_BUNDLE.as_uri(), texts=payload), encoding="utf-8"
        )
        proc = _run_chromium(["--dump-dom", "--virtual-time-budget=600000", page.as_uri()], timeout)
    dom = proc.stdout.decode("utf-8", "replace")
    match = _RESULT.search(dom)
    if match is None:
        stderr = proc.stderr.decode("utf-8", "replace")[-2000:]
        raise RuntimeError(
            f"chromium produced no mermaid result (exit {proc.returncode}); stderr tail:\n{stderr}"
        )
    body = base64.b64decode(match.group(2)).decode("utf-8")
    if match.group(1) == "FAILED":
        raise RuntimeError(f"mermaid page failed: {body}")
    return [MermaidResult(**item) for item in json.loads(body)]


def mermaid_parse_errors(texts: list[str], timeout: float = 120.0) -> list[str | None]:
    """For each text, None when Mermaid parses and renders it, else the error message."""
    return [result.error for result in mermaid_check(texts, timeout)]


_VIEW_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>crmorg mermaid view</title></head>
<body style="margin:0;background:#fff"><div id="chart"></div>
<script src="{bundle}"></script>
<script>
"use strict";
const text = new TextDecoder().decode(Uint8Array.from(atob("{text}"), (c) => c.charCodeAt(0)));
mermaid.initialize({{startOnLoad: false, securityLevel: "strict"}});
mermaid.render("view", text).then(({{svg}}) => {{
  document.getElementById("chart").innerHTML = svg;
}});
</script></body></html>
"""


def mermaid_page(text: str, html_path: Path) -> Path:
    """Write a local HTML page that renders one Mermaid text (for :func:`screenshot`)."""
    if not MERMAID_BUNDLE.is_file():
        raise RendererMissing(f"mermaid bundle missing: {MERMAID_BUNDLE} (cd tests/js && npm ci)")
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    html_path = Path(html_path)
    html_path.write_text(
        _VIEW_PAGE.format(bundle=MERMAID_BUNDLE.as_uri(), text=payload), encoding="utf-8"
    )
    return html_path


def screenshot(
    html_path: Path, png_path: Path, size: tuple[int, int] = (1400, 1000), timeout: float = 60.0
) -> Path:
    """A PNG screenshot of the local file ``html_path`` (HTML or SVG) at ``png_path``."""
    png_path = Path(png_path).resolve()
    proc = _run_chromium(
        [
            f"--screenshot={png_path}",
            f"--window-size={size[0]},{size[1]}",
            "--virtual-time-budget=10000",
            Path(html_path).resolve().as_uri(),
        ],
        timeout,
    )
    if not png_path.is_file() or png_path.stat().st_size == 0:
        stderr = proc.stderr.decode("utf-8", "replace")[-2000:]
        raise RuntimeError(f"chromium made no screenshot (exit {proc.returncode}):\n{stderr}")
    return png_path
