"""Each provider, built through the registry and pointed at its local fake, streams a reply.

The fakes speak the providers' real wire formats and record what the real LangChain clients
send, so these tests check the path, the credentials and the whole dialogue on the wire.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from langchain_core.messages import BaseMessage

from persona.models import CompatEndpoint, Done, ModelRegistry, ModelRunner, StreamEvent, Token
from tests.fakes import SAMPLE_TURNS, FakeFleet, OpenAIFake

pytestmark = pytest.mark.timeout(60)

REPLY = "Protection saves a few visible jobs and costs many invisible ones. Regards, Ada."


@dataclass(frozen=True)
class Case:
    """One provider: the model name and what its client must send."""

    model: str
    path: str
    headers: dict[str, str]
    body_model: str
    query: dict[str, str] = field(default_factory=dict)


CASES = [
    Case(
        "openai:gpt-test", "/v1/chat/completions", {"authorization": "Bearer test-key"}, "gpt-test"
    ),
    Case(
        "xai:grok-test", "/v1/chat/completions", {"authorization": "Bearer test-key"}, "grok-test"
    ),
    Case(
        "mistralai:mistral-test",
        "/v1/chat/completions",
        {"authorization": "Bearer test-key"},
        "mistral-test",
    ),
    Case(
        "azure_openai:avatar-deployment",
        "/openai/deployments/avatar-deployment/chat/completions",
        {"api-key": "test-key"},
        "avatar-deployment",
        {"api-version": "2024-10-21"},
    ),
    # The installed anthropic SDK (2.x) sends its key as a Bearer token, not x-api-key.
    Case(
        "anthropic:claude-test",
        "/v1/messages",
        {"authorization": "Bearer test-key", "anthropic-version": "*"},
        "claude-test",
    ),
    Case("ollama:llama3.2:3b", "/api/chat", {}, "llama3.2:3b"),
]


def _check_request(fleet: FakeFleet, case: Case) -> None:
    fake = fleet.fake_for(case.model)
    sent = fake.last
    assert sent.path == case.path
    for name, value in case.headers.items():
        assert name in sent.headers, f"{case.model} sent no {name} header"
        assert value == "*" or sent.headers[name] == value
    for name, value in case.query.items():
        assert sent.query.get(name) == value
    assert sent.json["model"] == case.body_model
    assert fake.dialogue(sent) == SAMPLE_TURNS


@pytest.mark.parametrize("case", CASES, ids=[c.model.split(":")[0] for c in CASES])
async def test_each_provider_streams_in_pieces(
    case: Case,
    fleet: FakeFleet,
    runner_for: Callable[..., ModelRunner],
    dialogue: list[BaseMessage],
) -> None:
    fake = fleet.fake_for(case.model)
    # The fake sends one piece, then holds the rest until the first token has reached us:
    # a client that buffered the reply instead of streaming it would never see that token.
    fake.configure(reply=REPLY, pieces=4, hold_after=1)
    runner = runner_for([case.model])

    events: list[StreamEvent] = []
    async for event in runner.stream(dialogue):
        if not events:
            assert isinstance(event, Token)
            fake.release()
        events.append(event)

    tokens = [e.text for e in events if isinstance(e, Token)]
    assert len(tokens) >= 3, f"the reply came in {len(tokens)} piece(s)"
    assert "".join(tokens) == REPLY
    assert events[-1] == Done(model=case.model, text=REPLY)
    _check_request(fleet, case)
    assert fleet.fake_for(case.model).last.json.get("stream", True) is True


@pytest.mark.parametrize("case", CASES, ids=[c.model.split(":")[0] for c in CASES])
async def test_each_provider_answers_a_plain_invoke(
    case: Case,
    fleet: FakeFleet,
    runner_for: Callable[..., ModelRunner],
    dialogue: list[BaseMessage],
) -> None:
    # The non-streamed wire format, as used by code that calls the LangChain model directly.
    fleet.fake_for(case.model).configure(reply=REPLY)
    backend = runner_for([case.model]).models.build(case.model)

    message = await backend.ainvoke(dialogue)  # type: ignore[attr-defined]

    assert message.text == REPLY
    _check_request(fleet, case)


async def test_complete_returns_text_and_model(
    fleet: FakeFleet, runner_for: Callable[..., ModelRunner], dialogue: list[BaseMessage]
) -> None:
    fleet["anthropic"].configure(reply=REPLY)
    runner = runner_for(["anthropic:claude-test"])

    assert await runner.complete(dialogue) == (REPLY, "anthropic:claude-test")


async def test_openai_base_url_alone_reaches_a_keyless_compatible_server(
    fleet: FakeFleet, dialogue: list[BaseMessage]
) -> None:
    local = fleet.add(OpenAIFake(REPLY, api_key=None))  # like llama.cpp: no key checked
    env = {"OPENAI_BASE_URL": local.base_url + "/v1"}  # and no OPENAI_API_KEY
    runner = ModelRunner(ModelRegistry(["openai:smollm2"], env=env))

    text, model = await runner.complete(dialogue)

    assert (text, model) == (REPLY, "openai:smollm2")
    assert local.last.path == "/v1/chat/completions"
    assert local.last.json["model"] == "smollm2"
    assert local.last.headers["authorization"] == "Bearer not-needed"


async def test_named_compatible_endpoint(
    fleet: FakeFleet, runner_for: Callable[..., ModelRunner], dialogue: list[BaseMessage]
) -> None:
    vllm = fleet.add(OpenAIFake(REPLY, api_key="vllm-key"))
    llamacpp = fleet.add(OpenAIFake("From llama.cpp.", api_key=None))
    runner = runner_for(
        ["compat:vllm", "compat:llamacpp"],
        compat_endpoints={
            "vllm": CompatEndpoint(vllm.base_url + "/v1", model="qwen-7b", api_key="vllm-key"),
            "llamacpp": llamacpp.base_url,  # a bare URL: the model id sent is the name
        },
    )

    assert await runner.complete(dialogue, "compat:vllm") == (REPLY, "compat:vllm")
    assert await runner.complete(dialogue, "compat:llamacpp") == (
        "From llama.cpp.",
        "compat:llamacpp",
    )
    assert vllm.last.json["model"] == "qwen-7b"
    assert vllm.last.headers["authorization"] == "Bearer vllm-key"
    assert llamacpp.last.path == "/chat/completions"
    assert llamacpp.last.json["model"] == "llamacpp"


async def test_model_options_reach_the_request(
    fleet: FakeFleet, runner_for: Callable[..., ModelRunner], dialogue: list[BaseMessage]
) -> None:
    runner = runner_for(
        ["openai:gpt-test"], model_options={"openai:gpt-test": {"temperature": 0.2}}
    )

    await runner.complete(dialogue)

    assert fleet["openai"].last.json["temperature"] == 0.2
