"""A scripted OpenAI-compatible server: real HTTP on 127.0.0.1, canned answers, one per request.

`scripted_llm(steps)` starts a `ThreadingHTTPServer` on a free port in a daemon thread and
answers each `POST /v1/chat/completions` with the next step of the script:

- `tool_call(arguments)`: a ChatCompletion answering `arguments`: a call of the request's
  tool, or, when the request offers none (a JSON answer constrained by a schema, as briefer
  asks llama.cpp's servers), the message's content;
- `truncated(arguments)`: the same, cut off (`finish_reason: "length"`);
- `plain_text(content)`: an assistant message with text and no tool call;
- `http_error(status, body, headers)`: an error status, e.g. 429 with `Retry-After`;
- `malformed()`: status 200, `application/json`, but bytes that are not JSON;
- `disconnect()`: the connection is closed without any answer;
- `stall(seconds, then)`: wait, then play `then` (the client has usually given up by then);
- `fills_schema(**fields)`: an answer to whatever schema the request asks for, each item with
  its fixed or first choices (`answer_from_schema`), `fields` over it: the answer of a
  well-behaved model when a test cannot know the schema in advance (a long article's windows).

Once the script is used up, every request gets a 500 saying so, so a test that asks more
often than scripted fails loudly instead of hanging. Every request is recorded (path, headers,
parsed JSON body, arrival time) in `server.requests`. Nothing waits longer than a step says,
and a stall ends early when the server shuts down.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar


@dataclass(frozen=True)
class Step:
    """One scripted answer; build it with the helpers below."""

    kind: str
    arguments: str = ""
    content: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    seconds: float = 0.0
    then: Step | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0


def tool_call(arguments: str, *, prompt_tokens: int = 100, completion_tokens: int = 50) -> Step:
    return Step(
        "tool_call",
        arguments=arguments,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
    )


def truncated(arguments: str, *, prompt_tokens: int = 100, completion_tokens: int = 50) -> Step:
    return Step(
        "truncated",
        arguments=arguments,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
    )


def plain_text(content: str, *, prompt_tokens: int = 100, completion_tokens: int = 20) -> Step:
    return Step(
        "plain_text",
        content=content,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
    )


def http_error(
    status: int, body: str | dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> Step:
    if body is None:
        body = {"error": {"message": f"scripted HTTP {status}", "type": "server_error"}}
    data = json.dumps(body) if isinstance(body, dict) else body
    return Step("http_error", status=status, headers=headers or {}, body=data.encode())


def malformed() -> Step:
    return Step("malformed", body=b'{"id": "chatcmpl-broken", "choices": [{"mess')


def disconnect() -> Step:
    return Step("disconnect")


def stall(seconds: float, then: Step | None = None) -> Step:
    return Step("stall", seconds=seconds, then=then or http_error(504))


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: Any
    at: float = field(default_factory=time.monotonic)  # when it arrived, to measure back-offs


class ScriptedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, steps: Sequence[Step]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.steps = list(steps)
        self.requests: list[Recorded] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/v1"

    @property
    def remaining(self) -> int:
        """Steps not yet played."""
        return len(self.steps)

    def next_step(self, recorded: Recorded) -> Step | None:
        with self._lock:
            self.requests.append(recorded)
            return self.steps.pop(0) if self.steps else None

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (timeout) breaks the pipe: expected here, not worth a trace."""


class _Handler(BaseHTTPRequestHandler):
    server: ScriptedServer

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body: Any = json.loads(raw)
        except ValueError:
            body = raw.decode("utf-8", "replace")
        recorded = Recorded(self.path, dict(self.headers.items()), body)
        step = self.server.next_step(recorded)
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._send(404, {"error": {"message": f"no route {self.path}"}})
        elif step is None:
            self._send(500, {"error": {"message": "scripted server: script exhausted"}})
        else:
            self._play(step, body)

    def _play(self, step: Step, request: Any) -> None:
        if step.kind == "stall":
            if self.server.stopping.wait(step.seconds):
                return
            assert step.then is not None
            self._play(step.then, request)
        elif step.kind == "disconnect":
            self.close_connection = True
        elif step.kind == "http_error":
            self._send(step.status, step.body, step.headers)
        elif step.kind == "malformed":
            self._send(200, step.body)
        else:
            self._send(200, _completion(step, request))

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


