"""Debates over the sample blog: the motion, the sides and the rounds, argued from her posts."""

from __future__ import annotations

from knowledge.archive import Archive
from persona.messages import Turn
from persona.replies import Reply
from tests.persona.conftest import MakeAvatar
from tests.persona.test_extractive import check_quotes_verbatim

NUCLEAR = "Nuclear power plants should be shut down as soon as possible"
WASTE = "But the waste stays dangerous for thousands of years and nobody wants it."


async def rounds(make_avatar: MakeAvatar, messages: list[tuple[str, str]],
                 side: str | None = None) -> list[Reply]:
    """Play a conversation through the avatar, each reply joining the history."""
    avatar, _search = make_avatar(allowed=["extractive"])
    history: list[Turn] = []
    replies = []
    for mode, message in messages:
        reply = await avatar.respond(mode, message, history, side=side)
        replies.append(reply)
        history += [Turn("user", message), Turn("assistant", reply.text)]
    return replies


async def test_a_counter_argument_is_a_new_round_of_the_latest_motion(
    make_avatar: MakeAvatar, archive: Archive
) -> None:
    """An earlier question on another subject, a motion, then a counter-argument."""
    _asked, opened, countered = await rounds(make_avatar, [
        ("ask", "What do you think about funding open source?"),
        ("debate", NUCLEAR),
        ("debate", WASTE),
    ])
    assert opened.debate == {"motion": NUCLEAR, "reader_side": "for", "latest": "", "round": 1}
    assert countered.debate == {"motion": NUCLEAR, "reader_side": "for", "latest": WASTE,
                                "round": 2}
    assert "open source" not in countered.text.split("\n\n")[0].lower()
    assert countered.text.startswith(f"You argue for the motion: {NUCLEAR}.")
    # The reply meets the point: her sentence about waste, quoted and cited.
    assert "You say: But the waste stays dangerous" in countered.text
    answer = next(p for p in countered.text.split("\n\n") if p.startswith("You say:"))
    assert "waste" in answer.split("My answer:", 1)[1].lower(), answer
    assert countered.stance == opened.stance, "the stance changed between rounds"
    assert opened.stance != "for", f"she is pro-nuclear, read as {opened.stance}"
    check_quotes_verbatim(countered, [c.post_id for c in countered.citations], archive)


async def test_the_readers_side_is_kept(make_avatar: MakeAvatar) -> None:
    (reply,) = await rounds(make_avatar, [("debate", "Cities should introduce congestion "
                                                      "charging")], side="against")
    assert reply.debate is not None and reply.debate["reader_side"] == "against"
    assert reply.text.startswith("You argue against the motion: Cities should introduce")
    assert reply.stance == "for"
    assert "is what you wrote yourself" not in reply.text


async def test_a_position_on_another_subject_starts_a_new_debate(
    make_avatar: MakeAvatar
) -> None:
    _first, second = await rounds(make_avatar, [
        ("debate", "Cities should introduce congestion charging"),
        ("debate", "Companies should require employees to return to the office full time"),
    ])
    assert second.debate is not None
    assert second.debate["motion"].startswith("Companies should require employees")
    assert second.debate["round"] == 1


async def test_a_pinned_post_is_debated_on_its_thesis(
    make_avatar: MakeAvatar, archive: Archive
) -> None:
    """'Debate this post' pins a title; the motion is the post's own position sentence."""
    title = "Who Pays for the Plumbing?"
    (reply,) = [await make_avatar(allowed=["extractive"])[0].respond(
        "debate", title, motion=title, side="against")]
    assert reply.debate is not None
    motion = reply.debate["motion"]
    assert motion != title and not motion.endswith("?")
    post = next(p.post_id for p in archive.posts() if p.title == title)
    # Her sentence, less its "I believe …" framing (the motion is what she believes).
    assert motion.rstrip(".").lower() in archive.post_text(post).lower()
    assert reply.debate["round"] == 1 and reply.debate["latest"] == ""
    assert reply.stance != "against", "the author argued against her own post's thesis"


async def test_no_motion_of_the_benchmark_is_argued_on_the_wrong_side(
        make_avatar: MakeAvatar) -> None:
    # The sample-blog motions of benchmarks/debate_avatar.py, each with the side her posts
    # take: "unclear" is allowed, the wrong side never (weak posts joining the evidence once
    # turned two of them around).
    from benchmarks.debate_avatar import MOTIONS

    avatar, _search = make_avatar(allowed=["extractive"])
    wrong = []
    for motion, side in MOTIONS:
        reply = await avatar.respond("debate", motion)
        if reply.stance not in (side, "unclear"):
            wrong.append((motion, side, reply.stance))
    assert not wrong


async def test_a_post_opened_for_debate_states_her_side_without_giving_the_reader_one(
    make_avatar: MakeAvatar
) -> None:
    avatar, _search = make_avatar(allowed=["extractive"])
    motion = "Cities should introduce congestion charging"
    reply = await avatar.respond("debate", motion, motion=motion)
    assert reply.debate is not None and reply.debate["reader_side"] is None
    assert reply.text.startswith("The motion: "), reply.text
    assert "You argue" not in reply.text and "same side" not in reply.text, reply.text
    assert "on your side" not in reply.text and "Where you have a point" not in reply.text
