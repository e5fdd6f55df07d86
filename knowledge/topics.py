"""The author's topic map, computed from the index: clusters of posts named by their words."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.store import ChunkStore
from knowledge.tokens import STOP_WORDS, tokenize

_WORD_RE = re.compile(r"[a-z][a-z'-]{2,}")
# Words that say nothing about a topic in a blog post.
_BLAND = STOP_WORDS | frozenset(
    """about after again also always because before being between both came come does doing
    down during each even every first from going good great have here into just know last
    like little long look made make many more most much must need never next once only other
    over people really said same should since some still such sure take tell than that their
    them then there these thing things think this those though thought three through time
    today took under until very want well were what when where which while will with without
    work would write wrote year years your yours whose ever every kind lot lots way ways
    another around something someone one two three four five six seven eight ten half now
    believe small big new old part put get got let yet ago back""".split()
)


@dataclass(frozen=True)
class TopicPost:
    """An example post of a topic."""

    post_id: str
    title: str
    url: str


@dataclass
class Topic:
    """A cluster of posts, named by its most distinctive words."""

    label: str
    terms: list[str]
    posts: int
    examples: list[TopicPost] = field(default_factory=list)


@dataclass
class TopicMap:
    """Topics (clusters) and the archive's most common distinctive terms, with post counts."""

    generation: str
    topics: list[Topic]
    terms: list[tuple[str, int]]

    def to_json(self) -> dict[str, Any]:
        """JSON for /v1/topics and `avatar topics --json`."""
        return {"topics": [asdict(t) for t in self.topics],
                "terms": [{"term": t, "posts": n} for t, n in self.terms]}

    def labels(self) -> list[str]:
        """Topic labels, biggest first (for suggestions and chips)."""
        return [t.label for t in self.topics]


def _distinct_stems(words: list[str]) -> list[str]:
    """Drop words whose stem is already listed ('cities' after 'city')."""
    seen: set[str] = set()
    out = []
    for word in words:
        stem = (tokenize(word) or [word])[0]
        if stem not in seen:
            seen.add(stem)
            out.append(word)
    return out


def _words(text: str) -> set[str]:
    return {w.strip("'-") for w in _WORD_RE.findall(text.lower())} - _BLAND


def _kmeans(x: np.ndarray, k: int, rounds: int = 30, seed: int = 7) -> np.ndarray:
    """Spherical k-means (cosine) with k-means++ seeding; returns a label per row."""
    rng = np.random.default_rng(seed)
    centers = [x[rng.integers(len(x))]]
    for _ in range(1, k):
        dist = 1 - np.max(x @ np.array(centers).T, axis=1)
        p = np.clip(dist, 0, None) ** 2
        centers.append(x[rng.choice(len(x), p=p / p.sum()) if p.sum() else rng.integers(len(x))])
    c = np.array(centers)
    labels = np.zeros(len(x), dtype=int)
    for _ in range(rounds):
        new = np.argmax(x @ c.T, axis=1)
        if np.array_equal(new, labels) and _ > 0:
            break
        labels = new
        for j in range(k):
            members = x[labels == j]
            if len(members):
                v = members.sum(axis=0)
                c[j] = v / max(float(np.linalg.norm(v)), 1e-9)
    return labels


def compute_topics(store: ChunkStore, generation: str, max_topics: int = 12,
                   examples: int = 3) -> TopicMap:
    """Cluster the posts' opening chunks and name each cluster by its distinctive words."""
    heads = store.opening_vectors()
    if not heads:
        return TopicMap(generation, [], [])
    vectors = np.asarray([h[1] for h in heads], dtype=np.float32)
    vectors /= np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9, None)
    words = [_words(f"{m.get('title', '')} {m.get('tags', '')} {doc}") for m, _v, doc in heads]
    df = Counter(w for ws in words for w in ws)
    n = len(heads)
    k = max(1, min(max_topics, round(float(np.sqrt(n / 2)))))
    labels = _kmeans(vectors, k)
    topics = []
    for j in range(k):
        idx = np.flatnonzero(labels == j)
        if not len(idx):
            continue
        inside = Counter(w for i in idx for w in words[i])
        # c-TF-IDF: words common inside the cluster and rare outside it.
        score = {w: c / len(idx) * np.log(1 + n / df[w]) for w, c in inside.items() if c > 1}
        terms = _distinct_stems(sorted(score, key=lambda w: -score[w]))[:5] or [
            w for w, _c in inside.most_common(3)]
        tags = Counter(t.strip() for i in idx for t in str(heads[i][0].get("tags", "")).split(",")
                       if t.strip())
        # The author's own tags name a topic best; words are the fallback for untagged blogs.
        label = tags.most_common(1)[0][0] if tags and tags.most_common(1)[0][1] > 1 else \
            " · ".join(terms[:2])
        centroid = vectors[idx].mean(axis=0)
        closest = idx[np.argsort(-(vectors[idx] @ centroid))[:examples]]
        topics.append(Topic(
            label=label, terms=terms, posts=len(idx),
            examples=[TopicPost(str(heads[i][0]["post_id"]), str(heads[i][0].get("title", "")),
                                str(heads[i][0].get("url", ""))) for i in closest],
        ))
    topics.sort(key=lambda t: -t.posts)
    common = [(w, c) for w, c in df.most_common(200) if c < 0.6 * n][:20]
    return TopicMap(generation, topics, common)


def load_cached(path: Path, generation: str) -> TopicMap | None:
    """A topic map saved for this generation of the index, if any."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if data.get("generation") != generation:
        return None
    topics = [Topic(t["label"], t["terms"], t["posts"], [TopicPost(**e) for e in t["examples"]])
              for t in data["topics"]]
    return TopicMap(generation, topics, [(x["term"], x["posts"]) for x in data["terms"]])


def save_cached(path: Path, topic_map: TopicMap) -> None:
    """Save a topic map with the generation it was computed for."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"generation": topic_map.generation, **topic_map.to_json()}))
