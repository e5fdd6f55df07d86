"""Fake model servers on 127.0.0.1 that speak each provider's real wire format.

One server alone:

    with OpenAIFake("Hello there.", pieces=3) as fake:      # api_key defaults to "test-key"
        env = {"OPENAI_API_KEY": "test-key", "OPENAI_BASE_URL": fake.base_url + "/v1"}
        ...                                                   # stream through the registry
        fake.last.path, fake.last.headers, fake.last.json     # what the client sent
        fake.configure(mode="error", status=503)              # or "hang", "fail_mid_stream"

Several for one test (started on first use, stopped together):

    fleet = FakeFleet()
    env = fleet.env_for(["openai:gpt-test", "anthropic:claude-test"])   # keys + base URLs
    fleet["anthropic"].configure(delay=0.05)
    ...
    fleet.close()
"""

from tests.fakes.base import (
    DEFAULT_REPLY,
    Call,
    FakeModelServer,
    RecordedRequest,
    Script,
    split_reply,
    sse,
)
from tests.fakes.dialogue import SAMPLE_TURNS, sample_messages
from tests.fakes.fleet import FAKE_KINDS, WIRING, FakeFleet, Wiring
from tests.fakes.providers import AnthropicFake, AzureOpenAIFake, OllamaFake, OpenAIFake

__all__ = [
    "DEFAULT_REPLY",
    "FAKE_KINDS",
    "SAMPLE_TURNS",
    "WIRING",
    "AnthropicFake",
    "AzureOpenAIFake",
    "Call",
    "FakeFleet",
    "FakeModelServer",
    "OllamaFake",
    "OpenAIFake",
    "RecordedRequest",
    "Script",
    "Wiring",
    "sample_messages",
    "split_reply",
    "sse",
]
