"""The motion of a pinned post: the sentence in which the author states its position.

A reader who follows "Debate this post" pins the post by its title, but a title is rarely a
claim ("Who Pays for the Plumbing?"). The post's thesis is the author's own sentence that
states a position (first person or "should") and is closest to the title in meaning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge.embedding import Embedder
from knowledge.search import SearchHit
from persona.debate import same_words
from persona.grounding import Source
from persona.speech import AUTHOR, said_in

_POSITION_RE = re.compile(r"\b(i (?:believe|think|argue|argued|am (?:for|against)|support|"
                          r"oppose|would)|my (?:position|proposal|view)|should|must|ought to|"
                          r"need to)\b", re.I)
# A sentence that leans on the one before ("So should …") cannot stand alone as a motion.
_LEANS_BACK = re.compile(r"^(so|this|that|these|those|it|they|such|but|and|then|which)\b", re.I)
_MAX_WORDS = 40


def thesis_of(title: str, hits: Sequence[SearchHit], embedder: Embedder) -> str | None:
    """The pinned post's thesis, or None when no retrieved post has this title or no
    sentence of it states a position."""
    post = next((h for h in hits if same_words(h.title, title)), None)
    if post is None:
        return None
    claims = [s.text for s in said_in([Source(1, post, "")])
              if s.speaker == AUTHOR and _POSITION_RE.search(s.text)
              and not s.is_question and not _LEANS_BACK.match(s.text)
              and len(s.text.split()) <= _MAX_WORDS]
    if not claims:
        return None
    vectors = embedder.embed([post.title, *claims])
    best = int((vectors[1:] @ vectors[0]).argmax())
    return claims[best]
