"""Applying a ``zoho`` plan to an organisation: phase 1 reads what it has, phase 2 sends
the plan's requests in order.

Phase 1 (GET only) reads the organisation's roles, profiles, the permissions of the
``Standard`` profile, users, user groups and the fields of the modules with field
steps, so that every name a body refers to resolves to its id. Phase 2 sends each step:
the step's ``resolve`` entries put the ids into its body and its path, and the id the
response returns is what later steps refer to. An object the organisation already has
by the same name (a role, user group or sharing rule, a user by email) is updated in
place (its body PUT to its id) and its id reused, so running a plan again, or a new
export of the same model, changes what is there instead of duplicating it; a profile
that exists is kept (its permissions step follows anyway). The first failure stops
the run with a :class:`DeployError` naming the step. Nothing here prints: the command
line reports the :class:`Outcome` list.
"""

from __future__ import annotations

import copy
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Transport = Callable[[str, str, Mapping[str, str], bytes | None], tuple[int, bytes]]
"""(method, url, headers, body) -> (HTTP status, response body)."""

DEFAULT_API_DOMAIN = "https://www.zohoapis.com"
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_READ_KEYS = {
    "sharing_rules": ("sharing_rules", "rule"),
    "roles": ("roles", "role"),
    "profiles": ("profiles", "profile"),
    "users": ("users", "user"),
    "user_groups": ("user_groups", "group"),
}


class DeployError(Exception):
    """A step (or a phase 1 read) failed; ``step`` names it."""

    def __init__(self, step: str, message: str) -> None:
        super().__init__(f"step {step}: {message}")
        self.step = step


@dataclass(frozen=True)
class Outcome:
    """What happened to one step: ``created``; ``updated existing`` (it existed by name:
    its body was PUT to it) or ``kept`` (a profile that existed); ``updated``; in a dry
    run ``would create`` / ``would update`` / ``would keep`` / ``would send``, or
    ``blocked: why``."""

    step: str
    action: str
    method: str
    path: str
    id: str | None = None


@dataclass(frozen=True)
class LoadedPlan:
    document: Mapping[str, Any]
    bodies: Mapping[str, Any]

    @property
    def steps(self) -> list[Mapping[str, Any]]:
        steps: list[Mapping[str, Any]] = self.document["steps"]
        return steps


