#!/usr/bin/env python3
"""A webhook receiver for tests, checking deliveries exactly as a third party would.

Listens on 127.0.0.1 (a free port, printed as the first line on stdout), verifies `DeskPilot-Signature`
(HMAC-SHA256 with the shared secret over "<t>.<raw body>", constant-time comparison, t at most 5 minutes old),
records every delivery as one JSON line in --log, and answers 200 (401 when the signature does not verify).
Exits when its stdin closes, so it never outlives the test that started it.

Misbehaving on purpose, for the next N deliveries (POST /_control with a JSON object, answered once applied):
  {"fail": N, "status": 500}            answer with that status
  {"hang": N, "seconds": 15}            wait that long before answering
  {"huge": N, "bytes": 10485760}        answer 200 with a body of that size
      (with "stall_after": B, "seconds": S: send B bytes of it, then stall S seconds before the rest)
  {"redirect": N, "location": "..."}    answer 302 to that location
  {"reset": true}                       forget all of the above
Or always, by path: /status/<code>, /hang, /huge, /redirect.
GET /_deliveries returns the recorded deliveries as a JSON array.

Usage: webhook_receiver.py --secret whsec_... --log deliveries.jsonl [--cert cert.pem --key key.pem]
"""

import argparse
import hashlib
import hmac
import json
import os
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_AGE_SECONDS = 300


def verify(secret: str, header: str, body: bytes, now: float) -> tuple[bool, str]:
    """Checks a `t=<unix seconds>,v1=<hex>` header the way the documentation tells receivers to."""
    if not header:
        return False, "no signature header"
    timestamp, signatures = None, []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t":
            timestamp = value
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not timestamp.isdigit() or not signatures:
        return False, "malformed signature header"
    if abs(now - int(timestamp)) > MAX_AGE_SECONDS:
        return False, "timestamp outside the tolerance"
    expected = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()
    if any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        return True, "ok"
    return False, "signature mismatch"


class Behaviour:
    """What the next deliveries get, as told through /_control."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.pending = {"hang": 0, "fail": 0, "huge": 0, "redirect": 0}
        self.status = 500
        self.seconds = 15.0
        self.bytes = 10 * 1024 * 1024
        self.location = "https://example.com/elsewhere"
        self.stall_after = 0

    def apply(self, command: dict):
        with self.lock:
            if command.get("reset"):
                self.reset()
            for mode in self.pending:
                if mode in command:
                    self.pending[mode] = int(command[mode])
            self.status = int(command.get("status", self.status))
            self.seconds = float(command.get("seconds", self.seconds))
            self.bytes = int(command.get("bytes", self.bytes))
            self.location = command.get("location", self.location)
            self.stall_after = int(command.get("stall_after", self.stall_after))

    def next_mode(self, path: str):
        with self.lock:
            for mode in ("hang", "fail", "huge", "redirect"):
                if self.pending[mode] > 0:
                    self.pending[mode] -= 1
                    return mode, self.status
        if path.startswith("/status/") and path[8:].isdigit():
            return "fail", int(path[8:])
        for mode in ("hang", "huge", "redirect"):
            if path == "/" + mode:
                return mode, 200
        return None, 200


class Recorder:
    def __init__(self, path: str):
        self.lock = threading.Lock()
        self.path = path
        self.records = []
        open(path, "w").close()

    def add(self, record: dict):
        line = json.dumps(record, sort_keys=True)
        with self.lock:
            self.records.append(record)
            with open(self.path, "a") as log:
                log.write(line + "\n")

    def all(self):
        with self.lock:
            return list(self.records)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so a sender can reuse connections

    def log_message(self, format, *args):
        pass

    def answer(self, status: int, body: bytes = b"", content_type: str = "application/json", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        if self.path == "/_deliveries":
            self.answer(200, json.dumps(self.server.recorder.all()).encode())
        else:
            self.answer(404, b'{"error":"not found"}')

    def do_POST(self):
        body = self.read_body()
        if self.path == "/_control":
            self.server.behaviour.apply(json.loads(body or b"{}"))
            self.answer(200, b'{"ok":true}')
            return
        verified, reason = verify(self.server.secret, self.headers.get("DeskPilot-Signature", ""), body, time.time())
        try:
            payload_id = json.loads(body).get("id")
        except (ValueError, AttributeError):
            payload_id = None
        mode, status = self.server.behaviour.next_mode(self.path)
        self.server.recorder.add({
            # How it will be answered: "ok" (200), "unverified" (401), or the misbehaviour ("fail", "hang", …).
            "answer": mode or ("ok" if verified else "unverified"),
            "delivery_id": self.headers.get("DeskPilot-Delivery"),
            "event": self.headers.get("DeskPilot-Event"),
            "verified": verified,
            "reason": reason,
            "path": self.path,
            "host": self.headers.get("Host"),
            "content_type": self.headers.get("Content-Type"),
            "user_agent": self.headers.get("User-Agent"),
            "payload_id": payload_id,
            "peer_port": self.client_address[1],
            "received_at": time.time(),
        })
        try:
            if mode == "hang":
                time.sleep(self.server.behaviour.seconds)
                self.answer(200, b'{"ok":true,"late":true}')
            elif mode == "fail":
                self.answer(status, b'{"error":"failing on purpose"}')
            elif mode == "huge":
                self.send_huge(self.server.behaviour.bytes)
            elif mode == "redirect":
                self.answer(302, b"", headers=[("Location", self.server.behaviour.location)])
            elif not verified:
                self.answer(401, json.dumps({"error": reason}).encode())
            else:
                self.answer(200, b'{"ok":true}')
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.close_connection = True

    def send_huge(self, size: int):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        chunk = b"x" * 65536
        sent = 0
        stall_after = self.server.behaviour.stall_after
        while sent < size:
            if stall_after and sent >= stall_after:
                self.wfile.flush()
                time.sleep(self.server.behaviour.seconds)
                stall_after = 0
            piece = chunk[: min(len(chunk), size - sent, (stall_after - sent) if stall_after else len(chunk))]
            self.wfile.write(piece)
            sent += len(piece)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    arguments = parser.parse_args()

    ThreadingHTTPServer.request_queue_size = 256
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.secret = arguments.secret
    server.recorder = Recorder(arguments.log)
    server.behaviour = Behaviour()
    if arguments.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(arguments.cert, arguments.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)

    def exit_when_stdin_closes():
        while sys.stdin.buffer.read(4096):
            pass
        os._exit(0)

    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
