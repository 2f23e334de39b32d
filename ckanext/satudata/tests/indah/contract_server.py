"""A stand-in for BPS's INDAH v2 metadata API that enforces the contract the portal
relies on (ckanext/satudata/indah/client.py), for tests: INDAH itself cannot be
reached from the machines the tests run on.

It checks the bearer token, checks every body against the JSON Schema shipped
with the portal (indah-v2.schema.json), refuses a child whose ``ms_keg_id`` is
unknown, answers ``{"result": [{"id", "status", …}]}``, and lets a test script
faults (a 4xx with a message, a 500, a delay longer than the client's timeout)
and BPS's decisions (a status and review notes).
"""
from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ckanext.satudata.indah import payload

BASE = "/sdi/v2/metadata-statistik/"
DEFINITIONS = {"kegiatan": "mskeg", "variabel": "msvar", "indikator": "msind"}


@dataclass
class Fault:
    status: int = 500
    message: str = "Internal Server Error"
    delay: float = 0.0


@dataclass
class Contract:
    token: str
    records: dict[str, dict[str, dict]] = field(
        default_factory=lambda: {k: {} for k in DEFINITIONS})
    requests: list[dict[str, Any]] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    _ids: Any = field(default_factory=lambda: itertools.count(9001))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, times: int = 1, **fault) -> None:
        """The next TIMES requests answer with FAULT (status, message, delay)."""
        self.faults += [Fault(**fault) for _ in range(times)]

    def decide(self, indah_id: str, status: str, reviews: list | None = None,
               rejection_note: str | None = None) -> None:
        """BPS's decision on a kegiatan, as the next GET shows it."""
        record = self.records["kegiatan"][str(indah_id)]
        record.update(status=status, reviews=reviews or [], rejection_note=rejection_note)

    def handle(self, method: str, path: str, headers, body: bytes) -> tuple[int, dict]:
        with self.lock:
            self.requests.append({"method": method, "path": path,
                                  "authorization": headers.get("Authorization")})
            fault = self.faults.pop(0) if self.faults else None
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status:
                return fault.status, {"message": fault.message}
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {"message": "Token tidak valid atau kedaluwarsa"}
        if not path.startswith(BASE):
            return 404, {"message": "Not found"}
        parts = path[len(BASE):].strip("/").split("/")
        kind, indah_id = parts[0], (parts[1] if len(parts) > 1 else None)
        if kind not in DEFINITIONS:
            return 404, {"message": "Not found"}
        with self.lock:
            if method == "GET":
                found = self.records[kind].get(str(indah_id))
                return (200, {"result": [found]}) if found else (404, {"message": "Tidak ditemukan"})
            if method not in ("POST", "PUT"):
                return 405, {"message": "Method not allowed"}
            try:
                data = json.loads(body or b"{}")
            except ValueError:
                return 400, {"message": "Body bukan JSON"}
            problems = payload.valid(data, DEFINITIONS[kind])
            if problems:
                return 400, {"message": "Validasi gagal: " + "; ".join(problems[:5]),
                             "errors": problems}
            if kind != "kegiatan" and str(data.get("ms_keg_id")) not in self.records["kegiatan"]:
                return 400, {"message": f"ms_keg_id {data.get('ms_keg_id')} tidak dikenal"}
            if method == "PUT":
                if str(indah_id) not in self.records[kind]:
                    return 404, {"message": "Tidak ditemukan"}
                record = self.records[kind][str(indah_id)]
                record.update(body=data, status="SUBMITTED" if kind == "kegiatan" else "DRAFT",
                              versions=record.get("versions", 1) + 1)
                return 200, {"result": [record]}
            new_id = str(next(self._ids))
            record = {"id": int(new_id), "status": "SUBMITTED" if kind == "kegiatan" else "DRAFT",
                      "reviews": [], "rejection_note": None, "body": data, "versions": 1}
            self.records[kind][new_id] = record
            return 201, {"result": [record]}


def serve(contract: Contract) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            status, body = contract.handle(self.command, self.path, self.headers,
                                           self.rfile.read(length) if length else b"")
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a timeout test)

        do_GET = do_POST = do_PUT = do_DELETE = _answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
