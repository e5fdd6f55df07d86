"""Whose words a reply quotes: only the author's are "I wrote"; quoted material is named."""

from __future__ import annotations

import re
from collections.abc import Callable

from knowledge.archive import Archive
from knowledge.search import Passage
from persona.replies import Reply
from tests.persona.conftest import MakeAvatar
from tests.persona.test_extractive import check_quotes_verbatim

SCOOTERS = "The Scooter Trial Deserves a Parking Rule, Not a Ban"
QUOTE_RE = re.compile(r'"([^"]+)"\s*\[(\d+)\]')


def speakers_of(reply: Reply, archive: Archive) -> list[tuple[str, str, str]]:
    """(framing line, quoted sentence, speaker in the post) for every quotation of a reply."""
    by_n = {c.n: c.post_id for c in reply.citations}
    out = []
    for line in reply.text.split("\n"):
        for quote, n in QUOTE_RE.findall(line):
            text = archive.post_text(by_n[int(n)])
            labelled = Passage("x", 0, text)  # labelled the way the archive labels posts
            first = quote.split(". ")[0]
            at = text.find(first)
            assert at >= 0, quote
            span = labelled.speaker_at(at)
            assert span is not None
            out.append((line, quote, span.speaker))
    return out


async def test_a_news_extract_is_quoted_as_news_not_as_her_words(
    make_avatar: MakeAvatar, archive: Archive, post_id_of: Callable[[str], str]
) -> None:
    avatar, search = make_avatar(allowed=["extractive"])
    reply = await avatar.respond("ask", "What did the news report say about the scooter trial?")
    check_quotes_verbatim(reply, list(search.retrieved_ids), archive)
    quoted = speakers_of(reply, archive)
    assert any(speaker == "news" for _line, _q, speaker in quoted), quoted
    for line, quote, speaker in quoted:
        if speaker == "author":
            assert "I quoted" not in line.split(quote)[0], line
        else:
            assert "I quoted" in line and "I wrote" not in line, line
    assert post_id_of(SCOOTERS) in {c.post_id for c in reply.citations}


async def test_a_debate_argues_only_from_her_own_words(
    make_avatar: MakeAvatar, archive: Archive
) -> None:
    avatar, _search = make_avatar(allowed=["extractive"])
    reply = await avatar.respond("debate", "Shared e-scooters should be banned from the city")
    quoted = speakers_of(reply, archive)
    assert quoted
    assert all(speaker in ("author", "objection") for _l, _q, speaker in quoted), quoted


async def test_a_reported_objection_comes_with_her_answer(
    make_avatar: MakeAvatar, archive: Archive
) -> None:
    avatar, _search = make_avatar(allowed=["extractive"])
    reply = await avatar.respond("debate", "Companies should pay for the open-source "
                                 "software they depend on", side="against")
    objections = [line for line, _q, speaker in speakers_of(reply, archive)
                  if speaker == "objection"]
    assert objections, f"her own statement of the reader's case is missing:\n{reply.text}"
    for line in objections:
        assert "My answer:" in line, f"an objection without her answer: {line}"


async def test_reflect_says_the_news_what_she_held_and_when(
    make_avatar: MakeAvatar, archive: Archive
) -> None:
    avatar, search = make_avatar(allowed=["extractive"])
    news = ("Gothenburg raises its congestion charge to pay for night trams. The council "
            "approved a 20 percent increase on Monday.")
    reply = await avatar.respond("reflect", news)
    first, second = reply.text.split("\n\n")[:2]
    assert first.startswith("The news: Gothenburg raises its congestion charge")
    assert re.match(r"I wrote about this in [A-Z][a-z]+ \d{4}, in “", second), second
    assert "What I proposed then:" in reply.text
    check_quotes_verbatim(reply, list(search.retrieved_ids), archive)
    assert {c.title for c in reply.citations} & {"Congestion Charging Is a Price, Not a "
                                                 "Punishment", "Congestion Charging, Revisited"}


async def _asked(make_avatar: MakeAvatar, archive: Archive, question: str) -> tuple[Reply, str]:
    """The extractive reply to a question, its quotes checked verbatim, and its lead."""
    avatar, search = make_avatar(allowed=["extractive"])
    reply = await avatar.respond("ask", question)
    check_quotes_verbatim(reply, list(search.retrieved_ids), archive)
    return reply, reply.text.split("\n\n")[0]


async def test_a_reply_she_published_is_quoted_instead_of_its_headers_or_intro(
    make_avatar: MakeAvatar, archive: Archive
) -> None:
    reply, lead = await _asked(
        make_avatar, archive,
        "What did Councillor Maas reply about publishing real-time tram positions?")
    # The lead is what he answered (named as his reply), not the e-mail's headers or the
    # line that introduces his answer.
    assert "contracts with our two partners run until 2027" in lead, reply.text
    assert "replied a week later:" not in reply.text and "Subject:" not in reply.text, \
        reply.text
    assert "I quoted" in lead and "I wrote" not in lead, lead


async def test_asked_what_he_replied_his_reply_leads_over_her_words_it_echoes(
    make_avatar: MakeAvatar, archive: Archive
) -> None:
    # "publishing real-time tram positions" is her e-mail's wording, not his reply's.
    reply, lead = await _asked(
        make_avatar, archive,
        "What did the councillor reply about publishing real-time tram positions?")
    assert "contracts with our two partners run until 2027" in lead, reply.text
    assert lead.startswith("In “An E-mail to My Councillor") and "I quoted" in lead, lead
