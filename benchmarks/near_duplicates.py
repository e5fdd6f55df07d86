"""Near-duplicate grouping at archive size: planning time, index size, and grouping accuracy.

usage: python -m benchmarks.near_duplicates [--posts 30000] [--seed 7]

Builds a synthetic archive (random words, 100-1,200 per post), adds a cross-post with another
trailer for every tenth post and a post quoting it with a comment of a quarter of its length
for every twentieth, plans the ingest of all of them with the real Grouper over an in-memory
group index (no Chroma, no embedding), and reports seconds per post, how many cross-posts
were grouped and how many quoting posts were (wrongly) grouped, and the saved index's size
and load time. The grouping must stay linear in the archive's size.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from knowledge.group_index import GroupIndex
from knowledge.grouping import Grouper
from knowledge.post import Post

SIGN_OFF = "With regards,\n\nAlex Doe"
TRAILERS = ("Debate this topic with my Virtual Avatar at avatar.example",
            "You can now discuss this with my virtual avatar at avatar.example/chat")


def synthetic_archive(n: int, seed: int) -> tuple[list[Post], int, int]:
    """n posts plus cross-posts and quoting posts; returns them and how many of each."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(20000)]
    posts, cross, quoting = [], 0, 0
    for i in range(n):
        body = " ".join(rng.choices(vocab, k=rng.randint(100, 1200)))
        day = date(2008, 1, 1) + timedelta(days=i // 5)
        posts.append(Post(id=f"https://main.example/{i}", title=f"Post {i}", published=day,
                          text=f"{body}\n\n{SIGN_OFF}\n\n{TRAILERS[0]}", source="main-feed",
                          url=f"https://main.example/{i}"))
        if i % 10 == 0:
            cross += 1
            posts.append(Post(id=f"https://mail.example/{i}", title=f"RE: Post {i}",
                              text=f"Dear Sir,\n\n{body}\n\n{SIGN_OFF}\n\n{TRAILERS[1]}",
                              published=day + timedelta(days=2), source="mail-feed",
                              url=f"https://mail.example/{i}"))
        if i % 20 == 0:
            quoting += 1
            comment = " ".join(rng.choices(vocab, k=max(len(body.split()) // 4, 30)))
            posts.append(Post(id=f"https://main.example/q{i}", title=f"Post {i}, again",
                              text=f"{comment}\n\nAs I wrote in my earlier post :\n\n{body}",
                              published=day + timedelta(days=400), source="main-feed",
                              url=f"https://main.example/q{i}"))
    return posts, cross, quoting


def main() -> None:
    """Plan one synthetic archive and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=30000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    t0 = time.perf_counter()
    posts, cross, quoting = synthetic_archive(args.posts, args.seed)
    print(f"built {len(posts)} posts ({cross} cross-posts, {quoting} quoting posts) in "
          f"{time.perf_counter() - t0:.1f} s")
    index = GroupIndex("bench")
    t0 = time.perf_counter()
    plan = Grouper(index, lambda _gid: "").add(posts)
    planned = time.perf_counter() - t0
    wrongly = sum(1 for p in posts if "/q" in p.id and (g := index.of_member(p.id)) is not None
                  and g.id != p.id)
    print(f"plan: {planned:.1f} s ({1000 * planned / len(posts):.2f} ms/post); "
          f"{plan.grouped} grouped of {cross} cross-posts; {wrongly} of {quoting} quoting "
          f"posts grouped (target 0)")
    with tempfile.TemporaryDirectory() as folder:
        t0 = time.perf_counter()
        index.save(Path(folder), "bench")
        saved = time.perf_counter() - t0
        size = (Path(folder) / "groups.json").stat().st_size / 1e6
        t0 = time.perf_counter()
        loaded = GroupIndex.load(Path(folder))
        load_s = time.perf_counter() - t0
    assert loaded is not None
    t0 = time.perf_counter()
    again = Grouper(loaded, lambda _gid: "").add(posts)
    print(f"index: {size:.1f} MB, saved in {saved:.2f} s, loaded in {load_s:.2f} s; unchanged "
          f"re-plan {time.perf_counter() - t0:.2f} s ({again.unchanged} unchanged)")


if __name__ == "__main__":
    main()
