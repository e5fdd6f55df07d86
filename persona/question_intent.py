"""Whether a question asks for the author's own view, or for what others said.

A post of the real author's mixes a news extract, others' replies and his comment; "What did
he want done with the depots?" is answered by his comment even when the extract shares more
words with the question, and "What did the critics say …?" by the critics' words he quoted.
"""

from __future__ import annotations

import re
from functools import lru_cache

_VERBS = (r"say|says|said|write|writes|wrote|think|thinks|thought|believe|believes|"
          r"believed|feel|feels|felt|propose|proposes|"
          r"proposed|suggest|suggests|suggested|recommend|recommends|recommended|want|wants|"
          r"wanted|urge|urges|urged|advise|advises|advised|make of|stand|stands|favou?rs?|"
          r"oppose|opposes|opposed|argue|argues|argued")
_NOUNS = (r"view|views|opinion|take|stand|stance|position|proposal|proposals|suggestion|"
          r"suggestions|advice|solution|answer|remedy|idea|ideas")


@lru_cache(maxsize=16)
def _his_view(author: str) -> re.Pattern[str]:
    """'What does he / Tomas think …', 'his view', 'Why is she against …', 'Should …?' (asked
    of the avatar, a should-question asks for its view)."""
    names = [re.escape(w) for w in author.split() if len(w) > 2]
    subject = "|".join(["he", "she", "you", "the author", *names])
    owner = "|".join(["his", "her", "your", *(f"{n}'s" for n in names)])
    return re.compile(
        rf"\b(?:{subject})\s+(?:\w+\s+){{0,2}}?(?:{_VERBS})\b"
        rf"|\b(?:{owner})\s+(?:\w+\s+)?(?:{_NOUNS})\b"
        rf"|\bwhy\s+(?:is|was|does|did)\s+(?:{subject})\s+(?:\w+\s+)?(?:for|against)\b"
        r"|^\W*should\b",
        re.IGNORECASE)


def asks_his_view(question: str, author: str = "") -> bool:
    """Whether the question asks what the author (by pronoun or name) thinks, wants or
    proposes."""
    return bool(_his_view(author).search(question))


# Someone's words: "What did the critics say", "What has ChatGPT suggested", "according to …";
# not a reader's own doing ("How do I report a broken light?") nor a noun ("the answer to …").
_SPEECH = re.compile(
    r"\b(?:did|does|do|has|have|had)\s+(?!(?:I|you|we)\b)[^?]{0,60}?\b(?:say|said|reply|"
    r"replied|answer|answered|suggest|suggested|recommend|recommended|report|reported|claim|"
    r"claimed|argue|argued|object|objected|warn|warned)\b|\baccording to\b",
    re.IGNORECASE)


def asks_others(question: str, author: str = "") -> bool:
    """Whether the question asks what someone other than the author said."""
    return bool(_SPEECH.search(question)) and not asks_his_view(question, author)
