"""The files of an import: read inside the given folder only, bounded in size, as JSON
with the place of every value."""

from __future__ import annotations

from pathlib import Path

from crmorg.importing.core import ImportFailed
from crmorg.importing.zoho.located import MAX_BYTES, JSONError, Node, parse
from crmorg.importing.zoho.org import At

MAX_FILES = 5000


class Loader:
    """Reads the JSON files under ``root`` (a folder, or the folder of one file)."""

    def __init__(self, root: Path, plan_name: str = "plan.json") -> None:
        self.root = root
        self.plan_name = plan_name
        self._cache: dict[str, Node] = {}

    def name(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def json(self, name: str) -> Node:
        found = self._cache.get(name)
        if found is not None:
            return found
        path = self.root / name
        if not path.resolve().is_relative_to(self.root.resolve()):
            raise ImportFailed(
                f"{name}: a link out of {self.root}; give the saved responses themselves"
            )
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise ImportFailed(
                    f"{name}: {size} bytes, more than a saved Zoho response can be "
                    f"({MAX_BYTES}); give the API responses as saved"
                )
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ImportFailed(
                f"{name}: cannot be read as UTF-8 JSON ({error}); give the saved Zoho CRM "
                "API responses or crmorg's zoho export"
            ) from None
        try:
            found = parse(text)
        except JSONError as error:
            raise ImportFailed(
                f"{name}: not JSON ({error}); give the saved Zoho CRM API responses "
                "(one JSON file per GET) or crmorg's zoho export (plan.json and requests/)"
            ) from None
        self._cache[name] = found
        return found

    def body(self, name: str, at: At) -> str:
        """A request body a plan step names: a file under ``requests/`` of this folder."""
        parts = Path(name).parts
        if not name or Path(name).is_absolute() or ".." in parts or parts[:1] != ("requests",):
            raise ImportFailed(
                f"{at}: the step's body {name!r} is not a file under requests/; give the "
                "folder crmorg export --target zoho wrote"
            )
        if not (self.root / name).is_file():
            raise ImportFailed(
                f"{at}: the step's body {name} is missing; give the whole folder crmorg "
                "export --target zoho wrote (plan.json and requests/)"
            )
        return name

    def files(self) -> list[str]:
        found = sorted(
            self.name(p)
            for p in self.root.rglob("*.json")
            if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(self.root).parts)
        )
        if len(found) > MAX_FILES:
            raise ImportFailed(
                f"{self.root}: {len(found)} JSON files, more than {MAX_FILES}; give one folder "
                "of saved Zoho CRM API responses"
            )
        return found
