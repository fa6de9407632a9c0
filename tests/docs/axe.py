"""axe-core in headless Chromium over many local pages, in one browser launch.

A harness page opens each page in an iframe of a real size, injects axe-core's
``axe.min.js`` (pinned in ``tests/js/package.json``) into it, runs ``axe.run`` on it and
writes every result into its own DOM, which ``--dump-dom`` returns. Chromium is started
with ``--allow-file-access-from-files`` so that the harness may reach into the frames.
"""

from __future__ import annotations

import base64
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from charts.renderers import AXE_BUNDLE, RendererMissing, _run_chromium

__all__ = ["AXE_BUNDLE", "Violation", "axe_check"]

_HARNESS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>axe harness</title></head>
<body><pre id="result"></pre>
<script>
"use strict";
const pages = JSON.parse(atob("{pages}"));
const axeBytes = Uint8Array.from(atob("{axe}"), (c) => c.charCodeAt(0));
const axeSource = new TextDecoder().decode(axeBytes);
function encode(text) {{
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}}
function load(url) {{
  return new Promise((resolve, reject) => {{
    const frame = document.createElement("iframe");
    frame.style.width = "1400px";
    frame.style.height = "1000px";
    frame.onload = () => resolve(frame);
    frame.onerror = () => reject(new Error("cannot load " + url));
    frame.src = url;
    document.body.appendChild(frame);
  }});
}}
(async () => {{
  const out = document.getElementById("result");
  const results = [];
  try {{
    for (const url of pages) {{
      const frame = await load(url);
      const win = frame.contentWindow;
      win.eval(axeSource);
      const result = await win.axe.run(win.document, {{resultTypes: ["violations"]}});
      results.push({{
        url: url,
        lang: win.document.documentElement.lang,
        violations: result.violations.map((v) => ({{
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.slice(0, 5).map((n) => ({{
            target: n.target.join(" "),
            summary: n.failureSummary,
          }})),
        }})),
      }});
      frame.remove();
    }}
    out.textContent = "OK:" + encode(JSON.stringify(results));
  }} catch (e) {{
    out.textContent = "FAILED:" + encode(String(e && e.stack ? e.stack : e));
  }}
}})();
</script></body></html>
"""

_RESULT = re.compile(r'<pre id="result">(OK|FAILED):([A-Za-z0-9+/=]*)</pre>')


@dataclass(frozen=True)
class PageResult:
    url: str
    lang: str
    violations: list[dict[str, Any]]


@dataclass(frozen=True)
class Violation:
    page: str
    rule: str
    impact: str
    help: str
    nodes: list[dict[str, str]]

    def __str__(self) -> str:
        where = "; ".join(f"{n['target']}: {n['summary']}" for n in self.nodes)
        return f"{self.page}: {self.rule} ({self.impact}) {self.help} -- {where}"


def axe_check(pages: list[Path], timeout: float = 120.0) -> list[PageResult]:
    """Run axe-core over every page (local HTML files) in one Chromium launch."""
    if not AXE_BUNDLE.is_file():
        raise RendererMissing(f"axe-core missing: {AXE_BUNDLE} (cd tests/js && npm ci)")
    urls = [page.resolve().as_uri() for page in pages]
    payload = base64.b64encode(json.dumps(urls).encode("utf-8")).decode("ascii")
    axe = base64.b64encode(AXE_BUNDLE.read_bytes()).decode("ascii")
    with tempfile.TemporaryDirectory(prefix="crmorg-axe-") as tmp:
        harness = Path(tmp) / "harness.html"
        harness.write_text(_HARNESS.format(pages=payload, axe=axe), encoding="utf-8")
        proc = _run_chromium(
            [
                "--allow-file-access-from-files",
                "--window-size=1500,1100",
                "--dump-dom",
                "--virtual-time-budget=600000",
                harness.as_uri(),
            ],
            timeout,
        )
    dom = proc.stdout.decode("utf-8", "replace")
    match = _RESULT.search(dom)
    if match is None:
        stderr = proc.stderr.decode("utf-8", "replace")[-2000:]
        raise RuntimeError(f"chromium gave no axe result (exit {proc.returncode}):\n{stderr}")
    body = base64.b64decode(match.group(2)).decode("utf-8")
    if match.group(1) == "FAILED":
        raise RuntimeError(f"the axe harness failed: {body}")
    return [PageResult(**item) for item in json.loads(body)]
