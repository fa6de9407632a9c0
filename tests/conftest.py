"""Suite-wide policy for the tests that drive real renderers (Graphviz, Chromium, Mermaid).

In CI (``CI=true``) those tests must run: a missing renderer fails them. On a developer's
machine without the renderers they are skipped with a message naming what to install
(``.ci/run`` shows how), so that ``python -m pytest`` works on a fresh machine.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

_BUNDLE = Path(__file__).parent / "js" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"


def _renderers_present() -> bool:
    chromium = any(shutil.which(name) for name in ("chromium", "chromium-browser"))
    return chromium and shutil.which("dot") is not None and _BUNDLE.is_file()


if os.environ.get("CI", "").lower() not in ("1", "true", "yes") and not _renderers_present():
    os.environ.setdefault("CRMORG_SKIP_RENDER", "1")
