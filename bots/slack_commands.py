"""What a user asked for: `/avatar ask|debate|search|topics|add|help …` or a plain mention."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bots.slack_text import plain_text, urls_in

VERBS = ("ask", "debate", "search", "topics", "add", "help")
_SIDE_RE = re.compile(r"^(for|against)\b[:,]?\s*", re.I)


@dataclass(frozen=True)
class Command:
    """One request: the verb, its text, the reader's side in a debate, the URLs to add."""

    verb: str
    text: str = ""
    side: str | None = None
    urls: tuple[str, ...] = ()


def parse_command(raw: str, *, default: str = "help") -> Command:
    """Read `verb rest`; text with no known verb is a question (`default` when empty)."""
    text = plain_text(raw)
    head, _, rest = text.partition(" ")
    verb = head.lower().rstrip(":")
    if verb not in VERBS:
        return Command("ask", text) if text else Command(default)
    rest = rest.strip()
    if verb == "add":
        return Command("add", rest, urls=tuple(urls_in(raw)))
    if verb == "debate":
        match = _SIDE_RE.match(rest)
        if match:
            return Command("debate", rest[match.end():].strip(), side=match.group(1).lower())
        return Command("debate", rest)
    if verb in ("ask", "search") and not rest:
        return Command("help")
    return Command(verb, rest)


HELP = """I'm the avatar of {name}: I answer from {name}'s own posts, with links to them.
• Mention me with a question, or DM me: _@{bot} is congestion charging fair?_ \
— follow-ups in the thread keep the context.
• `/avatar ask QUESTION` — what {name} thinks, with sources
• `/avatar debate [for|against] CLAIM` — argue with {name}
• `/avatar search WORDS` — the posts that match
• `/avatar topics` — what {name} writes about
• `/avatar add URL` — add a post, feed or sitemap to the archive (editors only)
• `/avatar help` — this message"""


def help_text(author: str, bot: str = "avatar") -> str:
    """The help message, naming the author."""
    return HELP.format(name=author, bot=bot)
