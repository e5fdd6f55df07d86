"""A synthetic blog archive shaped like the real author's, built from other people's sentences.

No word of the real author is used: the text is sentences of the evaluation essays
(../shared/data/pg-essays, read at run time) recombined into posts that have his shapes, as
../shared/real-author-shapes.md describes them: a news item quoted and then commented on,
e-mails with a "Dear ..," opening, pasted chatbot answers since 2023, bullets drawn with "Ø",
a "With regards," sign-off with a lower-case name and date, cross-posts of the same text on a
second blog under another URL a few days later.

Post lengths follow LENGTHS below. Its parameters and where they come from:
  - real-author-shapes.md: "Posts run from a few lines to several thousand words; many are
    300-1,200 words". The body is a lognormal with median 650 words and sigma 0.75, which
    puts 61% of body posts in 300-1,200 words, ~4% above 2,500, a few near the 6,000 cap.
  - the stored monthly archive pages of his blog (myblogepage.blogspot.com, 2012, 2014)
    show many one-paragraph notes of roughly 80-200 words between the long posts: a share
    of 25% short posts, lognormal with median 120 words and sigma 0.5, models them. That
    share is our estimate from a handful of pages, not a count.
  - DESIGN.md's scale target (~30k posts, ~200k chunks) implies ~6.7 chunks per post; with
    150-word chunks overlapping by 25 words this mixture gives about that (mean ~690 words).
Cross-posting (CROSS_POST_SHARE = 10% of posts are a second copy on the other blog) is an
assumption: the shapes note says it happens often but gives no rate.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.post import Post, make_post_id, slugify
from knowledge.sentences import split_sentences

CROSS_POST_SHARE = 0.10
BLOGS = ("https://thinking-aloud.example.org", "https://letters-to-others.example.org")
AUTHOR = "Arun Mehta"  # fictional
PAPERS = ("Daily Ledger", "Morning Courier", "City Chronicle", "Business Record")
BOTS = ("ChatGPT", "Bard", "Gemini", "Claude")
FIRST_YEAR, LAST_YEAR = 2006, 2025


@dataclass(frozen=True)
class LengthModel:
    """Post length in words: a share of short notes plus a lognormal body, clipped."""

    short_share: float = 0.25
    short_median: float = 120.0
    short_sigma: float = 0.5
    body_median: float = 650.0
    body_sigma: float = 0.75
    min_words: int = 20
    max_words: int = 6000

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """n post lengths in words."""
        short = rng.random(n) < self.short_share
        median = np.where(short, self.short_median, self.body_median)
        sigma = np.where(short, self.short_sigma, self.body_sigma)
        words = median * np.exp(sigma * rng.standard_normal(n))
        return np.clip(np.rint(words), self.min_words, self.max_words).astype(int)


LENGTHS = LengthModel()


def load_sentences(essay_dir: Path) -> list[str]:
    """Every sentence of the essays (header lines skipped), read now, never stored."""
    sentences: list[str] = []
    for path in sorted(essay_dir.glob("*.txt")):
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        filled = [i for i, line in enumerate(lines) if line.strip()]
        body = lines[filled[2] + 1:] if len(filled) > 3 else []  # byline, title, date
        for paragraph in "\n".join(body).split("\n\n"):
            sentences.extend(s for s in split_sentences(" ".join(paragraph.split()))
                             if 4 <= len(s.split()) <= 60)
    if not sentences:
        raise ValueError(f"no sentences found in {essay_dir}")
    return sentences


class _Writer:
    """Fills posts with sentences drawn from a pool, in the real author's shapes."""

    def __init__(self, sentences: Sequence[str], rng: random.Random) -> None:
        self._sentences = sentences
        self._rng = rng

    def words(self, target: int) -> list[str]:
        """Paragraphs of 1-5 sentences totalling about `target` words."""
        paragraphs: list[str] = []
        count = 0
        while count < target:
            picked = [self._rng.choice(self._sentences) for _ in range(self._rng.randint(1, 5))]
            # Cut the last paragraph to the target, so short notes stay short.
            paragraph = " ".join(" ".join(picked).split()[: max(target - count, 1)])
            if self._rng.random() < 0.08:
                paragraph = "Ø " + paragraph  # his list bullets
            paragraphs.append(paragraph)
            count += len(paragraph.split())
        return paragraphs

    def title(self) -> str:
        """A short title taken from the start of a sentence."""
        words = self._rng.choice(self._sentences).rstrip(".?!").split()
        return " ".join(words[: self._rng.randint(2, 7)]).strip(",;:") or "Untitled"

    def body(self, words: int, day: datetime.date) -> str:
        """The post's text: one of his shapes, about `words` long, then the sign-off."""
        stamp = day.strftime("%d %b %Y")
        roll = self._rng.random()
        if roll < 0.55 and words > 60:  # a news item quoted, then his comment
            quoted = self.words(words // 2)
            opener = f"{self._rng.choice(PAPERS)} ( {stamp} ) reports :"
            lines = [opener, *(f'" {p} "' for p in quoted), "My take :",
                     *self.words(words - words // 2)]
        elif roll < 0.65:  # an e-mail he sent
            lines = [f"Dear {self._rng.choice(('Shri Rao', 'Ms Iyer', 'Friends'))},",
                     *self.words(words)]
        elif roll < 0.75 and day.year >= 2023 and words > 60:  # a chatbot's answer pasted
            bot = self._rng.choice(BOTS)
            lines = [f"I asked {bot} :", *self.words(20), f"{bot} replied :",
                     *self.words(words - 20)]
        else:
            lines = [stamp, *self.words(words)]
        lines += ["With regards,", f"{AUTHOR.lower()} ( {stamp} )"]
        if day.year >= 2023:
            lines.append("Want to debate this topic? Talk to my virtual avatar.")
        return "\n\n".join(lines)


def synthetic_archive(sentences: Sequence[str], n_posts: int, seed: int = 7,
                      lengths: LengthModel = LENGTHS,
                      cross_post_share: float = CROSS_POST_SHARE) -> list[Post]:
    """n_posts posts (cross-posted copies included) in the real author's shapes and lengths."""
    rng = np.random.default_rng(seed)
    pick = random.Random(seed)
    writer = _Writer(sentences, pick)
    copies = round(n_posts * cross_post_share)
    originals = n_posts - copies
    span = (datetime.date(LAST_YEAR, 12, 31) - datetime.date(FIRST_YEAR, 1, 1)).days
    posts: list[Post] = []
    for i, words in enumerate(lengths.sample(rng, originals)):
        day = datetime.date(FIRST_YEAR, 1, 1) + datetime.timedelta(days=pick.randrange(span))
        title = writer.title()
        url = f"{BLOGS[0]}/{day:%Y/%m}/{slugify(title)}-{i}.html"
        posts.append(Post(id=make_post_id(url=url), title=title, url=url, published=day,
                          text=writer.body(int(words), day), source=url))
    for j, original in enumerate(pick.sample(posts, copies) if copies else []):
        assert original.published is not None
        day = original.published + datetime.timedelta(days=pick.randint(0, 5))
        url = f"{BLOGS[1]}/{day:%Y/%m}/{slugify(original.title)}-{j}.html"
        posts.append(Post(id=make_post_id(url=url), title=original.title, url=url,
                          published=day, text=original.text, source=url))
    return posts


def word_counts(posts: Sequence[Post]) -> np.ndarray:
    """Words per post, as the length model counts them."""
    return np.array([len(p.text.split()) for p in posts])
