"""Reading the shared stance data (Perspectrum, ArgKP) from outside the repository."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import require


@dataclass(frozen=True)
class Claim:
    """A debate claim and its perspectives, each +1 (supports it) or -1 (undermines it)."""

    id: int
    text: str
    split: str
    perspectives: tuple[tuple[str, int], ...]

    def side(self, sign: int) -> list[str]:
        """The perspective texts on one side."""
        return [text for text, s in self.perspectives if s == sign]


def load_perspectrum(data_dir: Path) -> list[Claim]:
    """Every Perspectrum claim with its split; all paraphrases of a cluster keep its label."""
    folder = require(data_dir / "perspectrum", "Perspectrum")
    claims = json.loads((folder / "perspectrum_with_answers_v1.0.json").read_text())
    splits = json.loads((folder / "dataset_split_v1.0.json").read_text())
    pool = {p["pId"]: " ".join(p["text"].split())
            for p in json.loads((folder / "perspective_pool_v1.0.json").read_text())}
    out = []
    for claim in claims:
        perspectives = tuple(
            (pool[pid], 1 if cluster["stance_label_3"] == "SUPPORT" else -1)
            for cluster in claim["perspectives"] for pid in cluster["pids"] if pool.get(pid)
        )
        out.append(Claim(claim["cId"], " ".join(claim["text"].split()),
                         splits[str(claim["cId"])], perspectives))
    return out


def load_argkp(data_dir: Path) -> list[tuple[str, str, int]]:
    """ArgKP arguments and key points as (topic, text, stance ±1)."""
    folder = require(data_dir / "argkp", "ArgKP")
    out = []
    for name, column in (("arguments_test.csv", "argument"), ("key_points_test.csv", "key_point")):
        with (folder / name).open(newline="") as handle:
            for row in csv.DictReader(handle):
                out.append((row["topic"], row[column], int(row["stance"])))
    return out
