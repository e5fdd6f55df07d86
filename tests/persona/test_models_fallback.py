"""Fallback and timeouts: a model that fails before its first token is replaced by the next
in the operator's order; one that fails after text was streamed is reported, not retried."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from langchain_core.messages import BaseMessage

from persona.models import (
    AllBackendsFailed,
    BackendFailed,
    BuildContext,
    Done,
    ModelRegistry,
    ModelRunner,
    ModelSpec,
    StreamError,
    StreamEvent,
    Token,
)
from tests.fakes import DEFAULT_REPLY, FakeFleet, split_reply

pytestmark = pytest.mark.timeout(60)

# One model per fake kind, so a failing fake never takes its fallback down with it.
PROVIDERS = {
    "openai": "openai:gpt-test",
    "xai": "xai:grok-test",
    "mistralai": "mistralai:mistral-test",
    "azure_openai": "azure_openai:avatar-deployment",
    "anthropic": "anthropic:claude-test",
    "ollama": "ollama:llama3.2:3b",
}
FALLBACK_REPLY = "I have not written about that, but here is what my posts do say."


class Extractive:
    """A stand-in for the `extractive` backend: plain strings from `astream`."""

    def __init__(self, text: str = FALLBACK_REPLY) -> None:
        self.text = text
        self.calls = 0

    async def astream(self, messages: Any, /) -> AsyncIterator[str]:
        self.calls += 1
        for piece in split_reply(self.text, 3):
            yield piece


def extractive_hook(backend: Extractive) -> dict[str, Callable[[ModelSpec, BuildContext], Any]]:
    """extra_builders for the registry, serving `extractive` from `backend`."""
    return {"extractive": lambda spec, ctx: backend}


async def collect(events: AsyncIterator[StreamEvent]) -> list[StreamEvent]:
    return [event async for event in events]


@pytest.mark.parametrize("model", PROVIDERS.values(), ids=PROVIDERS.keys())
async def test_http_500_falls_back_to_the_next_model(
    model: str,
    fleet: FakeFleet,
    runner_for: Callable[..., ModelRunner],
    dialogue: list[BaseMessage],
) -> None:
    fleet.fake_for(model).configure(mode="error", status=500)
    backup = Extractive()
    runner = runner_for(
        [model, "extractive"], ["extractive"], extra_builders=extractive_hook(backup)
    )

    events = await collect(runner.stream(dialogue, model))

    done = events[-1]
    assert isinstance(done, Done)
    assert done.model == "extractive"
    assert done.text == FALLBACK_REPLY
    assert [name for name, _ in done.failed] == [model]
    assert "500" in done.failed[0][1]
    # Retries are off: one request, then straight to the fallback.
    assert len(fleet.fake_for(model).requests) == 1


async def test_fallback_between_two_providers_reports_the_one_that_answered(
    fleet: FakeFleet, runner_for: Callable[..., ModelRunner], dialogue: list[BaseMessage]
) -> None:
    fleet["openai"].configure(mode="error", status=500)
    runner = runner_for(["openai:gpt-test", "anthropic:claude-test"], ["anthropic:claude-test"])

    events = await collect(runner.stream(dialogue))

    assert "".join(e.text for e in events if isinstance(e, Token)) == DEFAULT_REPLY
    assert isinstance(events[-1], Done)
    assert events[-1].model == "anthropic:claude-test"
    assert fleet["anthropic"].last.json["messages"][-1]["content"] == dialogue[-1].content
    assert await runner.complete(dialogue) == (DEFAULT_REPLY, "anthropic:claude-test")


@pytest.mark.parametrize("model", PROVIDERS.values(), ids=PROVIDERS.keys())
async def test_a_hanging_backend_times_out_and_falls_back(
    model: str,
    fleet: FakeFleet,
    runner_for: Callable[..., ModelRunner],
    dialogue: list[BaseMessage],
) -> None:
    # One answered request first, with a generous deadline and outside the timed part: the
    # client library's first call (its lazy imports) once took longer than the 0.3 s deadline
    # in a fresh environment, so the hanging request below never reached the fake.
    warm = await collect(runner_for([model], first_token_timeout=20.0).stream(dialogue))
    assert isinstance(warm[-1], Done) and warm[-1].model == model
    fleet.fake_for(model).configure(mode="hang")
    runner = runner_for(
        [model, "extractive"],
        ["extractive"],
        first_token_timeout=0.3,
        extra_builders=extractive_hook(Extractive()),
    )
    runner.models.build(model)  # the client itself is built outside the timed part too

    started = time.perf_counter()
    events = await collect(runner.stream(dialogue))
    elapsed = time.perf_counter() - started

    done = events[-1]
    assert isinstance(done, Done)
    assert done.model == "extractive"
    assert done.failed[0][0] == model
    assert "first token" in done.failed[0][1]
    assert 0.3 <= elapsed < 3.0  # bounded: far below the 20 s total limit
    assert len(fleet.fake_for(model).requests) == 2  # the warm-up, then the hanging one


async def test_headers_without_text_do_not_count_as_a_first_token(
    fleet: FakeFleet, runner_for: Callable[..., ModelRunner], dialogue: list[BaseMessage]
) -> None:
    # The response starts and the role chunk (no text) arrives at once; no words ever follow.
    fleet["openai"].configure(hold_after=0)
    runner = runner_for(
        ["openai:gpt-test", "ollama:llama3.2:3b"], ["ollama:llama3.2:3b"], first_token_timeout=1.0
    )

    events = await collect(runner.stream(dialogue))

    done = events[-1]
    assert isinstance(done, Done)
    assert done.model == "ollama:llama3.2:3b"
    assert done.failed == (("openai:gpt-test", "timed out: no first token within 1s"),)


@pytest.mark.parametrize("model", PROVIDERS.values(), ids=PROVIDERS.keys())
async def test_a_failure_mid_stream_is_an_error_event_not_a_retry(
    model: str,
    fleet: FakeFleet,
    runner_for: Callable[..., ModelRunner],
    dialogue: list[BaseMessage],
) -> None:
    fleet.fake_for(model).configure(mode="fail_mid_stream", pieces=4, fail_after=2)
    backup = Extractive()
    runner = runner_for(
        [model, "extractive"], ["extractive"], extra_builders=extractive_hook(backup)
    )

    events = await collect(runner.stream(dialogue))

    sent = "".join(split_reply(DEFAULT_REPLY, 4)[:2])
    assert "".join(e.text for e in events if isinstance(e, Token)) == sent
    error = events[-1]
    assert isinstance(error, StreamError)
    assert (error.model, error.text) == (model, sent)
    assert not any(isinstance(e, Done) for e in events)
    assert backup.calls == 0


async def test_the_total_timeout_cuts_a_slow_stream(
    fleet: FakeFleet, runner_for: Callable[..., ModelRunner], dialogue: list[BaseMessage]
) -> None:
    # One piece, then the fake stalls (it is never released).
    fleet["anthropic"].configure(pieces=4, hold_after=1)
    runner = runner_for(["anthropic:claude-test"], first_token_timeout=1.0, total_timeout=1.0)
    runner.models.build("anthropic:claude-test")

    started = time.perf_counter()
    events = await collect(runner.stream(dialogue))

    assert 1.0 <= time.perf_counter() - started < 3.0  # cut off, never left hanging
    assert [e.text for e in events if isinstance(e, Token)] == split_reply(DEFAULT_REPLY, 4)[:1]
    assert isinstance(events[-1], StreamError)
    assert "timed out" in events[-1].reason


async def test_complete_replaces_a_model_that_fails_half_way(
    fleet: FakeFleet, runner_for: Callable[..., ModelRunner], dialogue: list[BaseMessage]
) -> None:
    fleet["ollama"].configure(mode="fail_mid_stream")
    runner = runner_for(["ollama:llama3.2:3b", "openai:gpt-test"], ["openai:gpt-test"])

    assert await runner.complete(dialogue) == (DEFAULT_REPLY, "openai:gpt-test")


async def test_when_every_model_fails(
    fleet: FakeFleet, runner_for: Callable[..., ModelRunner], dialogue: list[BaseMessage]
) -> None:
    fleet["openai"].configure(mode="error", status=503)
    fleet["anthropic"].configure(mode="error", status=529)
    runner = runner_for(["openai:gpt-test"], ["anthropic:claude-test"])

    events = await collect(runner.stream(dialogue))

    assert len(events) == 1
    failed = events[0]
    assert isinstance(failed, BackendFailed)
    assert [name for name, _ in failed.errors] == ["openai:gpt-test", "anthropic:claude-test"]
    assert "503" in failed.errors[0][1]
    assert "529" in failed.errors[1][1]
    with pytest.raises(AllBackendsFailed) as caught:
        await runner.complete(dialogue)
    assert len(caught.value.errors) == 2


async def test_a_model_that_cannot_be_built_falls_back(dialogue: list[BaseMessage]) -> None:
    # No ANTHROPIC_API_KEY in the env given (os.environ has one, and must be ignored).
    registry = ModelRegistry(
        ["anthropic:claude-test", "extractive"],
        fallbacks=["extractive"],
        env={},
        extra_builders=extractive_hook(Extractive()),
    )
    runner = ModelRunner(registry)

    events = await collect(runner.stream(dialogue))

    assert isinstance(events[-1], Done)
    assert events[-1].model == "extractive"
    assert "ANTHROPIC_API_KEY" in events[-1].failed[0][1]


async def test_a_reader_who_leaves_closes_the_stream(
    fleet: FakeFleet, runner_for: Callable[..., ModelRunner], dialogue: list[BaseMessage]
) -> None:
    fleet["openai"].configure(pieces=6, delay=0.1)
    runner = runner_for(["openai:gpt-test"])
    stream = runner.stream(dialogue)

    first = await anext(stream)
    await stream.aclose()

    assert isinstance(first, Token)
