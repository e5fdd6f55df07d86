"""Request and response bodies of the HTTP API, as they appear in the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from api.text_input import UnicodeInput

MAX_HISTORY = 50


class HistoryTurn(UnicodeInput):
    """One earlier message of the conversation, as the page or thread kept it."""

    role: Literal["user", "assistant"]
    content: str


class ChatRequest(UnicodeInput):
    """Ask the avatar: the reader's message and the conversation so far."""

    message: str = Field(min_length=1, description="the reader's question")
    history: list[HistoryTurn] = Field(default_factory=list, max_length=MAX_HISTORY,
                                       description="earlier turns, oldest first")
    model: str | None = Field(None, description="an allowed model (GET /v1/models); "
                                                "the default when missing")
    stream: bool = Field(False, description="reply as server-sent events")


class DebateRequest(ChatRequest):
    """Debate the avatar: the motion or argument, and which side the reader takes."""

    message: str = Field(min_length=1, description="the motion, or the reader's next argument")
    side: Literal["for", "against"] | None = Field(None, description="the reader's side")
    motion: str | None = Field(
        None, max_length=2000,
        description="the motion under debate, when the caller knows it (a pinned post's "
                    "title, or `debate.motion` of the previous reply); otherwise it is read "
                    "from the conversation")


class ReflectRequest(UnicodeInput):
    """A news item (text, or a URL to read) for a short post in the author's manner."""

    message: str = Field(min_length=1, description="news text, or an http(s) URL to read")
    model: str | None = None
    stream: bool = False


class CitationOut(BaseModel):
    """A cited post, with a sentence quoted verbatim from it."""

    n: int
    post_id: str
    title: str
    url: str
    source: str
    published: str | None
    quote: str


class DebateOut(BaseModel):
    """The debate a reply belongs to."""

    motion: str
    reader_side: Literal["for", "against"] | None = Field(
        description="the side the reader argues; null until the reader takes one (a question, "
                    "or a post opened for debate)")
    latest: str = Field(description="the reader's argument this turn answers ('' for the "
                                    "opening turn)")
    round: int


class ReplyOut(BaseModel):
    """A finished reply (the `ask/debate/reflect --json` shape plus the mode)."""

    text: str
    model: str
    declined: bool
    citations: list[CitationOut]
    stance: Literal["for", "against", "unclear"] | None = Field(
        None, description="debate only: the author's stance on the motion")
    debate: DebateOut | None = Field(None, description="debate only: where the debate stands")
    mode: Literal["ask", "debate", "reflect"]


class ModelOut(BaseModel):
    """A model readers may pick."""

    name: str
    label: str
    provider: str
    default: bool
    demo: bool


class ModelsOut(BaseModel):
    """The allowed models, the default marked (plus OpenAI's list shape in `data`)."""

    default: str
    models: list[ModelOut]
    object: Literal["list"] = "list"
    data: list[dict[str, Any]] = Field(default_factory=list)


class PersonaOut(BaseModel):
    """What the chat page shows in its header."""

    name: str
    bio: str
    invitation: str
    site_url: str
    sign_off: str


class NewPost(UnicodeInput):
    """Either `{url}` (a page, feed, sitemap or export URL) or an inline post."""

    url: str | None = Field(None, description="http(s) URL to read; or the inline post's URL")
    title: str | None = Field(None, description="inline post: its title")
    text: str | None = Field(None, description="inline post: its plain text")
    date: dt.date | None = Field(None, description="inline post: publication date")
    tags: list[str] = Field(default_factory=list)

    @field_validator("url")
    @classmethod
    def _http_only(cls, value: str | None) -> str | None:
        # Never a local path: read_source would happily read the server's own files.
        if value is not None and not value.strip().lower().startswith(("http://", "https://")):
            raise ValueError("url must be an http(s) URL")
        return value.strip() if value is not None else None

    @model_validator(mode="after")
    def _one_kind(self) -> NewPost:
        if self.text is not None or self.title is not None:
            if not (self.title or "").strip() or not (self.text or "").strip():
                raise ValueError("an inline post needs both a title and a text")
        elif not self.url:
            raise ValueError("give a url to read, or an inline post (title and text)")
        return self

    @property
    def inline(self) -> bool:
        """Whether the post itself is in the body (else the url is to be read)."""
        return self.text is not None


class JobOut(BaseModel):
    """A background job to poll at GET /v1/jobs/{job_id}."""

    model_config = ConfigDict(extra="allow")

    job_id: str
    kind: str
    status: Literal["queued", "running", "done", "failed"]
    progress: dict[str, int | None] | None = None
    report: dict[str, Any] | None = Field(None, description="the ingest report when finished")
    error: str | None = None


class FeedbackIn(UnicodeInput):
    """A reader's verdict on one reply."""

    question: str
    reply: str
    model: str = ""
    citations: list[dict[str, Any]] = Field(default_factory=list)
    helpful: bool
    surface: Literal["web", "slack", "api"] = "web"
