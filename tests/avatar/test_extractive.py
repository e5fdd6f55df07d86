"""The `extractive` backend through the avatar: the author's own sentences, always cited."""

from __future__ import annotations

import re
from collections.abc import Callable

from knowledge.archive import Archive
from persona.messages import Turn
from persona.prompts import prompts
from tests.avatar.conftest import MakeAvatar
from tests.avatar.helpers import collect, quoted_with_citations, verbatim_in

OPEN_SOURCE_Q = "Should companies pay for the open-source software they depend on?"
CONGESTION_MOTION = "Cities should introduce congestion charging"
RTO_MOTION = "Companies should require employees to return to the office five days a week"
CONGESTION_POSTS = {"Congestion Charging Is a Price, Not a Punishment",
                    "Congestion Charging, Revisited"}
FIRST_PERSON = re.compile(r"\b(I|my|me|mine|myself)\b")
THIRD_PERSON = re.compile(r"\b(Ada Lindqvist|Lindqvist|she|her|the author)\b", re.I)


def framing(text: str) -> str:
    """The reply minus the quoted sentences, the curly-quoted titles and the [n] markers."""
    text = re.sub(r'"[^"]*"', " ", text)
    text = re.sub(r"“[^”]*”", " ", text)
    return re.sub(r"\[\d+\]", " ", text)


def check_quotes_verbatim(text: str, post_ids: list[str], archive: Archive) -> int:
    """Every straight-quoted passage is cited, and is verbatim in the post it cites."""
    pairs = quoted_with_citations(text)
    assert text.count('"') == 2 * len(pairs), f"a quotation without its [n]:\n{text}"
    for quote, n in pairs:
        assert 1 <= n <= len(post_ids), f"[{n}] names no retrieved post"
        assert verbatim_in(archive.post_text(post_ids[n - 1]), quote), (
            f"not verbatim in the cited post [{n}] {post_ids[n - 1]}: {quote!r}")
    return len(pairs)


async def test_ask_answers_in_her_own_cited_sentences(
    make_avatar: MakeAvatar, archive: Archive, post_id_of: Callable[[str], str]
) -> None:
    avatar, search = make_avatar(allowed=["extractive"])
    tokens, reply = await collect(avatar.stream("ask", OPEN_SOURCE_Q))

    assert reply.model == "extractive"
    assert not reply.declined
    assert len(tokens) > 1
    hits = search.last_hits
    ids = [hit.post_id for hit in hits]
    assert check_quotes_verbatim(reply.text, ids, archive) >= 2
    # Spoken as the author, in the first person, never about her in the third.
    voice = framing(reply.text)
    assert FIRST_PERSON.search(voice), voice
    assert not THIRD_PERSON.search(voice), voice
    assert reply.text.rstrip().endswith("Regards, Ada")
    # Citations: retrieved posts, numbered as retrieved, each with a verbatim quote.
    assert reply.citations
    for citation in reply.citations:
        assert citation.post_id == ids[citation.n - 1]
        assert verbatim_in(archive.post_text(citation.post_id), citation.quote)
    assert post_id_of("Who Pays for the Plumbing?") in {c.post_id for c in reply.citations}


async def test_debate_for_congestion_charging(make_avatar: MakeAvatar, archive: Archive) -> None:
    avatar, search = make_avatar(allowed=["extractive"])
    reply = await avatar.respond("debate", CONGESTION_MOTION)

    assert reply.stance == "for", f"stance {reply.stance!r} from:\n{reply.text}"
    assert reply.to_json()["stance"] == "for"
    check_quotes_verbatim(reply.text, [h.post_id for h in search.last_hits], archive)
    assert {c.title for c in reply.citations} & CONGESTION_POSTS


async def test_debate_against_mandatory_return_to_office(
    make_avatar: MakeAvatar, archive: Archive, post_id_of: Callable[[str], str]
) -> None:
    avatar, search = make_avatar(allowed=["extractive"])
    reply = await avatar.respond("debate", RTO_MOTION, side="for")

    assert post_id_of("Against Mandatory Return-to-Office") in {
        c.post_id for c in reply.citations}
    check_quotes_verbatim(reply.text, [h.post_id for h in search.last_hits], archive)
    assert reply.stance == "against", (
        f"persona/stance.py read the author as {reply.stance!r} on {RTO_MOTION!r} "
        f"from these sentences:\n{reply.text}")
    assert prompts()["extractive"]["debate_stance_against"] in reply.text


async def test_follow_up_is_searched_with_the_history(
    make_avatar: MakeAvatar, archive: Archive
) -> None:
    assert archive.search("Why?", 5) == [], "'Why?' alone should find nothing"
    history = [Turn("user", "What do you think about congestion charging?"),
               Turn("assistant", "I am for it, as long as the money goes to public transport.")]
    avatar, search = make_avatar(allowed=["extractive"])
    reply = await avatar.respond("ask", "Why?", history)

    assert len(search.calls) == 1
    query, hits = search.calls[0]
    assert "congestion charging" in query.lower()
    assert {hit.title for hit in hits} & CONGESTION_POSTS, [hit.title for hit in hits]
    assert not reply.declined
    assert {c.title for c in reply.citations} & CONGESTION_POSTS
