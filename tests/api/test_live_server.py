"""Against a real uvicorn server: the official OpenAI client, and a reader who leaves."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import openai
import pytest

from api.app import create_app
from knowledge.archive import Archive
from tests.api.conftest import QUESTION, MakeSettings
from tests.api.live import LiveServer, parse_sse, wait_for
from tests.fakes import OpenAIFake


@pytest.fixture
def live(make_settings: MakeSettings, archive: Archive,
         fake: OpenAIFake) -> Iterator[LiveServer]:
    """The app served by uvicorn on 127.0.0.1 (lifespan running), its model the fake."""
    with LiveServer(create_app(make_settings(), archive=archive)) as server:
        yield server


def test_openai_client_gets_the_reply_with_its_sources(live: LiveServer,
                                                       fake: OpenAIFake) -> None:
    client = openai.OpenAI(api_key="unused", base_url=f"{live.url}/v1", max_retries=0)
    messages: Any = [{"role": "system", "content": "You are a pirate."},
                     {"role": "user", "content": "Do you write about software?"},
                     {"role": "assistant", "content": "Yes, often."},
                     {"role": "user", "content": QUESTION}]
    reply = client.chat.completions.create(model="avatar", messages=messages)
    text = reply.choices[0].message.content or ""
    assert "normal cost of doing business [1]" in text
    assert "\n\nSources:\n[1] " in text and "https://ada-lindqvist.example/" in text
    citations = (reply.model_extra or {})["citations"]
    assert citations[0]["n"] == 1 and citations[0]["url"] in text
    # The caller's system message is not obeyed; the history is passed on.
    turns = fake.dialogue(fake.last)
    assert "pirate" not in turns[0][1]
    assert "<archive>" in turns[1][1]  # the fenced archive, right after the system prompt
    assert turns[2:] == [("user", "Do you write about software?"),
                         ("assistant", "Yes, often."), ("user", QUESTION)]

    streamed = client.chat.completions.create(model="openai:fake-model", messages=messages,
                                              stream=True)
    chunks = list(streamed)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "normal cost of doing business [1]" in text and "\n\nSources:\n[1] " in text
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert (chunks[-1].model_extra or {})["citations"] == citations


def test_openai_client_sees_errors_as_errors(live: LiveServer, fake: OpenAIFake) -> None:
    client = openai.OpenAI(api_key="unused", base_url=f"{live.url}/v1", max_retries=0)
    question: Any = [{"role": "user", "content": QUESTION}]
    with pytest.raises(openai.BadRequestError, match="allowed: openai:fake-model"):
        client.chat.completions.create(model="gpt-4o", messages=question)
    fake.configure(mode="error", status=500)
    with pytest.raises(openai.APIError, match="No model could answer"):
        list(client.chat.completions.create(model="avatar", messages=question, stream=True))
    with pytest.raises(openai.APIStatusError, match="No model could answer"):
        client.chat.completions.create(model="avatar", messages=question)


@pytest.mark.parametrize("accept", ["text/event-stream", "application/json"])
def test_a_reader_who_disconnects_stops_the_backend_call(
        live: LiveServer, fake: OpenAIFake, monkeypatch: pytest.MonkeyPatch,
        accept: str) -> None:
    # The backend sends one piece, then waits (until released, which never happens here).
    fake.configure(pieces=8, hold_after=1)
    state = live.state
    closed = threading.Event()
    original = state.avatar.stream

    async def spied(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        try:
            async for event in original(*args, **kwargs):
                yield event
        finally:
            closed.set()

    monkeypatch.setattr(state.avatar, "stream", spied)
    body = json.dumps({"message": QUESTION}).encode()
    head = (f"POST /v1/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: {accept}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    with socket.create_connection(("127.0.0.1", live.port), timeout=30) as reader:
        reader.sendall(head.encode() + body)
        wait_for(lambda: len(fake.requests) == 1, 30, "the backend to be called")
        assert not closed.is_set()
    # The reader is gone: the avatar's stream ends although the backend never finished.
    wait_for(closed.is_set, 30, "the avatar's stream to be closed")
    wait_for(lambda: state.live_streams == 0, 30, "the live stream count to drop")
    assert len(fake.requests) == 1


def test_sse_over_a_real_connection(live: LiveServer, fake: OpenAIFake) -> None:
    with httpx.Client(base_url=live.url, timeout=30) as client, client.stream(
            "POST", "/v1/chat", json={"message": QUESTION, "stream": True}) as response:
        events = parse_sse(response.iter_lines())
    names = [name for name, _ in events]
    assert names[-2:] == ["citations", "done"] and set(names[:-2]) == {"token"}
