"""A fake Zoho CRM on localhost: phase 1 reads get the responses recorded in
``recorded/`` (written here in the shape Zoho's API documentation gives), every POST and
PUT is recorded and answered as Zoho answers a success, with a new id."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

RECORDED = Path(__file__).parent / "recorded"
TOKEN = "1000.test-token"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    authorization: str | None
    created: str | None = None
    """The id the fake gave what this request created."""


@dataclass
class FakeZoho:
    url: str = ""
    requests: list[Request] = field(default_factory=list)
    fail: Callable[[Request], bool] = lambda request: False
    failure: tuple[int, Any] = (
        400,
        {
            "code": "INVALID_DATA",
            "details": {"api_name": "name"},
            "message": "invalid data",
            "status": "error",
        },
    )
    """What a request ``fail`` picks gets."""
    reads: dict[str, Any] = field(default_factory=dict)
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(5725767000009000001))

    def answer(self, request: Request) -> tuple[int, Any]:
        if request.authorization != f"Zoho-oauthtoken {TOKEN}":
            return 401, {
                "code": "INVALID_TOKEN",
                "details": {},
                "message": "invalid oauth token",
                "status": "error",
            }
        if self.fail(request):
            return self.failure
        path = request.path
        if request.method == "GET":
            module = request.query.get("module", [""])[0]
            if path == "/crm/v8/settings/fields":
                name = f"fields_{module}"
            elif path == "/crm/v8/settings/data_sharing/rules":
                name = f"sharing_rules_{module}"
            else:
                name = {
                    "/crm/v8/settings/roles": "roles",
                    "/crm/v8/settings/profiles": "profiles",
                    "/crm/v8/settings/profiles/5725767000000026014": "standard_profile",
                    "/crm/v8/users": "users",
                }.get(path, "")
                if name == "users" and request.query.get("page") == ["2"]:
                    name = "users_page2"
            if path == "/crm/v8/settings/user_groups":
                return 204, None
            if name in self.reads:
                return 200, self.reads[name]
            return 204, None
        key = next(iter(request.body))
        new_id = str(next(self.ids))
        if request.method == "POST":
            request.created = new_id
        return (201 if request.method == "POST" else 200), {
            key: [
                {
                    "code": "SUCCESS",
                    "details": {"id": new_id},
                    "message": "done",
                    "status": "success",
                }
            ]
        }


def _recorded() -> dict[str, Any]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in RECORDED.glob("*.json")}


@contextmanager
def running() -> Iterator[FakeZoho]:
    fake = FakeZoho(reads=_recorded())

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            split = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            request = Request(
                self.command,
                split.path,
                parse_qs(split.query),
                json.loads(raw.decode("utf-8")) if raw else None,
                self.headers.get("Authorization"),
            )
            fake.requests.append(request)
            status, answer = fake.answer(request)
            data = b"" if answer is None else json.dumps(answer).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
