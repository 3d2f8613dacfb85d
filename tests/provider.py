"""A provider-like OpenAI-compatible server on 127.0.0.1: it demands its API key (401 otherwise) and
knows its model names (404 otherwise), like a real provider, and its error messages echo the key it
was sent, as some providers do, so that a test can tell whether a client prints them. Accepted
requests are answered by ``backend`` (e.g. the embedded llama.cpp server) when given, else canned."""

from __future__ import annotations

import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from loopback import completion


class ProviderServer:
    def __init__(self, key: str, models: tuple[str, ...], backend: str | None = None, canned: str = "Ruritania"):
        self.key, self.models, self.backend, self.canned = key, set(models), backend, canned
        self.requests: list[dict] = []  # accepted requests' bodies
        self.rejected: list[int] = []  # status codes of refused requests
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                sent_key = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                request = json.loads(body or b"{}")
                if self.path != "/v1/chat/completions":
                    return self._reply(404, {"error": {"message": f"no route {self.path}", "code": "not_found"}})
                if sent_key != server.key:
                    return self._reply(401, {"error": {"message": f"Incorrect API key provided: {sent_key}",
                                                       "type": "invalid_request_error", "code": "invalid_api_key"}})
                if request.get("model") not in server.models:
                    return self._reply(404, {"error": {"message": f"The model `{request.get('model')}` does not "
                                                       "exist", "code": "model_not_found"}})
                server.requests.append(request)
                if server.backend:
                    forward = urllib.request.Request(server.backend + "/chat/completions", data=body,
                                                     headers={"Content-Type": "application/json"})
                    with urllib.request.urlopen(forward, timeout=120) as r:
                        return self._reply(200, json.loads(r.read()))
                return self._reply(200, completion(server.canned))

            def _reply(self, code: int, payload: dict) -> None:
                if code != 200:
                    server.rejected.append(code)
                data = json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> "ProviderServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
