"""A sample dialogue (system prompt, one earlier exchange, a new question) for model tests."""

from __future__ import annotations

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

SAMPLE_TURNS: list[tuple[str, str]] = [
    ("system", "You are Ada Example, a blogger on policy. Answer in her voice."),
    ("user", "What do you think about tariffs?"),
    ("assistant", "I have written often that tariffs are paid by our own consumers."),
    ("user", "But don't they protect jobs?"),
]
"""(role, text) as the OpenAI-style wire format names the roles; compare with `fake.dialogue`."""

_KINDS = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}


def sample_messages() -> list[BaseMessage]:
    """SAMPLE_TURNS as LangChain messages."""
    return [_KINDS[role](content=text) for role, text in SAMPLE_TURNS]
