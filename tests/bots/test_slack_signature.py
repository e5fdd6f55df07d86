"""Slack's signature is checked on the raw bytes first: odd bodies and headers are 401s."""

from __future__ import annotations

import time

import pytest

from tests.bots.conftest import FORM, MakeBot, post_signed
from tests.support.slack_requests import SIGNING_SECRET, signature


@pytest.mark.parametrize("body", [b"\xff\xfe\x00payload", b"token=\xe9t\xe9", b"\x80" * 64])
def test_an_unsigned_non_utf8_body_is_a_401(make_bot: MakeBot, body: bytes) -> None:
    client = make_bot()
    ts = str(int(time.time()))
    response = client.post("/slack/events", content=body, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + "0" * 64})
    assert response.status_code == 401, response.text


@pytest.mark.parametrize("timestamp", ["9" * 400, "1" * 5000, "-5", "1e9", " 1"])
def test_an_odd_timestamp_is_a_401(make_bot: MakeBot, timestamp: str) -> None:
    client = make_bot()
    body = b'{"type": "event_callback"}'
    response = client.post("/slack/events", content=body, headers={
        "Content-Type": "application/json", "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature(SIGNING_SECRET, timestamp, body)})
    assert response.status_code == 401, response.text


def test_a_signed_non_utf8_body_is_a_400_not_a_500(make_bot: MakeBot) -> None:
    client = make_bot()
    response = post_signed(client, b"\xff\xfe{not json", content_type="application/json")
    assert response.status_code == 400, response.text
    form = post_signed(client, b"payload=\xe9\xff", content_type=FORM)
    assert form.status_code == 400, form.text


def test_a_stale_signature_is_a_401(make_bot: MakeBot) -> None:
    client = make_bot()
    response = post_signed(client, b'{"type": "event_callback"}',
                           timestamp=int(time.time()) - 3600)
    assert response.status_code == 401
