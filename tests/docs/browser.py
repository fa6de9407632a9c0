"""Measure handbook pages in headless Chromium: run a script in a page, read its answer.

:func:`evaluate` copies a page beside itself with a script appended, opens it with
``--dump-dom`` at a given window size and returns what the script put in
``<pre id="crmorg-result">`` (JSON). One Chromium launch measures several pages: the
script runs in the first and each further page is loaded into an ``<iframe>`` of it.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from charts.renderers import RendererMissing, chromium_binary

_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--allow-file-access-from-files",
)
_RESULT = re.compile(r'<pre id="crmorg-result">([A-Za-z0-9+/=]*)</pre>')

_RUNNER = """<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0">
<pre id="crmorg-result"></pre>
<script>
"use strict";
const pages = {pages};
const measure = {script};
const frame = document.createElement("iframe");
frame.style.cssText = "border:0;width:{width}px;height:{height}px";
document.body.appendChild(frame);
const answers = [];
const encode = (text) => {{
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}};
const next = (i) => {{
  if (i === pages.length) {{
    document.getElementById("crmorg-result").textContent = encode(JSON.stringify(answers));
    return;
  }}
  frame.onload = () => {{
    try {{ answers.push(measure(frame.contentWindow, frame.contentDocument)); }}
    catch (e) {{ answers.push({{error: String(e)}}); }}
    next(i + 1);
  }};
  frame.style.width = "{width}px";
  frame.src = pages[i];
}};
next(0);
</script></body></html>
"""


def evaluate(
    pages: list[Path], script: str, size: tuple[int, int] = (1400, 1000), timeout: float = 90.0
) -> list[Any]:
    """For each page, what ``script`` (a JS function ``(window, document) => JSON value``)
    returns once the page has loaded in a frame ``size`` pixels large."""
    binary = chromium_binary()
    if binary is None:
        raise RendererMissing("chromium is not installed (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory(prefix="crmorg-measure-") as tmp:
        runner = Path(tmp) / "runner.html"
        runner.write_text(
            _RUNNER.format(
                pages=json.dumps([Path(p).resolve().as_uri() for p in pages]),
                script=script,
                width=size[0],
                height=size[1],
            ),
            encoding="utf-8",
        )
        cmd = [
            binary,
            *_FLAGS,
            f"--user-data-dir={tmp}/profile",
            f"--window-size={size[0]},{size[1]}",
            "--virtual-time-budget=20000",
            "--dump-dom",
            runner.as_uri(),
        ]
        proc = subprocess.run(
            cmd,
            capture_output=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "HOME": tmp},
        )
    match = _RESULT.search(proc.stdout.decode("utf-8", "replace"))
    if match is None or not match.group(1):
        stderr = proc.stderr.decode("utf-8", "replace")[-2000:]
        raise RuntimeError(f"chromium gave no measurement (exit {proc.returncode}):\n{stderr}")
    return list(json.loads(base64.b64decode(match.group(1)).decode("utf-8")))