def fills_schema(**fields: Any) -> Step:
    return Step("fills_schema", content=json.dumps(fields), prompt_tokens=100, completion_tokens=50)


def answer_from_schema(schema: dict[str, Any], **fields: Any) -> str:
    """A JSON answer valid for briefer's answer schema: a fixed-length list gets an item for
    each of its places, each with its constants, the first of its enums, `false` for a
    boolean and a short question for a phrase; an open list is left empty; a top-level
    phrase gets a short sentence. Then `fields` over it (headline, summary, ...)."""
    answer: dict[str, Any] = {"headline": "A headline", "summary": "A summary."}
    for name, prop in schema["properties"].items():
        if name in answer:
            continue
        if "prefixItems" not in prop:
            answer[name] = [] if prop.get("type") == "array" else "A phrase."
            continue
        items = []
        for item in prop["prefixItems"]:
            definition = schema["$defs"][item["$ref"].split("/")[-1]]
            value: dict[str, Any] = {}
            for key, field_schema in definition["properties"].items():
                if "const" in field_schema:
                    value[key] = field_schema["const"]
                elif "enum" in field_schema:
                    value[key] = field_schema["enum"][0]
                elif "prefixItems" in field_schema:
                    value[key] = [part["const"] for part in field_schema["prefixItems"]]
                elif field_schema.get("type") == "boolean":
                    value[key] = False
                else:
                    value[key] = "What happens next?"
            items.append(value)
        answer[name] = items
    answer.update(fields)
    return json.dumps(answer)


def _requested_schema(request: Any) -> dict[str, Any]:
    """The JSON Schema a request asks its answer to follow: llama.cpp's response format,
    or the offered tool's parameters."""
    if request.get("tools"):
        return request["tools"][0]["function"]["parameters"]
    return request["response_format"]["schema"]


def _completion(step: Step, request: Any) -> dict[str, Any]:
    """A ChatCompletion body for an answer, a truncated answer or plain text. An answer is a
    tool call when the request offers a tool, else (a request for JSON constrained by a
    schema, as briefer sends llama.cpp's servers) the message's JSON content."""
    message: dict[str, Any] = {"role": "assistant", "content": None}
    finish_reason = {"tool_call": "tool_calls", "truncated": "length"}.get(step.kind, "stop")
    offers_tool = isinstance(request, dict) and bool(request.get("tools"))
    if step.kind == "fills_schema":
        fields = json.loads(step.content)
        step = tool_call(answer_from_schema(_requested_schema(request), **fields))
    if step.kind == "plain_text":
        message["content"] = step.content
    elif not offers_tool:
        message["content"] = step.arguments
        finish_reason = "length" if step.kind == "truncated" else "stop"
    else:
        try:
            name = request["tools"][0]["function"]["name"]
        except (KeyError, IndexError, TypeError):
            name = "unknown_tool"
        message["tool_calls"] = [
            {
                "id": "call_scripted",
                "type": "function",
                "function": {"name": name, "arguments": step.arguments},
            }
        ]
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": request.get("model", "scripted") if isinstance(request, dict) else "scripted",
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {
            "prompt_tokens": step.prompt_tokens,
            "completion_tokens": step.completion_tokens,
            "total_tokens": step.prompt_tokens + step.completion_tokens,
        },
    }


@contextmanager
def scripted_llm(steps: Sequence[Step]) -> Iterator[ScriptedServer]:
    """Serve `steps` for the duration of the `with` block, then shut down cleanly."""
    with serving(ScriptedServer(steps)) as server:
        yield server


_S = TypeVar("_S", bound=ScriptedServer)


@contextmanager
def serving(server: _S) -> Iterator[_S]:
    """Run any `ScriptedServer` (or subclass) in a daemon thread for the `with` block."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
