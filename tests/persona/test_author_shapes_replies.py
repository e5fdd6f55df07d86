"""Replies over fictional posts in the real author's shapes: a line per paragraph without full
stops, news and critics he quotes, his proposals. A reply never runs two of his lines together
inside one quotation, and leads with whose words the question asks for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from api.services import build_avatar
from api.settings import Settings
from knowledge.archive import Archive
from knowledge.embedding import Embedder
from knowledge.readers import read_source
from persona.avatar import Avatar
from persona.persona import Persona
from tests.support.sample import ROOT

SHAPES = ROOT / "tests" / "fixtures" / "stance_shapes"
QUOTE_RE = re.compile(r'"([^"]+)"\s*\[\d+\]')


@pytest.fixture(scope="module")
def avatar(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Avatar:
    """An extractive avatar over fictional posts in the real author's shapes."""
    folder: Path = tmp_path_factory.mktemp("line-per-paragraph")
    archive = Archive.open(folder, embedder=embedder)
    archive.ingest(read_source(str(SHAPES)).posts)
    settings = Settings(data_dir=folder, default_model="extractive", models=["extractive"],
                        fallback_models=[])
    return build_avatar(settings, archive, Persona(name="Tomas Ferreira", bio="A blogger.",
                                                   sign_off="Regards, Tomas Ferreira"))


def paragraphs() -> list[str]:
    """Every paragraph of the fixture posts, spaces squashed."""
    out = []
    for path in SHAPES.glob("*.md"):
        out += [" ".join(p.split()) for p in path.read_text().split("\n\n") if p.strip()]
    return out


@pytest.mark.parametrize("question", [
    "Who should pay so that students can ride the ferry free?",
    "What did critics say about closing the Old Swing Bridge to cars on Sundays?",
    "What did the Port Board offer new firms on Pier 9?",
])
async def test_each_quotation_stays_inside_one_of_his_lines(avatar: Avatar,
                                                             question: str) -> None:
    reply = await avatar.respond("ask", question)
    quotes = QUOTE_RE.findall(reply.text)
    assert quotes, reply.text
    lines = paragraphs()
    for quote in quotes:
        squashed = " ".join(quote.replace("“", '"').replace("”", '"').split())
        assert any(squashed in " ".join(line.replace("“", '"').replace("”", '"').split())
                   for line in lines), (quote, reply.text)


async def asked(avatar: Avatar, question: str) -> tuple[str, str]:
    """The reply to a question, and its lead (the first paragraph)."""
    reply = await avatar.respond("ask", question)
    return reply.text, reply.text.split("\n\n")[0]


async def test_a_line_introducing_others_words_is_not_his_answer(avatar: Avatar) -> None:
    reply = await avatar.respond(
        "ask", "What did critics say about closing the Old Swing Bridge to cars on Sundays?")
    assert "people are saying :" not in reply.text, reply.text


async def test_asked_what_critics_said_the_lead_is_their_words_named_as_quoted(
        avatar: Avatar) -> None:
    text, lead = await asked(
        avatar, "What did the politicians say against two days of voting for the council election?")
    assert "double the cost" in lead, text
    assert "I quoted someone else's words" in lead and "I wrote" not in lead, lead


async def test_asked_what_he_wants_the_lead_is_his_comment_not_the_news(avatar: Avatar) -> None:
    text, lead = await asked(avatar, "What did he want done with the empty bus depots?")
    assert "It is high time the council sells that idle depot land" in lead, text
    assert "I quoted" not in lead, lead


async def test_a_proposal_from_his_bullet_list_is_quoted_without_the_bullet(
        avatar: Avatar) -> None:
    text, lead = await asked(
        avatar, "What does Tomas propose for the 4 ward health centres to cut the waiting?")
    assert '"Open evening clinics' in lead, text
    assert "Ø" not in text, text


async def test_reflecting_on_news_he_held_his_own_words_not_the_news_he_quoted(
        avatar: Avatar) -> None:
    news = ("Harbour Gazette: the transport company will lease its three empty depots to a "
            "logistics firm for 20 years, keeping the land.")
    reply = await avatar.respond("reflect", news)
    held = reply.text.split("\n\n")[1]
    assert held.startswith("I wrote about this in January 2016"), reply.text
    assert "stood empty since the fleet was cut" not in held, held


@pytest.mark.parametrize("news", [
    "Harbour Gazette carries following news : the municipal transport company will lease "
    "its depots.",
    "Following news report appeared in today's Harbour Gazette : the tourist tax will double.",
])
async def test_reflect_never_gives_the_news_he_quoted_as_what_he_wrote(avatar: Avatar,
                                                                       news: str) -> None:
    reply = await avatar.respond("reflect", news)
    held = reply.text.split("\n\n")[1]
    assert held.startswith("I wrote about this in"), reply.text
    for quoted in ("reported a loss for the ninth year", "stood empty since the fleet"):
        assert quoted not in held, held
