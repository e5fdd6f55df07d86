"""Service overhead and load: the API's time to first streamed token minus the backend's own,
then 50 concurrent streaming chats for 30 s.

usage: python benchmarks/serve.py [--concurrency 50] [--seconds 30] [--delay 0.2] [--json]
The backend is a local fake OpenAI-compatible server (tests/fakes) that waits --delay seconds
before each streamed piece, so the backend's own first-token time is known and fixed. The
avatar runs behind a real uvicorn on 127.0.0.1 over the bundled sample blog.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import httpx
import uvicorn

from api.app import create_app
from api.settings import Settings
from benchmarks.common import figure, print_figures
from knowledge.archive import Archive
from knowledge.readers import read_source
from tests.fakes import OpenAIFake

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "Should companies pay for the open-source software they depend on?"
REPLY = ("I believe companies should pay the people who maintain what they use [1]. "
         "It is a normal cost of doing business.\n\nRegards, Ada")


def free_port() -> int:
    """A free port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def first_token_backend(client: httpx.AsyncClient, base: str) -> float:
    """Seconds until the fake backend's first streamed content chunk."""
    started = time.perf_counter()
    body = {"model": "fake", "stream": True, "messages": [{"role": "user", "content": "hi"}]}
    async with client.stream("POST", f"{base}/v1/chat/completions", json=body,
                             headers={"Authorization": "Bearer test-key"}) as response:
        async for line in response.aiter_lines():
            if not line.startswith("data:") or line.endswith("[DONE]"):
                continue
            choices = json.loads(line[5:]).get("choices") or [{}]
            if choices[0].get("delta", {}).get("content"):  # not the empty role chunk
                return time.perf_counter() - started
    raise RuntimeError("the backend sent no content")


async def chat(client: httpx.AsyncClient, api: str) -> tuple[float, float]:
    """(time to first token event, total time) of one streamed /v1/chat."""
    started = time.perf_counter()
    first = 0.0
    body = {"message": QUESTION, "history": [], "stream": True}
    async with client.stream("POST", f"{api}/v1/chat", json=body) as response:
        response.raise_for_status()
        event = ""
        async for line in response.aiter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
                if event == "token" and not first:
                    first = time.perf_counter() - started
                if event == "error":
                    raise RuntimeError("error event")
    if not first:
        raise RuntimeError("no token event")
    return first, time.perf_counter() - started


def pct(values: list[float], q: float) -> float:
    """The q-quantile of values (0..1)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(api: str, backend: str, rounds: int, concurrency: int,
                  seconds: float) -> list[dict[str, object]]:
    """Print the overhead figure and the load figures, and return them."""
    async with httpx.AsyncClient(timeout=60) as client:
        await chat(client, api)  # warm-up: model clients, caches
        backend_ttft = [await first_token_backend(client, backend) for _ in range(rounds)]
        api_ttft = [(await chat(client, api))[0] for _ in range(rounds)]
    b50, a50 = statistics.median(backend_ttft), statistics.median(api_ttft)
    print(f"first token: backend alone p50 {b50 * 1000:.0f} ms, through the API p50 "
          f"{a50 * 1000:.0f} ms -> overhead {(a50 - b50) * 1000:.0f} ms (limit 50, ratio "
          f"{(a50 - b50) * 1000 / 50:.2f})")

    errors: list[str] = []
    totals: list[float] = []
    firsts: list[float] = []
    deadline = time.perf_counter() + seconds

    async def worker(client: httpx.AsyncClient) -> None:
        while time.perf_counter() < deadline:
            try:
                first, total = await chat(client, api)
                firsts.append(first)
                totals.append(total)
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")

    limits = httpx.Limits(max_connections=concurrency + 5)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    print(f"load: {concurrency} concurrent streaming chats for {seconds:.0f} s: "
          f"{len(totals)} replies, errors {len(errors)}; first token p50 "
          f"{pct(firsts, .5) * 1000:.0f} ms p95 {pct(firsts, .95) * 1000:.0f} ms; whole reply "
          f"p50 {pct(totals, .5) * 1000:.0f} ms p95 {pct(totals, .95) * 1000:.0f} ms")
    for error in sorted(set(errors))[:5]:
        print(f"  error: {error}")
    load = f"{concurrency} concurrent streaming chats for {seconds:.0f} s"
    return [
        figure("first-token overhead", (a50 - b50) * 1000, unit="ms",
               note=f"p50 of {rounds}: API {a50 * 1000:.0f} ms, backend {b50 * 1000:.0f} ms"),
        figure("load errors", len(errors), note=f"{load}, {len(totals)} replies"),
        figure("load first token p95", pct(firsts, .95) * 1000 if firsts else None, unit="ms",
               note=load),
    ]


def main() -> None:
    """Start the fake backend and the API, then measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--delay", type=float, default=0.2, help="backend delay per piece")
    parser.add_argument("--json", action="store_true", help="end with a line of JSON figures")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="avatar-serve-"))
    archive = Archive.open(data_dir)
    archive.ingest(read_source(str(ROOT / "knowledge" / "sample_blog")).posts)
    with OpenAIFake(REPLY, pieces=6, delay=args.delay) as fake:
        os.environ["OPENAI_API_KEY"] = "test-key"
        os.environ["OPENAI_BASE_URL"] = f"{fake.base_url}/v1"
        settings = Settings(data_dir=data_dir, default_model="openai:fake",
                            models=["openai:fake"], fallback_models=[],
                            rate_limit_per_minute=1_000_000)
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(settings, archive=archive),
                                               host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            found = asyncio.run(measure(f"http://127.0.0.1:{port}", fake.base_url, args.rounds,
                                        args.concurrency, args.seconds))
            if args.json:
                print_figures(found)
        finally:
            server.should_exit = True
            thread.join(timeout=10)


if __name__ == "__main__":
    main()
