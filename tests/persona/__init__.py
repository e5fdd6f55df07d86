"""Tests of the persona package."""
