"""The PNG of an evaluation report: runs side by side, one bar per run for each figure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from api.eval_runs import LATENCY, METRICS, label, value

MAX_RUNS = 8  # more bars per group stop being readable; report.md lists every run


def draw(runs: list[dict[str, Any]], path: Path) -> list[str]:
    """Draw the latest runs' figures (shares left, reply latency right) into a PNG at path;
    return the labels of the runs drawn, in order."""
    try:
        import matplotlib
    except ImportError as exc:
        raise ValueError("the report chart needs matplotlib: pip install "
                         "'debate-avatar[report]'") from exc
    matplotlib.use("Agg")  # no display: files only
    import matplotlib.pyplot as plt

    shown = runs[-MAX_RUNS:]
    first = len(runs) - len(shown) + 1  # runs keep report.md's numbers
    names = [label(run) for run in shown]
    colours = matplotlib.color_sequences["tab10"]
    width = 0.8 / len(shown)
    fig, (shares, latency) = plt.subplots(
        1, 2, figsize=(12, 4.8), gridspec_kw={"width_ratios": [4, 1]}, layout="constrained")
    for i, run in enumerate(shown):
        xs, heights = [], []
        for m, (key, _, _) in enumerate(METRICS):
            got, x = value(run, key), m - 0.4 + width * (i + 0.5)
            if got is None:  # nothing to count (no reference answers, say): say so, not 0
                shares.text(x, 0.02, "n/a", ha="center", fontsize=7, color="grey")
            else:
                xs.append(x)
                heights.append(got)
        bars = shares.bar(xs, heights, width, color=colours[i % 10],
                           label=f"{first + i}. {names[i]}")
        shares.bar_label(bars, fmt="%.2f", fontsize=7, padding=1)
    shares.set_xticks(range(len(METRICS)),
                      [f"{name}\n({'↑' if better == 'higher' else '↓'} better)"
                       for _, name, better in METRICS], fontsize=8)
    shares.set_ylim(0, 1.12)
    shares.set_ylabel("share of replies / citations / quotes")
    shares.set_title("Faithfulness and answers")
    shares.grid(axis="y", alpha=0.3)

    key, name = LATENCY[0]
    times = [value(run, key) or 0.0 for run in shown]
    bars = latency.bar(range(len(shown)), times, color=[colours[i % 10] for i in
                                                        range(len(shown))])
    latency.bar_label(bars, fmt="%.2f", fontsize=7, padding=1)
    latency.set_xticks(range(len(shown)), [str(first + i) for i in range(len(shown))])
    latency.set_xlabel("run")
    latency.set_title(f"{name}, ↓ better")
    latency.set_ylim(0, max([*times, 0.01]) * 1.2)
    latency.grid(axis="y", alpha=0.3)

    fig.legend(loc="outside lower center", ncols=min(len(shown), 4), fontsize=8,
               title="runs (model · questions, when UTC)", title_fontsize=8)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return names
