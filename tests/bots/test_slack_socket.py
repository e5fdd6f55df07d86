"""Socket Mode: the handler is built without connecting; the server connects and answers."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from api import services
from api.cli import main
from api.feedback import FeedbackStore
from api.jobs import JobRunner
from api.limits import RateLimiter
from api.settings import Settings
from api.slack_wiring import open_slack
from bots.slack_replies import THINKING
from knowledge.archive import Archive
from tests.bots.conftest import MakeBot, MakeSettings, post_signed
from tests.bots.test_slack_events import QUESTION, final_message, links_in
from tests.fakes.slack_api import BOT_USER, SlackAPIFake
from tests.support.slack_requests import event_body, mention


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


def envelope(slack: SlackAPIFake, text: str, envelope_id: str, **extra: Any) -> dict[str, Any]:
    """A Socket Mode events_api envelope for a mention (the message exists first)."""
    ts = slack.add_message("C0GENERAL", f"<@{BOT_USER}> {text}")
    return {"envelope_id": envelope_id, "type": "events_api",
            "payload": json.loads(event_body(mention(text, ts=ts))),
            "accepts_response_payload": False, **extra}


async def test_the_socket_mode_handler_is_built_offline_and_dispatches_an_event(
        slack_settings: MakeSettings, slack: SlackAPIFake, archive: Archive) -> None:
    settings: Settings = slack_settings(slack_socket=True, slack_app_token=slack.app_token,
                                        slack_signing_secret=None)
    avatar = services.build_avatar(settings, archive, services.persona_of(settings))
    surfaces = open_slack(settings, archive, avatar,
                          FeedbackStore.in_data_dir(settings.data_dir), JobRunner(),
                          RateLimiter(settings.rate_limit_per_minute))
    handler = surfaces.socket
    assert handler is not None and surfaces.http is None
    assert handler.client.app_token == slack.app_token
    assert handler.client.current_session is None  # constructed, never connected
    assert handler.client.web_client.base_url == slack.api_url  # the project's client
    assert not slack.calls

    first = envelope(slack, QUESTION, "env-1")
    socket = RecordingSocket(handler.client.logger)
    await handler.handle(socket, SocketModeRequest.from_dict(first))  # type: ignore[arg-type]
    assert [r.envelope_id for r in socket.sent] == ["env-1"]
    await until(lambda: [c for c in slack.calls_to("chat.update") if "blocks" in c.args])
    assert slack.calls_to("chat.postMessage")[0].args["text"] == THINKING
    await handler.close_async()  # its HTTP session, opened at construction


def test_the_server_connects_over_socket_mode_and_answers_once_per_event(
        make_bot: MakeBot, slack: SlackAPIFake) -> None:
    client = make_bot(slack_socket=True, slack_app_token=slack.app_token,
                      slack_signing_secret=None)
    slack.wait_for(lambda: slack.socket_connections == 1, what="the Socket Mode connection")
    opened = slack.calls_to("apps.connections.open")
    assert opened and opened[0].token == slack.app_token

    first = envelope(slack, QUESTION, "env-1")
    slack.socket_send(first)
    ts = first["payload"]["event"]["ts"]
    answer = final_message(slack, "C0GENERAL", ts)
    assert links_in(answer)
    # Slack re-sends an envelope it thinks was missed; the bot acks it but answers once.
    slack.socket_send({**first, "envelope_id": "env-2", "retry_attempt": 1,
                       "retry_reason": "timeout"})
    marker = envelope(slack, "What do you think of open-plan offices?", "env-3")
    slack.socket_send(marker)
    final_message(slack, "C0GENERAL", marker["payload"]["event"]["ts"])
    slack.wait_for(lambda: len(slack.socket_acks) == 3, what="three acknowledgements")
    assert [a["envelope_id"] for a in slack.socket_acks] == ["env-1", "env-2", "env-3"]
    assert [c.args["thread_ts"] for c in slack.calls_to("chat.postMessage")] == [
        ts, marker["payload"]["event"]["ts"]]
    # No signing secret here: HTTP events are off and say why.
    refused = post_signed(client, event_body(mention(QUESTION, ts="1.0")))
    assert refused.status_code == 404 and "Socket Mode" in refused.json()["detail"]


def test_avatar_slack_checks_its_settings_and_runs_one_server(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    assert main(["slack", "--socket"]) == 2
    assert "SLACK_APP_TOKEN" in capsys.readouterr().err
    assert main(["slack"]) == 2
    assert "SLACK_SIGNING_SECRET" in capsys.readouterr().err

    served: list[tuple[Settings, dict[str, Any]]] = []
    monkeypatch.setattr("api.app.create_app", lambda settings, **_kw: settings)
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: served.append((app, kw)))
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-A-1-x")
    assert main(["slack", "--socket", "--port", "8123"]) == 0
    settings, options = served[0]
    assert settings.slack_socket is True and options == {"host": "127.0.0.1", "port": 8123}
