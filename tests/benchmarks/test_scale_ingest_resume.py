"""An interrupted scale ingest resumes in the same data dir, adding the time it recorded."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from benchmarks.scale_ingest import RECORD, HashEmbedder, timed_ingest
from benchmarks.synthetic_archive import synthetic_archive
from tests.benchmarks.test_synthetic_archive import SENTENCES


def test_the_free_encoder_gives_stable_unit_vectors() -> None:
    vectors = HashEmbedder().embed(["a", "b", "a"])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(vectors[0], vectors[2]) and not np.array_equal(vectors[0], vectors[1])


def test_a_stopped_run_resumes_and_its_time_is_added(tmp_path: Path) -> None:
    posts = synthetic_archive(SENTENCES, 60, seed=9)
    data = tmp_path / "scale"
    first = timed_ingest(posts[:20], data, HashEmbedder())  # as if stopped after 20 posts
    recorded = json.loads((data / RECORD).read_text())
    assert recorded["sessions"] == 1 and recorded["seconds"] > 0

    with pytest.raises(SystemExit, match="--resume"):  # a full dir is never timed as fresh
        timed_ingest(posts, data, HashEmbedder())
    done = timed_ingest(posts, data, HashEmbedder(), resume=True)
    # the 20 stored posts were skipped, not embedded again; the 40 others are in (new, or one
    # more URL of a near-duplicate: the cross-posts)
    assert done["added"] + done["grouped"] == 40
    assert done["resumed_sessions"] == 1
    assert done["seconds"] >= recorded["seconds"]
    assert done["chunks"] > first["chunks"]
    # Every post is in, as after one whole run (which posts stand for a near-duplicate
    # group can differ with the order they arrived in, so chunk counts need not match).
    whole = timed_ingest(posts, tmp_path / "whole", HashEmbedder())
    assert first["added"] + first["grouped"] + done["added"] + done["grouped"] == 60
    assert whole["added"] + whole["grouped"] == 60
