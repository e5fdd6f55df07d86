"""HTML to clean text: paragraphs kept, line breaks kept, junk dropped."""

from __future__ import annotations

from knowledge.readers.html_text import html_to_text, normalize_text


def test_blogger_br_markup_becomes_paragraphs_and_lines() -> None:
    html = (
        '<div dir="ltr">First paragraph.<br /><br />Second paragraph,<br />'
        "same paragraph on a new line.<br /><br /><br />Third.</div>"
    )
    assert html_to_text(html) == (
        "First paragraph.\n\nSecond paragraph,\nsame paragraph on a new line.\n\nThird."
    )


def test_blocks_make_paragraphs_and_empty_divs_vanish() -> None:
    html = "<div>One</div><div><br></div><div>Two</div><p>Three</p><h2>Four</h2>"
    assert html_to_text(html) == "One\n\nTwo\n\nThree\n\nFour"
    # Loose text beside a block is a paragraph of its own.
    assert html_to_text("Intro<blockquote>Quote</blockquote>after") == "Intro\n\nQuote\n\nafter"


def test_scripts_styles_and_comments_are_dropped_but_tails_kept() -> None:
    html = "<p>Keep <script>var x = 1;</script>this<style>p{}</style> <!-- no -->text</p>"
    assert html_to_text(html) == "Keep this text"


def test_entities_are_decoded_and_whitespace_normalised() -> None:
    html = "<p>  Fish&nbsp;&amp;&nbsp;chips,\n   caf&eacute;\t&#8212; &lt;ok&gt;  </p>"
    assert html_to_text(html) == "Fish & chips, café — <ok>"


def test_list_items_stay_together_as_lines() -> None:
    html = "<p>Reasons:</p><ul><li>cheap</li><li>fast</li></ul><p>Done.</p>"
    assert html_to_text(html) == "Reasons:\n\ncheap\nfast\n\nDone."


def test_full_document_head_is_not_text() -> None:
    html = "<html><head><title>T</title></head><body><p>Body only.</p></body></html>"
    assert html_to_text(html) == "Body only."


def test_empty_and_plain_inputs() -> None:
    assert html_to_text("") == ""
    assert html_to_text("   ") == ""
    assert html_to_text("just words") == "just words"


def test_normalize_text_keeps_one_blank_line_between_paragraphs() -> None:
    assert normalize_text("a  b \r\n\r\n\n\n c\u200b\nd\n\n") == "a b\n\nc\nd"
