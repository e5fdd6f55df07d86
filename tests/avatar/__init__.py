"""Tests of the avatar layer: grounding, models, fallback, extractive replies, the CLI."""
