"""The calibrated "nothing relevant" decision: answers what the archive holds, declines the rest."""

from __future__ import annotations

import pytest

from knowledge.archive import Archive
from knowledge.embedding import Embedder
from persona.answerability import FEATURES, load_answerability
from tests.fakes import OpenAIFake
from tests.persona.conftest import FAKE_MODEL, MakeAvatar
from tests.persona.helpers import collect

ANSWERABLE = [
    "Why did Joost Vink's shop close?",
    "How much did the Zilvermeeuwbrug cost?",
    "What does she think of congestion charging?",
    "Should children learn to read code before writing it?",
    "How should cities pay for water pipes?",
    "Is a long commute a perk?",
]
OUT_OF_ARCHIVE = [
    "What is the best lasagna recipe with ricotta?",
    "Who won the 2018 football World Cup final?",
    "What is her opinion of Taylor Swift?",
    "Does she think a city should run Kubernetes?",
    "Does she like sourdough bread?",
]


def test_the_shipped_calibration_weighs_each_signal_the_right_way() -> None:
    model = load_answerability()
    assert set(model.weights) == set(FEATURES)
    assert model.weights["sentence"] > 0 and model.weights["dense"] > 0
    assert model.weights["unknown"] < 0  # a missing topic word counts against an answer
    assert 0.0 < model.threshold < 1.0


@pytest.mark.parametrize("question", ANSWERABLE)
def test_questions_her_posts_answer_are_answered(question: str, archive: Archive,
                                                 embedder: Embedder) -> None:
    verdict = load_answerability().judge(question, archive.search(question, 5, floor=False),
                                         embedder)
    assert verdict.answers, verdict


@pytest.mark.parametrize("question", OUT_OF_ARCHIVE)
def test_questions_outside_her_archive_are_declined(question: str, archive: Archive,
                                                    embedder: Embedder) -> None:
    verdict = load_answerability().judge(question, archive.search(question, 5, floor=False),
                                         embedder)
    assert not verdict.answers, verdict


def test_an_unseen_first_name_does_not_sink_a_surname_that_matches(
        archive: Archive, embedder: Embedder) -> None:
    question = "What did Maarten Vink say about closing his shop?"
    hits = archive.search(question, 5, floor=False)
    assert hits[0].unknown_share > 0  # "Maarten" is a word the archive never saw
    assert load_answerability().judge(question, hits, embedder).answers


def test_no_results_are_never_an_answer(embedder: Embedder) -> None:
    assert not load_answerability().judge("anything at all", [], embedder).answers


async def test_the_avatar_declines_a_near_topic_question_the_old_floor_let_through(
        make_avatar: MakeAvatar, fake: OpenAIFake, archive: Archive) -> None:
    question = "Does she like sourdough bread?"
    assert archive.search(question, 5), "the vocabulary floor alone would have answered"
    avatar, _search = make_avatar(fake)
    _tokens, reply = await collect(avatar.stream("ask", question, model=FAKE_MODEL))
    assert reply.declined and reply.citations == []
    assert fake.requests == []
