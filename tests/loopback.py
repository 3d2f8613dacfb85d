"""A small real HTTP server on 127.0.0.1 that speaks OpenAI chat completions, counts requests, and can
answer with the faults a real server cannot be made to produce on demand (429, 5xx, resets, stalls)."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def completion(text: str = "Ruritania") -> dict:
    return {
        "id": "cmpl-1", "object": "chat.completion", "created": 0, "model": "loopback",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 2, "total_tokens": 12},
    }


def echo(messages) -> str:
    """The answer an ("echo", seconds) action gives to these messages."""
    return "echo " + hashlib.sha256(json.dumps(messages, sort_keys=True).encode()).hexdigest()[:12]


class LoopbackServer:
    """``script`` is a list of actions for successive requests; the last one repeats.

    Actions: ("ok", text) | ("slow", seconds, text) | ("status", code, headers) | ("reset",)
    | ("stall", seconds) | ("raw", body) | ("echo", seconds): after ``seconds``, an answer derived from
    the request's messages (``echo(messages)``). ``answered`` lists the requests that got a full response;
    ``max_in_flight`` is the most requests the server was handling at once.
    """

    def __init__(self, script=None, port: int = 0):
        self.script = list(script or [("ok", "Ruritania")])
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.answered: list[dict] = []
        self.in_flight = self.max_in_flight = 0
        self._count = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                with server._count:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    self._post()
                finally:
                    with server._count:
                        server.in_flight -= 1

            def _post(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with server._count:  # requests arrive on several threads at once
                    server.headers.append({k.lower(): v for k, v in self.headers.items()})
                    try:
                        request = json.loads(body)
                    except ValueError:
                        request = {"raw": body.decode("utf-8", "replace")}
                    server.requests.append(request)
                    action = server.script[min(len(server.requests) - 1, len(server.script) - 1)]
                kind = action[0]
                if kind == "reset":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    self.connection.close()
                    return
                if kind == "stall":
                    time.sleep(action[1])
                    return
                if kind == "status":
                    payload = json.dumps({"error": {"message": "injected", "type": "test"}}).encode()
                    self.send_response(action[1])
                    for k, v in (action[2] if len(action) > 2 else {}).items():
                        self.send_header(k, v)
                else:
                    if kind == "slow":
                        time.sleep(action[1])
                        action = ("ok", action[2])
                    if kind == "echo":
                        time.sleep(action[1])
                        action = kind, echo(request.get("messages"))
                    payload = action[1].encode() if kind == "raw" else json.dumps(completion(action[1])).encode()
                    self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                self.wfile.flush()
                server.answered.append(request)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def __enter__(self) -> "LoopbackServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
