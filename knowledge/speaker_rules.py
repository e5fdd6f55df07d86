"""The cue tables that tell who is speaking in a paragraph of a post (generic English cues)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_I = re.IGNORECASE

# Chatbots by name, or described ("the bot"): an answer line must still say it is one.
BOTS = (
    r"(?:Chat ?GPT(?:[- ]?\d[\w.]*)?|GPT[- ]?\d[\w.-]*|(?:Google )?Bard|(?:Google )?Gemini"
    r"|Claude|(?:Microsoft )?Copilot|Bing(?: Chat)?|Perplexity|Grok|Meta AI|DeepSeek|Le Chat"
    r"|the (?:chat)?bot|the AI|the assistant|an? AI (?:chatbot|assistant)"
    # An AI service named by its web address: "I asked www.IndiaAGI.ai :".
    r"|(?:https?://)?(?:www\.)?[\w-]+\.ai\b)"
)
_ANSWER_VERBS = r"(?:replied|answered|responded|said|says|wrote|came back)"
_EXTRACT_WORDS = r"(?:extracts?|excerpts?)"
_QUOTES = "“”\"«»„"
# Leading list marks the author draws bullets with ("Ø", "·", "*", ">" and a mis-encoded "?").
# List marks bloggers draw before a line ("Ø", "·", "*", ">", "#", a mis-encoded "?"); a "-"
# before a number is a minus sign, not a bullet.
BULLET_RE = re.compile(r"^\s*(?:[*•·▪◦‣Ø>#–—?]|-(?!\s*\d))+\s*")
QUOTED_RE = re.compile(r"[\"“][^\"“”]*[\"”“]")
FIRST_PERSON_RE = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself)\b")
# A written-out date: "16 Aug 2011", "2nd March, 2023", "May 3, 2016".
_DATE = (r"(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}"
         r"|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4})")
DATE_LINE_RE = re.compile(rf"^\(?\s*(?:\w+day,?\s+)?(?:{_DATE}|\d{{4}}-\d{{2}}-\d{{2}})\s*\)?$")


@dataclass(frozen=True)
class ParagraphRule:
    """One cue: a paragraph matching `pattern` is said by `speaker` and starts `mode`.

    speaker/mode "=" keep the current mode's; `when` limits the rule to some modes (empty:
    any); `label` is a template filled from the match's named groups ("" for none).
    """

    name: str
    pattern: re.Pattern[str]
    speaker: str
    mode: str
    label: str = ""
    when: frozenset[str] = frozenset()
    max_words: int = 0  # cue lines are short: a longer paragraph is prose that merely says it

    def matches(self, paragraph: str, mode: str) -> re.Match[str] | None:
        """The match when this rule applies to the paragraph in this mode."""
        if self.when and mode not in self.when:
            return None
        if self.max_words and len(paragraph.split()) > self.max_words:
            return None
        return self.pattern.search(paragraph)


def _rule(name: str, pattern: str, speaker: str, mode: str, label: str = "",
          when: tuple[str, ...] = (), max_words: int = 0) -> ParagraphRule:
    return ParagraphRule(name, re.compile(pattern, _I), speaker, mode, label, frozenset(when),
                         max_words)


QUOTED_MODES = ("news", "chatbot", "email", "speech", "reply")

# What a paragraph's mode makes it by default, and the speaker each mode gives.
MODE_SPEAKER = {
    "author": "author", "self": "author", "asking": "author", "signoff": "signoff",
    "news": "news", "chatbot": "chatbot", "email": "email", "speech": "quote",
    # A reply that addresses him by name, pasted with no line naming its sender.
    "reply": "email",
}
# A mode that ends by itself when a paragraph matches no rule of it.
MODE_LAPSES = {"signoff": "author"}

# First match wins; order matters (a trailer beats a sign-off, a bot's answer beats a reply).
PARAGRAPH_RULES: tuple[ParagraphRule, ...] = (
    _rule("trailer",
          r"\b(?:debate|discuss|argue|chat|talk)\b.{0,80}\b(?:virtual|digital|ai)\s+avatar\b"
          r"|\bavatar\b.{0,40}\b(?:debate|discuss|argue)\b",
          "signoff", "signoff", max_words=40),
    # The other person's sign-off closes a forwarded e-mail (see signoff_names_author).
    _rule("email-signoff", r"^(?:(?:with\s+)?(?:(?:kind|warm|best|many)\s+)?regards\b"
          r"|(?:thanks|thank you)\b.{0,12}$|(?:yours\s+)?(?:sincerely|truly|faithfully)\b"
          r"|cheers\b|best wishes\b|best\s*,)",
          "=", "author", when=("email",), max_words=12),
    _rule("signoff", r"^(?:(?:with\s+)?(?:(?:kind|warm|warmest|best|many)\s+)?regards\b"
          r"|(?:thanks|thank you)\s*(?:&|and)\s*regards\b|(?:yours\s+)?(?:sincerely|faithfully)\b"
          r"|yours\s+truly\b|cheers\b|best wishes\b|best\s*,)",
          "signoff", "signoff", max_words=12),
    _rule("self-quote",
          r"\b(?:my|our) following\b.{0,80}\b(?:blog|post|note|e-?mail|letter|article)s?\b"
          r"|\b(?:my|our) (?:earlier|old|older|previous)\b.{0,60}"
          r"\b(?:blog|post|note|e-?mail|letter|article)s?\b.{0,60}:\s*$"
          r"|^(?:extract|excerpt)s? from (?:my )?(?:own )?(?:blog|post|earlier post)\b"
          r"|^(?:as )?I (?:wrote|suggested|proposed|argued) (?:in|on|back in) .{0,60}:\s*$"
          # "Exactly 3 years back , I sent following email to our Councillors :"
          # (the verb right before "following", and not an article "from the Coastal Times")
          r"|\bI (?:sent|mailed|e-?mailed|posted) (?:the |this |my )?following (?:e-?mail|letter"
          r"|blog|post|note)s?\b(?!.{0,60}\b(?:from|by|in|of) (?:the )?(?-i:[A-Z]))",
          "author", "self", "an earlier post", max_words=60),
    # "Extract :" right inside his own earlier post he re-sends keeps it his (a news
    # "Extract :" comes after "Context :" or a headline line, which leave this mode).
    _rule("self-extract", rf"^{_EXTRACT_WORDS}\s*:\s*$", "author", "self", "an earlier post",
          when=("self",)),
    _rule("email-wrote",
          r"^On .{4,80}?,? (?P<name>(?-i:[A-Z])[^,:<]{1,60}?) (?:<[^>]+> )?wrote\s*:",
          "email", "email", "an e-mail from {name}"),
    _rule("bot-answer-line",
          rf"^(?:here is |here's |this is |below is )?(?:what |how )?(?P<bot>{BOTS}) "
          rf"{_ANSWER_VERBS}\b[^:]{{0,60}}:\s*$",
          "chatbot", "chatbot", "an answer from {bot}", max_words=25),
    _rule("bot-answer-inline", rf"^(?P<bot>{BOTS})\s*(?:{_ANSWER_VERBS}\s*)?:\s*\S",
          "chatbot", "chatbot", "an answer from {bot}"),
    _rule("answer-mark", r"^(?:A|Ans|Answer|Reply|Response)\s*[:.\-]", "chatbot", "chatbot",
          when=("asking", "chatbot")),
    _rule("bot-question",
          rf"^(?:(?:then|next|so|finally|first|today),? )?I (?:asked|put (?:this|the|my) "
          rf"(?:question|query|prompt) to|typed (?:this )?into|posed (?:this|the|my) "
          rf"(?:question )?to|checked with|consulted) (?P<bot>{BOTS})\b",
          "author", "asking", "an answer from {bot}"),
    _rule("question-mark", r"^(?:Q|Question|My question|Prompt|My prompt|Me)\s*:",
          "author", "asking", when=("asking", "chatbot")),
    _rule("person-reply",
          r"^(?P<name>(?-i:[A-Z])[\w.'-]*(?: (?-i:[A-Z])[\w.'-]*){0,3}) (?:replied|wrote back"
          r"|responded"
          r"|answered|writes)\b[^:]{0,40}:\s*$",
          "email", "email", "a reply from {name}", max_words=12),
    _rule("news-more",
          r"^(?:the )?(?:report|article|news|story|item|paper|it)\s+(?:adds|added|continues"
          r"|goes on|further (?:says|adds|reports)|also (?:says|notes|reports))\b[^:]{0,30}:",
          "news", "news", "{news}"),
    _rule("news-intro",
          r"^(?:the )?following (?:news )?(?:report|news|news-report|item|story|article|extract"
          r"|headline)s?\b.{0,80}?\b(?:in|by|from|on)\s+(?P<src>[^:]{2,80}?)\s*:\s*$"
          r"|^(?P<src2>(?-i:[A-Z])[^:]{1,80}?)\s*(?:\([^)]*\)\s*)?(?:reports|reported|carried|carries"
          r"|published)\b(?: (?:the )?following(?: [\w-]+){0,2}| that| as follows)?\s*:\s*$"
          r"|^(?:according to|as per|as reported (?:in|by)|reported in|extract from"
          r"|excerpt from|(?:I )?(?:just )?read (?:this )?in)\s+(?P<src3>[^:]{2,80}?)\s*:\s*$"
          r"|\bnews[- ](?:report|item|story|extract)\b(?: (?:in|from) (?P<src4>[^:,(]{2,60}))?"
          r"\s*(?:\([^)]*\))?[^:]{0,80}:\s*$"
          # "Just came across following report :" (the headline line comes next).
          r"|^(?:I )?(?:just )?(?:came across|saw|noticed|found|read)\s+(?:the |this )?"
          r"following\s+(?:news[- ]?)?(?:report|news|item|story|article|extract|headline)s?\b"
          r"(?![^:]*\b(?-i:I|my|My|mine)\b)[^:]{0,60}:\s*$",
          "author", "news", "a news report{in_src}", max_words=35),
    # "Deputy Mayor Bos wrote ," / "you have repeatedly said :" alone on a line: the next
    # paragraph is that person's words, in quotation marks or not (his own "I said" is his).
    _rule("speech-intro",
          # Not when he is the one who said it ("Last year I said :"), nor an aside ("That
          # said ,", "as the Gazette stated ,"); a comma closes an intro only after a name.
          r"^(?!(?:that|having|as)\b)(?!.*\b(?:I|we)(?:\s+\w+){0,2}\s+(?:said|say|wrote|write"
          r"|stated|told)\b(?:\s+\w+){0,3}\s*[:,]\s*$)"
          r".{0,200}?(?:\b(?:said|says|wrote|writes|stated|states|declared|announced|tweeted"
          r"|remarked|proclaimed|told(?: \w+){0,3}|and I quote)\s*:"
          r"|(?<!\bas )(?<!\bas the )(?-i:[A-Z])\w+\s+(?:said|wrote|stated|declared|announced"
          r"|tweeted|remarked)\s*,)\s*$",
          "author", "speech", when=("author", "self"), max_words=40),
    # A headline cited with its source and date, as the line before an extract:
    # "Chamber calls for ferry rules ………… Coastal Times / 09 March 2023". (His own earlier
    # post is cited by title and date alone, with no source between: that stays his.)
    _rule("headline-cite",
          r"^\S.{8,200}?\s*(?:…{2,}|\.{4,}|\s/\s)[\s…./]*(?P<src>(?-i:[A-Z])[^/…]{1,40}?)\s*/\s*"
          rf"{_DATE}\s*$",
          "news", "news", "a news report in {src}", max_words=60),
    # "Context :" (a headline follows) and "Extract :" alone on a line introduce news too.
    _rule("extract-line", rf"^(?:context|headline|{_EXTRACT_WORDS})\s*:\s*$",
          "author", "news", "{news}"),
    # A definition or passage he quotes from a reference: "Wikipedia defines X as follows :".
    _rule("extract-intro",
          r"^(?P<src>(?-i:[A-Z])[^:]{1,60}?)\s+(?:defines|describes|explains|puts|says|states)"
          r"\b[^:]{0,60}?\bas follows\s*:\s*$",
          "author", "news", "an extract from {src}", max_words=25),
    # "… what are the meanings of the words in its following definition of a START UP ?":
    # what follows is the definition (a rule, a notice) someone else wrote, not his words.
    # Only after "its", "their", "his" or "her": "the following rules" may be his own.
    _rule("document-intro",
          r"\b(?:its|their|his|her)\s+following\s+(?:official\s+)?(?:definition"
          r"|rules?|notification|circular|guidelines?|order|policy|clause|section|criteria"
          r"|conditions?|statement|announcement|press release)\b.{0,80}[:?]\s*$",
          "author", "news", "an official text", max_words=60),
    _rule("comment",
          r"^(?:my (?:take|comment|comments|view|views|reply|response|suggestion|suggestions"
          r"|thoughts|two cents|answer|point)\b|here (?:is|are) my\b|(?:comment|comments|note)"
          r"\s*:)",
          "author", "author", when=("news", "chatbot", "email", "reply")),
    _rule("reaction",
          r"^(?:I (?:dis)?agree\b|I (?:do not|don't|cannot|can't) (?:agree|accept|buy)\b"
          r"|I am not (?:convinced|persuaded)\b|(?:that|this|the) (?:answer|reply|response)"
          r" (?:is|was|misses|ignores|sounds)\b|dear\b"
          r"|thanks? (?:you )?for (?:the|your|this) (?:reply|answer|response)\b)",
          "author", "author", when=("news", "chatbot", "reply")),
    # Short lines right after a sign-off (a name, a date, a flat number) belong to it.
    _rule("signoff-tail", r"^[^.?!:]{1,60}(?:\([^)]{0,30}\))?[^\w:?]*$", "signoff", "signoff",
          when=("signoff",), max_words=10),
)

EMAIL_HEADER_RE = re.compile(
    r"^(?:Subject|Sub|To|Cc|Bcc|From|Sent)\s*:\s*\S|^Date\s*:.*\b(?:To|From|Subject|Cc)\s*:"
    r"|^[\w.+-]+@[\w-]+\.[\w.-]+(?:\s*[;,]\s*[\w.+-]+@[\w-]+\.[\w.-]+)*\s*;?$",
    _I,
)
# A forwarded e-mail's banner; its From line (often in the same paragraph) names the sender.
FORWARD_RE = re.compile(
    r"^(?:forwarded message|original message|begin forwarded message|forwarded e-?mail)\b", _I)
EMAIL_FROM_RE = re.compile(
    r"\bFrom\s*:\s*(?P<name>[^<;\[(]+?)\s*(?:<[^>]*>|\[[^\]]*\]|\(|\b(?:To|Cc|Bcc|Sent|Date"
    r"|Subject)\s*:|$)",
    _I,
)

# Sentence cues for a view the author reports and then answers.
OBJECTION_RES: tuple[re.Pattern[str], ...] = tuple(re.compile(p, _I) for p in (
    # "The counter-argument I respect most is this: ...", "The fair objection is that ..."
    r"^(?:now,? )?(?:the|one|another|a|an|their)\s+(?:[\w-]+\s+){0,4}?(?:counter-?arguments?"
    r"|objections?|arguments? against|case against|arguments? (?:on|for) the other side"
    r"|criticisms?)\b.*(?:\b(?:is|are|goes|runs|comes|says)\b|:)",
    r"\b(?:answer|address|consider|hear|rebut|respond to)\s+(?:a|an|the|one|this)\s+"
    r"(?:[\w-]+\s+){0,2}(?:counter-?argument|objection|criticism)\b",
    r"^(?:critics|opponents|sceptics|skeptics|detractors|some (?:people|readers|colleagues"
    r"|economists|engineers|critics)|many people|others|people|some)\s+(?:say|said|argue"
    r"|argued|claim|claimed|insist|object|objected|tell me|complain|point out|will say"
    r"|would say|might say)\b",
    r"^(?:it is|it's) (?:often|sometimes|commonly|frequently) (?:said|argued|claimed|objected)\b",
    r"^(?:you|one) (?:might|may|could|will) (?:say|argue|object)\b",
    # A view the author once held: "As a teenager I was ... against nuclear power".
    r"^(?:as a (?:teenager|child|student|boy|girl|young \w+)|when I was (?:young|younger"
    r"|a (?:teenager|student|child))|for (?:years|a long time|decades)|I used to|years ago"
    r"|back then|at (?:sixteen|eighteen|twenty|university|school))\b.*\b(?:against|opposed"
    r"|believed|thought|was convinced|was sure|dismissed|distrusted|sceptical|skeptical)\b",
))
# "It goes: if I hand my project over, I lose control" still states the objection.
OBJECTION_GOES_RE = re.compile(
    r"^(?:it|the argument|their argument|the claim|the idea|the reasoning)\s+(?:goes|runs"
    r"|is that|says)\b", _I)
# Where the author's answer begins.
REPLY_CUE_RE = re.compile(
    r"^(?:but|however|yet|still|even so|that|this|these|those|both|neither|there is (?:truth"
    r"|something|some)|true|fair|perhaps|maybe|partly|all true|granted|agreed|of course|sure"
    r"|in fact|actually|now|today|over the|we|our|it is (?:true|fair|a fair)"
    r"|(?:the|my) (?:\w+ )?(?:answer|reply|response|evidence))\b", _I)
MAX_OBJECTION_SENTENCES = 4


def starts_quote_block(paragraph: str) -> bool:
    """True when a paragraph opens with a quotation mark."""
    return bool(paragraph) and paragraph[0] in "“\"«„"


def quote_count(paragraph: str) -> int:
    """How many quotation marks a paragraph holds."""
    return sum(paragraph.count(q) for q in _QUOTES)


def ends_quote(paragraph: str) -> bool:
    """True when a paragraph ends with a quotation mark (trailing punctuation allowed)."""
    stripped = paragraph.rstrip(" .,;:!?)]")
    return len(stripped) > 1 and stripped[-1] in _QUOTES
