"""Usable cores: the process's affinity, capped by a container's CPU quota."""

from __future__ import annotations

import os
from pathlib import Path

from knowledge.cores import cgroup_quota, usable_cores


def _cpu_max(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cpu.max"
    path.write_text(text)
    return path


def test_the_quota_is_read_in_cores(tmp_path: Path) -> None:
    assert cgroup_quota(_cpu_max(tmp_path, "150000 100000\n")) == 1.5
    assert cgroup_quota(_cpu_max(tmp_path, "max 100000\n")) is None
    assert cgroup_quota(tmp_path / "absent") is None
    assert cgroup_quota(_cpu_max(tmp_path, "garbage")) is None


def test_without_a_quota_every_core_of_the_affinity_counts(tmp_path: Path) -> None:
    assert usable_cores(tmp_path / "absent") == len(os.sched_getaffinity(0))
    assert usable_cores(_cpu_max(tmp_path, "max 100000")) == len(os.sched_getaffinity(0))


def test_a_quota_caps_the_cores_rounding_up(tmp_path: Path) -> None:
    assert usable_cores(_cpu_max(tmp_path, "50000 100000")) == 1
    allowed = len(os.sched_getaffinity(0))
    assert usable_cores(_cpu_max(tmp_path, f"{allowed * 100000 - 50000} 100000")) == allowed
    assert usable_cores(_cpu_max(tmp_path, f"{allowed * 400000} 100000")) == allowed
