"""Socket Mode: the handler is built without connecting, and it answers events it is given."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from api.cli import main
from api.slack_wiring import socket_mode_bot
from bots.slack_history import THINKING
from knowledge.archive import Archive
from tests.bots.conftest import MakeSettings
from tests.bots.test_slack_events import QUESTION
from tests.fakes.slack_api import BOT_USER, SlackAPIFake
from tests.support.slack_requests import event_body, mention

APP_TOKEN = "xapp-1-A0AVATAR-1-abcdef"


class RecordingSocket:
    """Stands in for the websocket client: records the acknowledgements sent back."""

    def __init__(self, logger: Any) -> None:
        self.logger = logger
        self.sent: list[SocketModeResponse] = []

    async def send_socket_mode_response(self, response: SocketModeResponse) -> None:
        self.sent.append(response)


async def until(condition: Any, timeout: float = 60.0) -> None:
    """Await a condition while the loop keeps running the bot's listeners."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the Socket Mode event was not answered")


async def test_socket_mode_handler_is_built_offline_and_answers_an_event(
        slack_settings: MakeSettings, slack: SlackAPIFake, archive: Archive) -> None:
    settings = slack_settings(slack_app_token=APP_TOKEN, slack_signing_secret=None)
    handler, _jobs = socket_mode_bot(settings, archive)
    assert handler.client.app_token == APP_TOKEN
    assert handler.client.current_session is None  # constructed, never connected
    assert handler.client.web_client.base_url == slack.api_url  # the project's client
    assert not slack.calls

    ts = slack.add_message("C0GENERAL", f"<@{BOT_USER}> {QUESTION}")
    envelope = json.loads(event_body(mention(QUESTION, ts=ts)))
    socket = RecordingSocket(handler.client.logger)
    request = SocketModeRequest(type="events_api", envelope_id="env-1", payload=envelope)
    await handler.handle(socket, request)  # type: ignore[arg-type]
    assert [r.envelope_id for r in socket.sent] == ["env-1"]  # acknowledged over the socket
    await until(lambda: [c for c in slack.calls_to("chat.update")
                         if "blocks" in c.args])
    assert slack.calls_to("chat.postMessage")[0].args["text"] == THINKING
    retry = SocketModeRequest(type="events_api", envelope_id="env-2", payload=envelope,
                              retry_attempt=1, retry_reason="timeout")
    await handler.handle(socket, retry)  # type: ignore[arg-type]
    marker = slack.add_message("C0GENERAL", f"<@{BOT_USER}> Are open-plan offices good?")
    await handler.handle(socket, SocketModeRequest(  # type: ignore[arg-type]
        type="events_api", envelope_id="env-3",
        payload=json.loads(event_body(mention("Are open-plan offices good?", ts=marker)))))
    await until(lambda: len([c for c in slack.calls_to("chat.update")
                             if "blocks" in c.args]) == 2)
    # The retry was acknowledged but not answered again: one placeholder per question.
    assert [c.args["thread_ts"] for c in slack.calls_to("chat.postMessage")] == [ts, marker]
    assert [r.envelope_id for r in socket.sent] == ["env-1", "env-2", "env-3"]
    await handler.close_async()  # its HTTP session, opened at construction


def test_socket_mode_needs_an_app_level_token(capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    assert main(["slack", "--socket"]) == 2
    assert "SLACK_APP_TOKEN" in capsys.readouterr().err
    monkeypatch.setenv("SLACK_APP_TOKEN", "xoxb-not-an-app-token")
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    assert main(["slack"]) == 2
    assert "SLACK_SIGNING_SECRET" in capsys.readouterr().err
