"""The calibrated "nothing relevant" decision: answers what the archive holds, declines the rest."""

from __future__ import annotations

from dataclasses import replace

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


class _CountingEmbedder:
    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.texts = 0

    def embed(self, texts: list[str]) -> object:
        self.texts += len(texts)
        return self.inner.embed(texts)


def test_a_close_match_is_answered_without_reading_sentences(archive: Archive,
                                                             embedder: Embedder) -> None:
    question = "Should companies pay for the open-source software they depend on?"
    hits = archive.search(question, 5, floor=False)
    counting = _CountingEmbedder(embedder)
    assert load_answerability().judge(question, hits, counting).answers  # type: ignore[arg-type]
    assert counting.texts == 0


def test_an_unclear_match_reads_the_sentences(archive: Archive, embedder: Embedder) -> None:
    question = "Does she like sourdough bread?"
    counting = _CountingEmbedder(embedder)
    load_answerability().judge(question, archive.search(question, 5, floor=False),
                               counting)  # type: ignore[arg-type]
    assert counting.texts > 1


# A question her posts bear on without a chunk close enough for the early answer: the verdict
# reads its sentences, so where its probability falls decides how the avatar answers.
NEAR = "Is a long commute a perk?"


def test_a_probability_between_the_thresholds_answers_as_the_closest(
        archive: Archive, embedder: Embedder) -> None:
    shipped = load_answerability()
    hits = archive.search(NEAR, 5, floor=False)
    verdict = shipped.judge(NEAR, hits, embedder)
    assert verdict.answers and verdict.probability < 1.0  # judged, not answered early
    above = replace(shipped, confident_at=verdict.probability + 1e-6)
    below = replace(shipped, confident_at=verdict.probability - 1e-6)
    assert above.judge(NEAR, hits, embedder).answers
    assert not above.judge(NEAR, hits, embedder).confident
    assert below.judge(NEAR, hits, embedder).confident


async def test_the_avatar_says_when_its_posts_only_come_closest(
        make_avatar: MakeAvatar, archive: Archive, embedder: Embedder) -> None:
    hedging = replace(load_answerability(), confident_at=1.0)  # only an early answer is sure
    avatar, _search = make_avatar(allowed=["extractive"], answerability=hedging)
    _tokens, reply = await collect(avatar.stream("ask", NEAR))
    assert not reply.declined and reply.citations
    assert reply.text.startswith("I'm not sure I have written about exactly this"), reply.text
    # A question a chunk matches closely is answered outright, whatever the second threshold.
    _tokens, sure = await collect(avatar.stream(
        "ask", "Should companies pay for the open-source software they depend on?"))
    assert sure.citations and "exactly this" not in sure.text, sure.text


async def test_a_language_model_is_told_when_the_posts_only_come_closest(
        make_avatar: MakeAvatar, fake: OpenAIFake) -> None:
    hedging = replace(load_answerability(), confident_at=1.0)
    avatar, _search = make_avatar(fake, answerability=hedging)
    await collect(avatar.stream("ask", NEAR, model=FAKE_MODEL))
    system = fake.requests[-1].json["messages"][0]["content"]
    assert "may not answer this question directly" in system
    avatar, _search = make_avatar(fake)
    await collect(avatar.stream("ask", "Should companies pay for the open-source software "
                                       "they depend on?", model=FAKE_MODEL))
    assert "may not answer this question directly" not in \
        fake.requests[-1].json["messages"][0]["content"]
