"""The app manifest asks for what the bot uses: its events, command, buttons and scopes."""

from __future__ import annotations

from pathlib import Path

import yaml

import bots
from bots.slack_app import SLASH
from tests.bots.conftest import METHOD_SCOPES

MANIFEST = Path(bots.__file__).parent / "slack_manifest.yaml"


def test_the_manifest_subscribes_to_what_the_bot_listens_for() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im"}
    assert settings["interactivity"]["is_enabled"] is True
    commands = manifest["features"]["slash_commands"]
    assert [c["command"] for c in commands] == [SLASH]
    urls = {settings["event_subscriptions"]["request_url"],
            settings["interactivity"]["request_url"], commands[0]["url"]}
    assert urls == {"https://YOUR-HOST/slack/events"}
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {scope for scope in METHOD_SCOPES.values() if scope} <= scopes
    assert {"app_mentions:read", "commands", "im:history", "groups:history"} <= scopes
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
