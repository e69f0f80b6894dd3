"""A small OpenAI-compatible chat-completions server on 127.0.0.1 for tests.

It speaks the real HTTP protocol the openai SDK uses, so the kit's client code runs for real.
Each request takes the next scripted behaviour (a reply, a status code, a hang, a truncated
or HTML body, empty choices); when the script is empty, `default` computes the reply.
`LlamaServer` runs llama.cpp's own server with a real GGUF model, for the same client code.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass
class Behaviour:
    kind: str  # reply | status | hang | truncated | html | empty_choices | slow
    content: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    finish_reason: str = "stop"
    seconds: float = 0.0
    error: dict[str, Any] = field(default_factory=dict)  # extra fields of a status reply's error object


def completion(content: str, finish_reason: str = "stop", model: str = "test-model") -> dict[str, Any]:
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                     "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150},
    }


def is_judge_request(request: dict[str, Any]) -> bool:
    """Whether a request is kit's check of claims (prompts/judge.yaml) rather than an answer or summary."""
    messages = request.get("messages") or [{}]
    return str(messages[0].get("content", "")).startswith("You check claims against quotes")


def agreeing_judge(request: dict[str, Any]) -> str:
    """A judge that finds every claim stated by its quotes (it can only withdraw support, never add it)."""
    user = str(request["messages"][-1]["content"]).split("Now the claims to check:", 1)[-1]
    numbers = sorted({int(n) for n in re.findall(r"^Claim (\d+):", user, re.M)})
    return json.dumps({"verdicts": [{"claim": n, "follows": True} for n in numbers]})


class FakeOpenAI:
    """Start with `with FakeOpenAI() as server:`; `server.base_url` goes in KIT_LLM_BASE_URL."""

    def __init__(self, default: Callable[[dict[str, Any]], str] | None = None,
                 judge: Callable[[dict[str, Any]], str] | None = None) -> None:
        self.script: deque[Behaviour] = deque()
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.default = default or (lambda request: '{"answer": "NOT_IN_DOCUMENTS", "quotes": []}')
        self.judge = judge or agreeing_judge  # kit's check of claims (prompts/judge.yaml), apart from the script
        self.finish_reason = "stop"  # of `default`'s replies: "length" says the reply was cut off at max_tokens
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def push(self, kind: str, **options: Any) -> None:
        self.script.append(Behaviour(kind, **options))

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                server.requests.append(body)
                server.headers.append(dict(self.headers))
                if is_judge_request(body):
                    behaviour = Behaviour("reply", server.judge(body))
                elif server.script:
                    behaviour = server.script.popleft()
                else:
                    behaviour = Behaviour("reply", server.default(body), finish_reason=server.finish_reason)
                server._respond(self, behaviour)

        return Handler

    def _respond(self, h: BaseHTTPRequestHandler, b: Behaviour) -> None:
        if b.kind == "hang":
            time.sleep(b.seconds)
            return
        if b.kind == "status":
            error = {"message": b.content or "error", "type": "test", **b.error}
            self._send(h, b.status, json.dumps({"error": error}), b.headers)
        elif b.kind == "truncated":
            self._send(h, 200, json.dumps(completion(b.content))[:40])
        elif b.kind == "html":
            self._send(h, 200, "<html><body>Bad gateway</body></html>", {"Content-Type": "text/html"})
        elif b.kind == "empty_choices":
            self._send(h, 200, json.dumps({**completion(""), "choices": []}))
        elif b.kind == "slow":
            time.sleep(b.seconds)
            self._send(h, 200, json.dumps(completion(b.content, b.finish_reason)))
        else:
            self._send(h, 200, json.dumps(completion(b.content, b.finish_reason)))

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, body: str, headers: dict[str, str] | None = None) -> None:
        data = body.encode()
        try:
            h.send_response(status)
            headers = {"Content-Type": "application/json", **(headers or {})}
            for key, value in headers.items():
                h.send_header(key, value)
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout tests)


class LlamaServer:
    """llama.cpp's own OpenAI-compatible HTTP server (xllamacpp) on 127.0.0.1, in a child process.

    `with LlamaServer(model, context=2048, api_key=key) as server:` then `server.base_url`.
    The child exits when its stdin closes, so a failed test never leaves it running."""

    def __init__(self, model: str, context: int, api_key: str) -> None:
        self.args = [sys.executable, "-m", "tests.llm_server", model, str(context), api_key]
        self.process: subprocess.Popen[str] | None = None
        self.base_url = ""

    def __enter__(self) -> LlamaServer:
        self.process = subprocess.Popen(self.args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        cwd=Path(__file__).resolve().parent.parent)
        assert self.process.stdout is not None
        address = self.process.stdout.readline().strip()  # printed once the model is loaded
        if not address.startswith("http://127.0.0.1:"):
            self.__exit__()
            raise RuntimeError(f"llama.cpp server did not start: {address!r}")
        self.base_url = address + "/v1"
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def serve(model: str, context: int, api_key: str) -> None:
    """Child process: load the model, print the address, serve until stdin closes."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = model
    params.n_ctx = context
    params.n_parallel = 1
    params.verbosity = -1
    params.cpuparams.poll = params.cpuparams_batch.poll = 0
    params.api_keys = [api_key]
    server = xllamacpp.Server(params)
    print(server.listening_address, flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]), sys.argv[3])
