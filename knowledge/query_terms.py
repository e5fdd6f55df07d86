"""What the archive knows of a query's words: which are rare in it, which it never saw."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from knowledge.embedding import packaged_model_path
from knowledge.keyword_index import KeywordIndex
from knowledge.tokens import tokenize, words_and_stems

# A term in at most this share of the posts is "rare": it points at a few posts, the way a
# name or a topic word does (the question checker's rule: at most 20 of 212 essays).
RARE_SHARE = 0.1


@dataclass(frozen=True)
class QueryTerms:
    """The query's keyword terms split by how the archive's posts hold them."""

    rare: tuple[str, ...]      # in at least one post, and in at most RARE_SHARE of them
    common: tuple[str, ...]    # in more posts than that
    unknown: tuple[str, ...]   # in no post: names, misspellings, words the author never used
    unfamiliar: tuple[str, ...] = ()  # unknown, and no common English word either (below)
    # unfamiliar terms that are one or two letters off a term the archive holds, and that
    # term: a misspelt name ("Brodhuys" for "Broodhuys") is searched as the archive spells it
    respelled: tuple[tuple[str, str], ...] = ()

    def lexical_query(self, query: str) -> str:
        """The query for exact-word search: with the archive's spelling of misspelt terms."""
        return " ".join([query, *(known for _term, known in self.respelled)])

    @property
    def lexical(self) -> bool:
        """Whether exact words can single out posts (a rare term the archive holds)."""
        return bool(self.rare)


def query_terms(query: str, posts: KeywordIndex) -> QueryTerms:
    """Split the query's terms by their document frequency over whole posts."""
    pairs = words_and_stems(query)
    terms = list(dict.fromkeys(stem for _w, stem in pairs))
    df, n_docs = posts.document_frequencies(terms)
    limit = max(1.0, RARE_SHARE * n_docs)
    unknown = tuple(t for t in terms if not df[t])
    everyday = common_english()
    unfamiliar = tuple(dict.fromkeys(stem for w, stem in pairs
                                     if stem in unknown and w not in everyday))
    named = {stem for w, stem in words_and_stems(" ".join(_NAME_RE.findall(query)))}
    respelled = tuple((t, known) for t in unfamiliar
                      if t in named and (known := _archive_spelling(t, posts)) is not None)
    corrected = {t for t, _known in respelled}
    return QueryTerms(
        rare=tuple(t for t in terms if 0 < df[t] <= limit),
        common=tuple(t for t in terms if df[t] > limit),
        unknown=unknown,
        unfamiliar=tuple(t for t in unfamiliar if t not in corrected),
        respelled=respelled,
    )


# Only names are respelt: a capitalised word inside the question ("her Brodhuys card"). An
# ordinary word the archive lacks is too often one letter off another word ("scooter",
# "shooter"; "braver", "brave"), as measured on our dev questions. Shorter names are not safe
# to guess at either.
_NAME_RE = re.compile(r"(?<=\S )[A-Z][\w'’-]*")
MIN_RESPELL = 5
LONG_TERM = 9  # from this length two edits are still a misspelling, not another word


def _archive_spelling(term: str, posts: KeywordIndex) -> str | None:
    """The one term the archive holds that `term` is a misspelling of, if there is one."""
    if len(term) < MIN_RESPELL:
        return None
    near = posts.near_terms(term, 2 if len(term) >= LONG_TERM else 1)
    if not near:
        return None
    best = [known for known, d in near if d == near[0][1]]
    live = [k for k in best if posts.document_frequencies([k])[0][k]]
    # A tie is a guess; and the term must survive being tokenised again as query text.
    if len(live) != 1 or tokenize(live[0]) != [live[0]]:
        return None
    return live[0]


@cache
def common_english() -> frozenset[str]:
    """Words whole in the packaged MiniLM's WordPiece vocabulary: everyday English.

    A small archive has never seen many everyday words ("apartment", "battery"), so their
    absence says little about whether it can answer; a name, a product or a piece of jargon
    ("Kubernetes", "GDPR") that it has never seen usually is the very subject it lacks.
    """
    vocab = (packaged_model_path() / "vocab.txt").read_text(encoding="utf-8").split()
    return frozenset(w for w in vocab if not w.startswith("##"))


def without_unknown(query: str, terms: QueryTerms) -> str:
    """The query less the words the archive never saw, when it names something it knows.

    "Yuval Noah Harari" in an archive that only has "Harari": the unseen first names must not
    count as unmatched weight against a query whose rare, known word matches well. A query
    with no rare known word keeps its unknown words, since there the unseen word is usually
    the very topic the archive lacks ("Kubernetes", "sourdough").
    """
    if not terms.rare or not terms.unknown:
        return query
    unknown = set(terms.unknown)
    kept = [w for w in query.split() if not (set(tokenize(w)) and set(tokenize(w)) <= unknown)]
    return " ".join(kept)
