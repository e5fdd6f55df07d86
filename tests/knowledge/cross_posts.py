"""Fictional posts shaped like the real author's cross-posts and self-quotes (none of his text).

One post ("Meters for every tap") appears on the main blog and, two days later, on the
e-mail blog with another title, other spacing and another trailer; a year later a third post
quotes it in full and adds a comment of its own.
"""

from __future__ import annotations

from datetime import date

from knowledge.post import Post

MAIN_BLOG = "https://alexdoe-reflections.blogspot.com"
MAIL_BLOG = "https://alexdoe-letters.blogspot.com"

BODY = """Following news report appeared in today's Coastal Ledger :

" The city water board will fit smart meters to forty thousand homes in the old quarter
by next monsoon, after an audit found that a third of the water it pumps is never billed.
The board expects leaks to be found within hours instead of months, and says that tariffs
will stay unchanged for the first year. "

My take :

I have argued for years that water we cannot measure is water we cannot save. A meter on
every tap tells a family what a bucket really costs, and it tells the board where the old
pipes weep under the road. Households that pay for what they use fix a dripping cistern in
a week; households that pay a flat fee fix it never.

But a meter alone is a bill, not a policy. The board should publish, street by street,
how much water goes in and how much is billed, so that neighbours can see the leaks
themselves. Every resident should get the first fifty litres a day free, because water
for drinking and cooking is a right and not a luxury, and only the litres beyond that
should be charged at a rising rate.

Let the savings pay for new pipes in the poorest wards first. Ten years from now the old
quarter could lose less water than any district in the country, if the board starts
counting today."""

SIGN_OFF = "With regards,\n\nAlex Doe"
TRAILER_2024 = "Debate this topic with my Virtual Avatar at alexdoe-avatar.example"
TRAILER_2025 = ("You can now discuss this with my virtual avatar, which has read all my "
                "posts, at avatar.alexdoe.example")

COMMENT = """Looking back a year later, the board did fit the meters, and the leak maps
it now publishes every month have shamed three contractors into relaying their pipes.
What it did not do is the free fifty litres: poorer families pay more than before, and
some have gone back to the public tank. A policy is judged by its weakest household, and
on that test the board has passed only half of my suggestion. I ask the new chairman to
finish the job before the next monsoon and to report the billed share every quarter."""


def _post(url: str, title: str, text: str, published: date, source: str) -> Post:
    return Post(id=url, title=title, text=text, url=url, published=published, source=source,
                author="Alex Doe")


def original(source: str = f"{MAIN_BLOG}/feeds/posts/default") -> Post:
    """The post as first published on the main blog."""
    return _post(f"{MAIN_BLOG}/2024/03/meters-for-every-tap.html", "Meters for every tap",
                 f"{BODY}\n\n{SIGN_OFF}\n\n{TRAILER_2024}", date(2024, 3, 12), source)


def cross_post(source: str = f"{MAIL_BLOG}/feeds/posts/default") -> Post:
    """The same text two days later on the e-mail blog: other title, spacing and trailer."""
    spaced = BODY.replace(" :", ":").replace("\n", "  \n")
    return _post(f"{MAIL_BLOG}/2024/03/re-meters-for-every-tap.html",
                 "RE: Meters For Every Tap ( sent to the water board )",
                 f"Dear Chairman,\n\n{spaced}\n\n{SIGN_OFF}\n\n{TRAILER_2025}",
                 date(2024, 3, 14), source)


def retrailed(source: str = f"{MAIN_BLOG}/feeds/posts/default") -> Post:
    """The same text again on the main blog's mirror, with a newer trailer and no greeting."""
    return _post(f"{MAIN_BLOG}/2025/01/meters-for-every-tap-repost.html", "Meters for every tap",
                 f"{BODY}\n\n{SIGN_OFF}\n\n{TRAILER_2025}", date(2025, 1, 5), source)


def quoting_post(source: str = f"{MAIN_BLOG}/feeds/posts/default") -> Post:
    """A year later: the whole post quoted as a self-quote, then a new comment."""
    text = (f"{COMMENT}\n\nAs suggested in my following 1 YEAR old blog ( sent as e-mail "
            f"to the water board ) :\n\n12 March 2024\n\n{BODY}\n\n{SIGN_OFF}\n\n{TRAILER_2025}")
    return _post(f"{MAIN_BLOG}/2025/03/meters-a-year-on.html", "Meters, a year on", text,
                 date(2025, 3, 20), source)
