"""Whole-post vectors for an index written before they were saved: build time, and same results.

usage: python -m benchmarks.post_vectors DATA_DIR [--sample 2000]
DATA_DIR is an existing archive (use a copy: the built vectors are saved into it). Prints the
time to build every post's vector from the chunk vectors Chroma holds (what the first write
to such an index does), the build's memory and file size, the time to load the saved file,
and checks against the fetch-per-query path of before: a sample of posts scored bit for bit,
and the search results (ids and scores) of the scale benchmark's queries.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np

from benchmarks.search_scale import QUERIES, rss_mb
from knowledge.archive import POST_VECTORS_DIR, Archive
from knowledge.post_vectors import VECTORS_FILE, PostVectors
from knowledge.search import HybridSearcher


def main() -> None:
    """Build, save, reload and compare; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--sample", type=int, default=2000, help="posts compared bit for bit")
    parser.add_argument("--embedder", default="minilm-int8")
    args = parser.parse_args()
    archive = Archive.open(args.data_dir, embedder=args.embedder)
    store, folder = archive.store, args.data_dir / POST_VECTORS_DIR
    generation = store.generation()
    rss_before = rss_mb()
    t0 = time.perf_counter()
    built = PostVectors(store, folder)
    built.ensure(generation)  # what the first write to an index without the file does
    build_s = time.perf_counter() - t0
    print(f"post vectors: {len(built)} posts from {store.count()} chunk vectors built in "
          f"{build_s:.1f} s (RSS {rss_before:.0f} -> {rss_mb():.0f} MB, peak "
          f"{rss_mb('VmHWM'):.0f} MB), file {(folder / VECTORS_FILE).stat().st_size / 1e6:.0f} MB")
    t0 = time.perf_counter()
    loaded = PostVectors.open(store, folder, generation, len(archive.keyword_views().meta))
    print(f"  loaded again in {(time.perf_counter() - t0) * 1000:.0f} ms "
          f"({'complete' if loaded.complete else 'NOT complete'})")

    fetched = PostVectors(store)  # the path of before: chunk vectors fetched per post
    ids = sorted(archive.keyword_views().meta)
    sample = random.Random(7).sample(ids, min(args.sample, len(ids)))
    query = archive.embedder.embed([QUERIES[0]])[0]
    t0 = time.perf_counter()
    want = fetched.similarities(query, sample)
    fetch_s = time.perf_counter() - t0
    got = loaded.similarities(query, sample)
    same = sum(got.get(pid) == score for pid, score in want.items())
    worst = max(abs(got.get(pid, np.inf) - score) for pid, score in want.items())
    print(f"  {same}/{len(want)} sampled posts score bit for bit as fetched from Chroma "
          f"(max difference {worst:.1e}; fetching them took {fetch_s:.1f} s)")
    keyword = archive.keyword_views()
    before = HybridSearcher(store, keyword, archive.embedder, post_vectors=fetched)
    after = HybridSearcher(store, keyword, archive.embedder, post_vectors=loaded)
    identical = 0
    for q in QUERIES:
        old = [(h.post_id, h.score) for h in before.search(q, k=10, floor=False)]
        new = [(h.post_id, h.score) for h in after.search(q, k=10, floor=False)]
        identical += old == new
    print(f"  search: {identical}/{len(QUERIES)} queries give identical results and scores")


if __name__ == "__main__":
    main()
