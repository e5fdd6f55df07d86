"""The `extractive` backend through the avatar: the author's own sentences, always cited."""

from __future__ import annotations

import re
from collections.abc import Callable

from knowledge.archive import Archive
from persona.messages import Turn
from persona.prompts import prompts, render
from persona.replies import Reply
from tests.persona.conftest import MakeAvatar
from tests.persona.helpers import collect, quoted_with_citations, verbatim_in

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


def check_quotes_verbatim(reply: Reply, retrieved: list[str], archive: Archive) -> int:
    """Every straight-quoted passage is cited, verbatim in the post its [n] names, and the
    citations are numbered 1..n in the order the reply first uses them."""
    pairs = quoted_with_citations(reply.text)
    assert reply.text.count('"') == 2 * len(pairs), f"a quotation without its [n]:\n{reply.text}"
    by_n = {c.n: c.post_id for c in reply.citations}
    first_use = list(dict.fromkeys(int(n) for n in re.findall(r"\[(\d+)\]", reply.text)))
    assert first_use == list(range(1, len(first_use) + 1)), f"numbered out of order: {first_use}"
    assert sorted(by_n) == first_use
    for quote, n in pairs:
        assert n in by_n, f"[{n}] names no citation"
        assert by_n[n] in retrieved, f"[{n}] cites a post that was not retrieved"
        assert verbatim_in(archive.post_text(by_n[n]), quote), (
            f"not verbatim in the cited post [{n}] {by_n[n]}: {quote!r}")
    return len(pairs)


async def test_ask_leads_with_her_own_cited_answer(
    make_avatar: MakeAvatar, archive: Archive, post_id_of: Callable[[str], str]
) -> None:
    avatar, search = make_avatar(allowed=["extractive"])
    tokens, reply = await collect(avatar.stream("ask", OPEN_SOURCE_Q))

    assert reply.model == "extractive"
    assert not reply.declined
    assert len(tokens) > 1
    ids = [hit.post_id for hit in search.last_hits]
    assert check_quotes_verbatim(reply, ids, archive) >= 2
    # The first line carries the answer: her position that companies should pay.
    lead = reply.text.split("\n\n")[0]
    assert re.search(r"\b(pay|fund)\b", lead), lead
    # Spoken as the author, in the first person, never about her in the third.
    voice = framing(reply.text)
    assert FIRST_PERSON.search(voice), voice
    assert not THIRD_PERSON.search(voice), voice
    assert reply.text.rstrip().endswith("Regards, Ada")
    for citation in reply.citations:
        assert verbatim_in(archive.post_text(citation.post_id), citation.quote)
    cited = {c.post_id for c in reply.citations}
    assert cited & {post_id_of("Who Pays for the Plumbing?"),
                    post_id_of("Boring Software Deserves a Budget"),
                    post_id_of("Handing Over the Keys to tidewater")}


async def test_debate_for_congestion_charging(make_avatar: MakeAvatar, archive: Archive) -> None:
    avatar, search = make_avatar(allowed=["extractive"])
    reply = await avatar.respond("debate", CONGESTION_MOTION)

    assert reply.stance == "for", f"stance {reply.stance!r} from:\n{reply.text}"
    assert reply.to_json()["stance"] == "for"
    assert reply.debate == {"motion": CONGESTION_MOTION, "reader_side": "for", "latest": "",
                            "round": 1}
    check_quotes_verbatim(reply, list(search.retrieved_ids), archive)
    assert {c.title for c in reply.citations} & CONGESTION_POSTS
    assert reply.text.startswith(f"You argue for the motion: {CONGESTION_MOTION}.")


async def test_debate_against_mandatory_return_to_office(
    make_avatar: MakeAvatar, archive: Archive, post_id_of: Callable[[str], str]
) -> None:
    avatar, search = make_avatar(allowed=["extractive"])
    reply = await avatar.respond("debate", RTO_MOTION, side="for")

    assert post_id_of("Against Mandatory Return-to-Office") in {
        c.post_id for c in reply.citations}
    check_quotes_verbatim(reply, list(search.retrieved_ids), archive)
    assert reply.stance == "against", (
        f"the author read as {reply.stance!r} on {RTO_MOTION!r}:\n{reply.text}")
    assert render(prompts()["extractive"]["debate_disagree"], stance="against") in reply.text


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


async def test_a_follow_up_after_a_long_turn_keeps_the_new_question(
    make_avatar: MakeAvatar
) -> None:
    long_turn = "Tell me about congestion charging in Rotterdam. " * 60  # ~2,900 characters
    history = [Turn("user", long_turn), Turn("assistant", "I am for it.")]
    avatar, search = make_avatar(allowed=["extractive"])
    await avatar.respond("ask", "What about open source funding?", history)

    query, hits = search.calls[0]
    assert query.endswith("What about open source funding?"), query[-80:]
    assert len(query) <= 2000
    assert {h.title for h in hits} & {"Who Pays for the Plumbing?",
                                      "Boring Software Deserves a Budget"}
    # A follow-up that points back ("it") is searched with the end of the long turn, whole.
    await avatar.respond("ask", "Who would pay for it?", history)
    query, _hits = search.calls[-1]
    assert query.endswith("Rotterdam. Who would pay for it?"), query[-80:]
    assert len(query) < 400
