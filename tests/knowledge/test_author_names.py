"""The archive's own author's name in a question says nothing about which post answers it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from knowledge.archive import Archive
from knowledge.author_names import without_author_names
from knowledge.post import Post, make_post_id
from tests.support.embedders import MemoEmbedder

# One of the author's own posts that happens to name her: the kind of post (an interview, a
# reply to readers, a footnote) that a rare-name match would put first for every question.
MAILBAG = Post(
    id=make_post_id(url="https://ada-lindqvist.example/mailbag"),
    url="https://ada-lindqvist.example/mailbag",
    title="Letters to Ada Lindqvist",
    text=("Readers write to Ada Lindqvist about everything. 'Dear Ada Lindqvist, why do you "
          "cycle in the rain?' Because the rain is warmer than the tram is punctual.\n\n"
          "Another asks whether Ada Lindqvist still keeps a paper diary. I do, and I think "
          "everyone should, whatever Ada Lindqvist's editors say about it."),
    author="Ada Lindqvist",
)


@pytest.mark.parametrize(("query", "expected"), [
    ("What does Paul Graham think about startups?", "What does think about startups?"),
    ("paul  GRAHAM's view of cities", "view of cities"),
    ("Why does Graham say that?", "Why does say that?"),  # the surname alone too
    ("Grahamstown and Paul Grahams", "Grahamstown and Paul Grahams"),  # whole words only
    ("Paul Graham", "Paul Graham"),  # nothing else left: the name is the question
])
def test_names_come_out_of_the_query(query: str, expected: str) -> None:
    assert without_author_names(query, ["Paul Graham"]) == expected


@pytest.mark.parametrize("names", [[], ["Unknown"], ["noreply@blogger.com"]])
def test_no_real_author_name_leaves_the_query_alone(names: list[str]) -> None:
    query = "What does Paul Graham think of unknown risks?"
    assert without_author_names(query, names) == query


# Questions that name the author; without her name taken out, the mailbag came first in each.
NAMED_QUESTIONS = [
    ("What does Ada Lindqvist think about working from an office?",
     "Against Mandatory Return-to-Office"),
    ("Ada Lindqvist on open source funding", "Who Pays for the Plumbing?"),
    ("What does Ada Lindqvist think of privacy?", "After GDPR Day: A Good Law That Needs Teeth"),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, embedder: MemoEmbedder,
            sample_posts: list[Post]) -> Archive:
    """The sample blog (every post by Ada Lindqvist) plus one post that names her."""
    archive = Archive.open(tmp_path_factory.mktemp("authors") / "data", embedder=embedder)
    archive.ingest([*sample_posts, MAILBAG])
    return archive


@pytest.mark.parametrize(("question", "title"), NAMED_QUESTIONS)
def test_asking_the_author_by_name_finds_the_post_on_the_subject(
        archive: Archive, question: str, title: str) -> None:
    top = [h.title for h in archive.search(question, k=3)]
    assert top[0] == title, top


def test_the_name_alone_still_finds_the_post_about_her(archive: Archive) -> None:
    assert archive.search("Ada Lindqvist", k=1)[0].title == MAILBAG.title


def test_the_author_travels_from_post_to_index(tmp_path: Path, embedder: MemoEmbedder,
                                                sample_posts: list[Post]) -> None:
    archive = Archive.open(tmp_path / "data", embedder=embedder)
    post = replace(sample_posts[0], author="Ada Lindqvist", content_hash="")
    archive.ingest([post])
    head = archive.store.heads_of([post.id])[0]
    assert head["author"] == "Ada Lindqvist"
    # A changed author is a changed post (its metadata must follow), not an unchanged one.
    report = archive.ingest([replace(post, author="A. Lindqvist", content_hash="")])
    assert report.updated == 1
