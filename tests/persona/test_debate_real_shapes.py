"""Debating a blogger who argues by proposal, over fictional posts shaped like the real
author's (news extracts, a letter with a reply, a chatbot's answer, a self-quoted old post)."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.services import build_avatar
from api.settings import Settings
from knowledge.archive import Archive
from knowledge.embedding import Embedder
from knowledge.readers.feeds import read_feed
from persona.avatar import Avatar
from persona.persona import Persona
from tests.support.sample import ROOT

MIXED_FEED = ROOT / "tests" / "fixtures" / "readers" / "mixed" / "feed.xml"
# The side each motion's post takes; those he argues only implicitly (a ferry is "a floating
# bridge") may stay unclear, but none may be argued on the wrong side.
MOTIONS = [
    ("Every flat should have its own water meter", "for"),        # "I write to propose …"
    ("Parking fees should follow demand, street by street", "for"),  # "I propose that …"
    ("Ferry fares should rise to pay for new vessels", "against"),
    ("A city should study a bus lane carefully before trying one", "against"),  # the bot's view
    ("A bus lane should be tried out with paint and cones", "for"),
]


@pytest.fixture(scope="module")
def avatar(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Avatar:
    """An extractive avatar over the mixed-shape feed of a fictional blogger."""
    folder: Path = tmp_path_factory.mktemp("real-shapes")
    archive = Archive.open(folder, embedder=embedder)
    archive.ingest(read_feed(MIXED_FEED.read_bytes(), url=str(MIXED_FEED)).posts)
    settings = Settings(data_dir=folder, default_model="extractive", models=["extractive"],
                        fallback_models=[])
    return build_avatar(settings, archive, Persona(name="Tomas Ferreira", bio="A blogger.",
                                                   sign_off="Regards, Tomas Ferreira"))


@pytest.mark.parametrize(("motion", "side"), MOTIONS)
async def test_his_side_is_never_the_wrong_one(avatar: Avatar, motion: str, side: str) -> None:
    reply = await avatar.respond("debate", motion)
    assert reply.stance in (side, "unclear"), reply.text


@pytest.mark.parametrize(("motion", "side"), MOTIONS[:2])
async def test_a_stated_proposal_decides_his_side(avatar: Avatar, motion: str, side: str) -> None:
    reply = await avatar.respond("debate", motion)
    assert reply.stance == side, reply.text
