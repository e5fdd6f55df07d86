"""The avatar over the real sample archive, talking to a fake OpenAI-compatible server."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from knowledge.archive import Archive
from persona.messages import Turn
from persona.models import ModelNotAllowed
from persona.persona import Persona
from persona.replies import DoneEvent, ErrorEvent, Event, TokenEvent
from tests.fakes import OpenAIFake
from tests.persona.conftest import FAKE_MODEL, MakeAvatar
from tests.persona.helpers import (
    collect,
    extractive_ask_start,
    quoted_with_citations,
    squash,
    verbatim_in,
)

QUESTION = "Should companies pay for the open-source software they depend on?"
PLUMBING = "Who Pays for the Plumbing?"
# Sentences of knowledge/sample_blog/2016-06-06-who-pays-for-the-plumbing.md.
PLUMBING_OPENING = ("Two years ago I wrote about maintaining tidewater, my little tide-data "
                    "library, and added a note asking companies that depended on it to sponsor "
                    "some maintenance time.")
REAL_QUOTE = ("I believe companies that depend on open-source software have a responsibility "
              "to pay the people who maintain it, in proportion to how much they depend on it.")
MISQUOTE = ("Open-source maintainers are rich already and need nothing from the companies "
            "that use their code")
HISTORY = (
    Turn("user", "Do you ever write about the software industry?"),
    Turn("assistant", "Yes, often: maintenance, budgets and who pays for them."),
)
LASAGNA = "What is the best lasagna recipe with ricotta?"
RTO_MOTION = "Companies should require employees to return to the office five days a week"


def system_and_turns(fake: OpenAIFake) -> tuple[str, list[tuple[str, str]]]:
    """The system prompt the fake received, and the turns after the fenced archive."""
    dialogue = fake.dialogue(fake.last)
    assert dialogue and dialogue[0][0] == "system", f"no system message first: {dialogue!r}"
    assert len(dialogue) > 1 and "<archive>" in dialogue[1][1], "no archive after the system"
    return dialogue[0][1], dialogue[2:]


def archive_message(fake: OpenAIFake) -> str:
    """The message after the system one: the fenced archive (and a debate's brief)."""
    return system_and_turns_raw(fake)[1][1]


def system_and_turns_raw(fake: OpenAIFake) -> list[tuple[str, str]]:
    """Every (role, text) the fake received in its last request."""
    return list(fake.dialogue(fake.last))


def archive_block(system: str) -> str:
    """The text between <archive> and </archive> in a message."""
    assert "<archive>" in system and "</archive>" in system, "no <archive> block in the prompt"
    start = system.index("<archive>") + len("<archive>")
    return system[start : system.index("</archive>", start)]


async def test_ask_sends_persona_archive_history_and_message(
    make_avatar: MakeAvatar, fake: OpenAIFake, persona: Persona
) -> None:
    fake.configure(reply="I believe firms should pay for what they use [1].\n\nRegards, Ada")
    avatar, search = make_avatar(fake)
    await collect(avatar.stream("ask", QUESTION, HISTORY, model=FAKE_MODEL))

    assert len(fake.requests) == 1
    request = fake.last
    assert request.json["model"] == "fake-model"
    assert request.json.get("stream") is True
    system, turns = system_and_turns(fake)
    # The persona: name and every line of the voice notes.
    assert persona.name == "Ada Lindqvist"
    assert "Ada Lindqvist" in system
    for line in persona.voice.strip().splitlines():
        assert squash(line) in squash(system), f"voice note missing from the prompt: {line!r}"
    # The retrieved passages of the relevant post, inside the <archive> block.
    plumbing = [hit for hit in search.last_hits if hit.title == PLUMBING]
    assert plumbing, f"{PLUMBING!r} was not retrieved: {[h.title for h in search.last_hits]}"
    block = archive_block(fake.dialogue(fake.last)[1][1])
    assert plumbing[0].passages
    for passage in plumbing[0].passages:  # every sentence, as retrieved
        for sentence, _span in passage.pieces():
            assert verbatim_in(block, sentence), sentence
    assert verbatim_in(block, PLUMBING_OPENING)
    for hit in search.last_hits:
        assert hit.title in block
    # The conversation so far, then the reader's message, in order.
    assert turns == [("user", HISTORY[0].content), ("assistant", HISTORY[1].content),
                     ("user", QUESTION)]


async def test_reply_streams_in_pieces_and_cites_only_retrieved_posts(
    make_avatar: MakeAvatar, fake: OpenAIFake
) -> None:
    reply_text = ("Yes. I believe companies should pay the maintainers they depend on [1]. "
                  "I came back to it years later, with a budget line in mind [2]. "
                  "Plumbers get paid, after all.\n\nRegards, Ada")
    fake.configure(reply=reply_text, pieces=8)
    avatar, search = make_avatar(fake)
    tokens, reply = await collect(avatar.stream("ask", QUESTION, model=FAKE_MODEL))

    assert len(tokens) >= 3, f"the reply did not stream in pieces: {tokens!r}"
    assert "".join(t.text for t in tokens).strip() == reply.text
    assert reply.model == FAKE_MODEL
    assert reply.text == reply_text
    assert not reply.declined
    hits = search.last_hits
    assert [c.n for c in reply.citations] == [1, 2]
    for citation in reply.citations:
        assert citation.post_id == hits[citation.n - 1].post_id
        assert citation.title == hits[citation.n - 1].title
        assert citation.quote, "a citation without a quote"


async def test_invented_citation_and_misquote_are_removed(
    make_avatar: MakeAvatar, fake: OpenAIFake, archive: Archive,
    post_id_of: Callable[[str], str],
) -> None:
    avatar, search = make_avatar(fake)
    # Where the plumbing post lands in this question's retrieval (search is deterministic).
    titles = [hit.title for hit in archive.search(QUESTION, 5)]
    assert PLUMBING in titles, titles
    n = titles.index(PLUMBING) + 1
    fake.configure(reply=(
        f"My answer is yes [{n}][7]. Some say I once wrote \"{MISQUOTE}\" [{n}], but I did "
        f"not. What I did write is this: \"{REAL_QUOTE}\" [{n}]\n\nRegards, Ada"
    ))
    _tokens, reply = await collect(avatar.stream("ask", QUESTION, model=FAKE_MODEL))

    assert reply.model == FAKE_MODEL
    assert "[7]" not in reply.text
    assert MISQUOTE not in reply.text and "rich already" not in reply.text
    assert f'"{REAL_QUOTE}" [{n}]' in reply.text
    retrieved = search.retrieved_ids
    assert all(1 <= c.n <= len(search.last_hits) for c in reply.citations)
    assert all(c.post_id in retrieved for c in reply.citations)
    assert all("rich already" not in c.quote for c in reply.citations)
    cited = [c for c in reply.citations if c.n == n]
    assert len(cited) == 1
    assert cited[0].post_id == post_id_of(PLUMBING)
    assert cited[0].quote == REAL_QUOTE
    assert verbatim_in(archive.post_text(cited[0].post_id), cited[0].quote)
    by_n = {c.n: c.post_id for c in reply.citations}
    for quote, m in quoted_with_citations(reply.text):
        post_id = by_n[m]
        assert verbatim_in(archive.post_text(post_id), quote), (quote, m)


async def test_out_of_archive_question_is_declined_without_a_model_call(
    make_avatar: MakeAvatar, fake: OpenAIFake, archive: Archive
) -> None:
    assert archive.search(LASAGNA, 5) == []  # the archive really is silent on it
    avatar, search = make_avatar(fake, suggest_topics=lambda: ["congestion charging",
                                                                "heat pumps", "open source"])
    tokens, reply = await collect(avatar.stream("ask", LASAGNA, model=FAKE_MODEL))

    assert reply.declined is True
    assert reply.text.startswith("I haven't written about that")
    assert "congestion charging" in reply.text  # suggests what it can talk about instead
    assert reply.text.endswith("Regards, Ada")
    assert reply.citations == []
    assert tokens and "".join(t.text for t in tokens) == reply.text
    assert len(search.calls) == 1
    assert fake.requests == [], "the model was called for an out-of-archive question"


async def test_backend_error_falls_back_to_extractive(
    make_avatar: MakeAvatar, fake: OpenAIFake
) -> None:
    fake.configure(mode="error", status=500)
    avatar, search = make_avatar(fake, fallbacks=["extractive"])
    _tokens, reply = await collect(avatar.stream("ask", QUESTION, model=FAKE_MODEL))

    assert len(fake.requests) == 1  # the chosen model was tried first
    assert reply.model == "extractive"
    assert reply.text.startswith(extractive_ask_start())
    assert reply.text.endswith("Regards, Ada")
    assert reply.citations
    assert all(c.post_id in search.retrieved_ids for c in reply.citations)


@pytest.mark.timeout(60)
async def test_hanging_backend_times_out_and_falls_back(
    make_avatar: MakeAvatar, fake: OpenAIFake
) -> None:
    fake.configure(mode="hang")
    # Small enough to give up on the hanging model soon, large enough for the extractive
    # fallback to compose its reply on a busy 2-core machine (see the test below).
    avatar, _search = make_avatar(fake, fallbacks=["extractive"], k=3,
                                  first_token_timeout=4.0, total_timeout=30.0)
    _tokens, reply = await collect(avatar.stream("ask", QUESTION, model=FAKE_MODEL))

    assert len(fake.requests) == 1
    assert reply.model == "extractive"
    assert reply.text.startswith(extractive_ask_start())


@pytest.mark.timeout(60)
async def test_extractive_fallback_survives_a_tight_first_token_timeout(
    make_avatar: MakeAvatar, fake: OpenAIFake
) -> None:
    """The last-resort fallback needs no network: the deadline that skips a hanging model
    must not also kill the author's own sentences (composing them embeds ~100 sentences)."""
    fake.configure(mode="hang")
    avatar, _search = make_avatar(fake, fallbacks=["extractive"], first_token_timeout=0.05,
                                  total_timeout=30.0)
    _tokens, reply = await collect(avatar.stream("ask", QUESTION, model=FAKE_MODEL))

    # A 50 ms deadline can cancel the hanging model's request before it reaches the fake on
    # a busy machine (seen once in a full run); that it is tried once and only once is pinned
    # by the test above, with a deadline long enough for the request to arrive.
    assert len(fake.requests) <= 1
    assert reply.model == "extractive"
    assert reply.text.startswith(extractive_ask_start())


async def test_disallowed_model_is_refused_before_any_request(
    make_avatar: MakeAvatar, fake: OpenAIFake
) -> None:
    avatar, search = make_avatar(fake, fallbacks=["extractive"])
    with pytest.raises(ModelNotAllowed) as caught:
        await avatar.respond("ask", QUESTION, model="anthropic:claude-secret")
    assert isinstance(caught.value, ValueError)
    message = str(caught.value)
    assert "anthropic:claude-secret" in message
    assert FAKE_MODEL in message and "extractive" in message
    with pytest.raises(ModelNotAllowed):
        async for _event in avatar.stream("debate", RTO_MOTION, model="openai:gpt-secret"):
            pass
    assert fake.requests == []
    assert search.calls == []


async def test_failure_mid_stream_is_an_error_not_a_second_answer(
    make_avatar: MakeAvatar, fake: OpenAIFake
) -> None:
    fake.configure(reply="I believe firms should pay for it, and I have said so in several "
                   "posts over the years [1].", pieces=6, mode="fail_mid_stream", fail_after=2)
    avatar, _search = make_avatar(fake, fallbacks=["extractive"])
    events: list[Event] = [e async for e in avatar.stream("ask", QUESTION, model=FAKE_MODEL)]

    assert isinstance(events[-1], ErrorEvent), events[-1]
    assert FAKE_MODEL in events[-1].message
    assert not any(isinstance(e, DoneEvent) for e in events)
    shown = "".join(e.text for e in events if isinstance(e, TokenEvent))
    assert shown and "I believe firms" in shown
    assert extractive_ask_start() not in shown  # no second beginning


async def test_llm_debate_takes_the_stance_line_out_of_the_text(
    make_avatar: MakeAvatar, fake: OpenAIFake
) -> None:
    fake.configure(reply=("STANCE: against\nI am against mandatory office days: they are "
                          "mostly a failure of management [1].\n\nRegards, Ada"), pieces=7)
    avatar, _search = make_avatar(fake)
    tokens, reply = await collect(avatar.stream("debate", RTO_MOTION, model=FAKE_MODEL,
                                                side="for"))

    assert reply.model == FAKE_MODEL
    assert reply.stance == "against"
    assert reply.to_json()["stance"] == "against"
    assert "stance" not in reply.text.lower()
    assert reply.text.startswith("I am against mandatory office days")
    assert all("STANCE" not in t.text for t in tokens)
    system, turns = system_and_turns(fake)
    brief = archive_message(fake)
    # The plan reaches the model: the stance judged from her posts in the instructions; the
    # motion, the reader's side and her chosen sentences as data after the fence.
    assert "your stance on the motion is:\nagainst" in system.replace(" against", "\nagainst")
    assert RTO_MOTION not in system, "reader text in the system message"
    assert f"Motion: {RTO_MOTION}" in brief
    assert "The reader argues for the motion." in brief
    assert "- position [" in brief
    assert turns == [("user", RTO_MOTION)]


async def test_llm_debate_of_an_opened_post_tells_the_model_the_reader_has_no_side(
    make_avatar: MakeAvatar, fake: OpenAIFake
) -> None:
    fake.configure(reply="STANCE: against\nOffice days do not fix that [1].", pieces=3)
    avatar, _search = make_avatar(fake)
    await avatar.respond("debate", RTO_MOTION, model=FAKE_MODEL, motion=RTO_MOTION)
    brief = archive_message(fake)
    assert "The reader has not taken a side yet." in brief
    assert "The reader argues" not in brief


async def test_llm_debate_round_two_gets_the_readers_latest_point(
    make_avatar: MakeAvatar, fake: OpenAIFake
) -> None:
    fake.configure(reply="STANCE: against\nOffice days do not fix that [1].", pieces=3)
    avatar, search = make_avatar(fake)
    point = "But new hires learn faster when they sit next to experienced colleagues."
    history = [Turn("user", RTO_MOTION), Turn("assistant", "I am against it.")]
    reply = await avatar.respond("debate", point, history, model=FAKE_MODEL)

    system, _turns = system_and_turns(fake)
    brief = archive_message(fake)
    assert f"The reader's latest point, to answer directly: {point}" in brief
    assert point not in system
    assert f"Motion: {RTO_MOTION}" in brief
    assert reply.debate is not None and reply.debate["round"] == 2
    # Searched for the motion and for the new point.
    assert [q for q, _hits in search.calls] == [RTO_MOTION, point]


async def test_a_model_that_argues_the_other_side_is_not_trusted(
    make_avatar: MakeAvatar, fake: OpenAIFake
) -> None:
    fake.configure(reply="STANCE: for\nOffices are where culture lives.", pieces=2)
    avatar, _search = make_avatar(fake)
    reply = await avatar.respond("debate", RTO_MOTION, model=FAKE_MODEL)
    assert reply.stance == "unclear"