def load_plan(directory: Path) -> LoadedPlan:
    """A plan written by ``crmorg export --target zoho``; ValueError when it is not one."""
    plan_file = directory / "plan.json"
    if not plan_file.is_file():
        raise ValueError(f"{directory} holds no plan.json (export with --target zoho first)")
    document = json.loads(plan_file.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or document.get("format") != "crmorg.zoho-plan/1":
        raise ValueError(f"{plan_file} is not a crmorg Zoho plan (format crmorg.zoho-plan/1)")
    bodies = {}
    for step in document["steps"]:
        name = step["body"]
        path = directory / name
        if ".." in Path(name).parts or not path.is_file():
            raise ValueError(f"step {step['name']}: its body {name} is missing")
        bodies[name] = json.loads(path.read_text(encoding="utf-8"))
    return LoadedPlan(document, bodies)


def urllib_transport(timeout: float = 60.0) -> Transport:
    """HTTPS requests through the standard library."""

    def send(
        method: str, url: str, headers: Mapping[str, str], body: bytes | None
    ) -> tuple[int, bytes]:
        request = urllib.request.Request(url, data=body, method=method, headers=dict(headers))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as failure:
            return failure.code, failure.read()

    return send


class _Session:
    def __init__(
        self,
        api_domain: str,
        token: str,
        transport: Transport,
        sleep: Callable[[float], None],
        retries: int,
    ) -> None:
        self.api_domain = api_domain.rstrip("/")
        self.token = token
        self.transport = transport
        self.sleep = sleep
        self.retries = retries
        self.known: dict[str, str] = {}
        """ref -> id: ``existing-role:CEO``, ``permission:Leads:...``, step names."""
        self.existing: dict[tuple[str, str], str] = {}
        """(kind, name) -> id of what the organisation already has."""

    def url(self, step: str, path: str, params: Mapping[str, str]) -> str:
        filled = _PLACEHOLDER.sub(lambda m: urllib.parse.quote(self.ref(step, m.group(1))), path)
        query = urllib.parse.urlencode(sorted(params.items()))
        return f"{self.api_domain}{filled}" + (f"?{query}" if query else "")

    def ref(self, step: str, ref: str) -> str:
        found = self.known.get(ref)
        if found is None:
            kind, _, name = ref.partition(":")
            where = {
                "existing-role": "the organisation has no role of that name",
                "existing-profile": "the organisation has no profile of that name",
                "permission": "the Standard profile has no such permission (module not there?)",
                "field": "the module has no field of that API name: create it first",
            }.get(kind, "its step has not run")
            raise DeployError(step, f"cannot resolve {ref} ({where}; {name})")
        return found

    def call(self, step: str, method: str, url: str, body: Any | None) -> tuple[int, Any]:
        """Send one request; while Zoho says to come back later (a sharing rule still
        being computed, too many requests), wait and send it again."""
        for attempt in range(self.retries + 1):
            status, answer = self._call_once(step, method, url, body)
            if not _busy(status, answer) or attempt == self.retries:
                break
            self.sleep(min(2.0**attempt, 60.0))
        if status >= 400:
            raise DeployError(step, f"{method} {url}: HTTP {status}: {_zoho_message(answer)}")
        return status, answer

    def _call_once(self, step: str, method: str, url: str, body: Any | None) -> tuple[int, Any]:
        headers = {"Authorization": f"Zoho-oauthtoken {self.token}", "Accept": "application/json"}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")
        try:
            status, raw = self.transport(method, url, headers, data)
        except OSError as failure:
            raise DeployError(step, f"{method} {url} failed: {failure}") from failure
        try:
            answer = json.loads(raw.decode("utf-8")) if raw.strip() else {}
        except (UnicodeDecodeError, json.JSONDecodeError) as failure:
            raise DeployError(step, f"{method} {url}: HTTP {status}, not JSON") from failure
        return status, answer


_BUSY = frozenset({"CANNOT_PROCESS", "TOO_MANY_REQUESTS"})
"""Zoho's codes for "not now": a module's sharing rules are being computed (each new
rule starts that), or the API's rate limit is reached."""


def _busy(status: int, answer: Any) -> bool:
    if status == 429:
        return True
    codes = [answer.get("code")] if isinstance(answer, dict) else []
    codes += [e.get("code") for e in _entries(answer)]
    return any(code in _BUSY for code in codes)


def _zoho_message(answer: Any) -> str:
    """Zoho's error: ``code``, ``message`` and ``details``, at the top or in a list."""
    entries: list[Any] = [answer]
    if isinstance(answer, dict):
        for value in answer.values():
            if isinstance(value, list):
                entries += value
    for entry in entries:
        if isinstance(entry, dict) and "code" in entry:
            details = entry.get("details")
            extra = f" {json.dumps(details, sort_keys=True)}" if details else ""
            return f"{entry.get('code')}: {entry.get('message', '')}{extra}"
    return json.dumps(answer, sort_keys=True)[:300]


def _entries(answer: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(answer, dict):
        for value in answer.values():
            if isinstance(value, list):
                yield from (e for e in value if isinstance(e, dict))


def _read(session: _Session, plan: LoadedPlan) -> None:
    for read in plan.document["phase1"]:
        name = f"read {read['name']}"
        answer = _all_pages(session, name, read["path"], read["params"])
        read_kind = read["name"].split(":", 1)[0]
        if read_kind in _READ_KEYS:
            key, kind = _READ_KEYS[read_kind]
            for entry in answer.get(key, []) if isinstance(answer, dict) else []:
                label = entry.get("email") if kind == "user" else entry.get("name")
                if label is not None and entry.get("id") is not None:
                    session.existing[_existing_key(kind, str(label))] = str(entry["id"])
                    if kind in ("role", "profile"):
                        session.known[f"existing-{kind}:{label}"] = str(entry["id"])
        elif read["name"] == "permissions":
            for profile in _entries(answer):
                for detail in profile.get("permissions_details") or []:
                    key = f"permission:{detail.get('module')}:{detail.get('name')}"
                    session.known[key] = str(detail.get("id"))
        elif read["name"].startswith("fields:"):
            module = read["name"].split(":", 1)[1]
            for entry in _entries(answer):
                session.known[f"field:{module}:{entry.get('api_name')}"] = str(entry.get("id"))


def _existing_key(kind: str, name: str) -> tuple[str, str]:
    """How an existing object is found by name: a user by email, whatever its case."""
    return (kind, name.casefold() if kind == "user" else name)


def _refs(step: Mapping[str, Any], body: Any) -> list[str]:
    """Every ref a step needs: its ``resolve`` entries, and its permissions by name."""
    refs = [ref["ref"] for ref in step["resolve"]]
    if step.get("resolve_permissions"):
        refs += [
            f"permission:{detail['module']}:{detail['name']}"
            for entry in body["profiles"]
            for detail in entry["permissions_details"]
        ]
    return refs


def _all_pages(session: _Session, name: str, path: str, params: Mapping[str, str]) -> Any:
    """A read, and its further pages while Zoho's ``info.more_records`` says so (users
    and user groups come 200 a page), merged into the first page's lists."""
    _, answer = session.call(name, "GET", session.url(name, path, params), None)
    page = 1
    while isinstance(answer, dict) and (answer.get("info") or {}).get("more_records"):
        page += 1
        paged = {**params, "page": str(page)}
        _, more = session.call(name, "GET", session.url(name, path, paged), None)
        if not isinstance(more, dict):
            break
        for key, value in more.items():
            if isinstance(value, list) and isinstance(answer.get(key), list):
                answer[key] = [*answer[key], *value]
        answer["info"] = more.get("info") or {}
    return answer


def _put(body: Any, at: list[Any], value: str) -> None:
    target = body
    for key in at[:-1]:
        target = target[key]
    target[at[-1]] = value


def _apply(session: _Session, plan: LoadedPlan, step: Mapping[str, Any], dry_run: bool) -> Outcome:
    """Send one step (or, in a dry run, check that everything it needs resolves)."""
    name, method, path, params = step["name"], step["method"], step["path"], step["params"]
    creates = step.get("creates")
    found = (
        None
        if creates is None
        else session.existing.get(_existing_key(creates["kind"], creates["name"]))
    )
    if found is not None:
        session.known[name] = found
        if step.get("update_path") is None:
            return Outcome(name, "would keep" if dry_run else "kept", method, path, found)
        method, path = "PUT", step["update_path"].replace("{existing}", found)
    if dry_run:
        if step.get("blocked"):
            session.known[name] = f"<{name}>"
            return Outcome(name, f"blocked: {step['blocked']}", method, path)
        session.known.setdefault(name, f"<{name}>")
        for ref in _refs(step, plan.bodies[step["body"]]):
            session.ref(name, ref)
        would = "would update" if found else "would create" if creates else "would send"
        return Outcome(name, would, method, path, found)
    body = copy.deepcopy(plan.bodies[step["body"]])
    for ref in step["resolve"]:
        _put(body, ref["at"], session.ref(name, ref["ref"]))
    if step.get("resolve_permissions"):
        for entry in body["profiles"]:
            for detail in entry["permissions_details"]:
                detail["id"] = session.ref(name, f"permission:{detail['module']}:{detail['name']}")
    url = session.url(name, path, params)
    _, answer = session.call(name, method, url, body)
    failed = [e for e in _entries(answer) if str(e.get("status", "success")) != "success"]
    if failed:
        raise DeployError(name, f"{method} {url}: {_zoho_message({'x': failed})}")
    if found is not None:
        return Outcome(name, "updated existing", method, path, found)
    created = next(
        (
            str(e["details"]["id"])
            for e in _entries(answer)
            if isinstance(e.get("details"), dict) and "id" in e["details"]
        ),
        None,
    )
    if creates is not None:
        if created is None:
            raise DeployError(name, f"{method} {url}: the response holds no id")
        session.known[name] = created
    return Outcome(name, "created" if creates else "updated", method, path, created)


def deploy(
    plan: LoadedPlan,
    *,
    token: str | None,
    api_domain: str = DEFAULT_API_DOMAIN,
    transport: Transport | None = None,
    dry_run: bool = False,
    sleep: Callable[[float], None] = time.sleep,
    retries: int = 8,
) -> list[Outcome]:
    """Apply ``plan``; with ``dry_run`` send nothing but phase 1's reads (and, without a
    token, nothing at all). A request Zoho answers "not now" is sent again up to
    ``retries`` times, waiting 1, 2, 4... seconds (``sleep``). Raises
    :class:`DeployError` on the first failure."""
    blocked = [s["name"] for s in plan.steps if s.get("blocked")]
    if blocked and not dry_run:
        shown = ", ".join(blocked[:10]) + (
            f" and {len(blocked) - 10} more" if len(blocked) > 10 else ""
        )
        reason = next(s["blocked"] for s in plan.steps if s.get("blocked"))
        raise DeployError(blocked[0], f"{len(blocked)} step(s) cannot run yet ({shown}): {reason}")
    if token is None:
        if not dry_run:
            raise DeployError("read roles", "no access token")
        return [
            Outcome(
                s["name"],
                f"blocked: {s['blocked']}" if s.get("blocked") else "would send",
                s["method"],
                s["path"],
            )
            for s in plan.steps
        ]
    session = _Session(api_domain, token, transport or urllib_transport(), sleep, retries)
    _read(session, plan)
    outcomes: list[Outcome] = []
    for step in plan.steps:
        outcomes.append(_apply(session, plan, step, dry_run))
    return outcomes
