"""Request text must be valid Unicode: a lone surrogate is a 422, never a 500 further on."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, model_validator

SURROGATE_MESSAGE = ("text holds a lone surrogate (\\ud800-\\udfff), which is not valid "
                     "Unicode: send the text as UTF-8")


def has_lone_surrogate(value: Any) -> bool:
    """True when any string in value (nested lists, dicts, models) cannot be UTF-8 encoded."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, BaseModel):
        return has_lone_surrogate(value.__dict__) or has_lone_surrogate(
            value.__pydantic_extra__ or {})
    if isinstance(value, dict):
        return any(has_lone_surrogate(k) or has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_lone_surrogate(v) for v in value)
    return False


class UnicodeInput(BaseModel):
    """Base of request bodies: refuses text that tokenizers, models and JSON cannot encode."""

    @model_validator(mode="after")
    def _valid_unicode(self) -> UnicodeInput:
        if has_lone_surrogate(self):
            raise ValueError(SURROGATE_MESSAGE)
        return self


def scrub(value: Any) -> Any:
    """value with every lone surrogate replaced by U+FFFD, so it can be sent as JSON."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    return value


async def validation_failed(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's own 422, with any odd Unicode or undecodable bytes it echoes made safe."""
    assert isinstance(exc, RequestValidationError)
    detail = scrub(jsonable_encoder(exc.errors(), custom_encoder={
        bytes: lambda b: b.decode("utf-8", "replace")}))
    return JSONResponse({"detail": detail}, status_code=422)
