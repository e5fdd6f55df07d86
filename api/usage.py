"""OpenAI-style usage counts, counted simply: one token per whitespace-separated word.

tiktoken (installed with langchain-openai) would fetch its encoding files from the internet
on first use, and the avatar's models are not OpenAI's anyway: words are an honest, offline
approximation that every backend shares.
"""

from __future__ import annotations


def count_tokens(text: str) -> int:
    """Whitespace-separated words in text."""
    return len(text.split())


def usage(prompt: str, completion: str) -> dict[str, int]:
    """`{prompt_tokens, completion_tokens, total_tokens}` for a question and its reply."""
    asked, answered = count_tokens(prompt), count_tokens(completion)
    return {"prompt_tokens": asked, "completion_tokens": answered,
            "total_tokens": asked + answered}
