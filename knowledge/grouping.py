"""Decide, before anything is written, what an ingest does to the groups of near-duplicates.

Every incoming post is either unchanged (its member id and hash are known), the new text of
a group (embedded), or one more URL of an existing group (metadata only). The plan is made
in memory, over the whole batch, so that posts of one batch group with each other too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from knowledge.group_index import GroupIndex
from knowledge.near_duplicates import Fingerprint, fingerprint, own_text
from knowledge.post import Post
from knowledge.post_groups import Group, Member
from knowledge.speakers import LABEL_RULES, speaker_spans

StoredText = Callable[[str], str]  # group id -> the text Chroma holds for it


@dataclass
class GroupPlan:
    """What to write: texts to embed, groups to re-key, re-label or delete, and the counts."""

    write: list[tuple[Post, bool]] = field(default_factory=list)  # (holder post, chunks exist)
    relabel: set[str] = field(default_factory=set)   # groups whose metadata alone changes
    rekey: dict[str, str] = field(default_factory=dict)  # old group id -> new (vectors kept)
    delete: set[str] = field(default_factory=set)    # groups left without members
    # holders whose stored speakers older rules labelled (relabelled from the post, no embedding)
    respeak: dict[str, Post] = field(default_factory=dict)
    added: int = 0
    updated: int = 0
    grouped: int = 0
    unchanged: int = 0

    @property
    def changes(self) -> bool:
        """Whether the plan writes anything at all."""
        return bool(self.write or self.relabel or self.rekey or self.delete or self.respeak)


class Grouper:
    """Plans an ingest against the group index (which it updates as it plans)."""

    def __init__(self, index: GroupIndex, stored_text: StoredText) -> None:
        self._index = index
        self._stored_text = stored_text
        # Fingerprints of candidate groups' texts, made when first compared: keeping one for
        # every new post of a 30,000-post first ingest would cost hundreds of MB.
        self._prints: dict[str, Fingerprint] = {}
        self._pending: dict[str, Post] = {}  # group id -> the post whose text it will store
        self.plan = GroupPlan()

    def add(self, posts: list[Post]) -> GroupPlan:
        """Plan the ingest of posts (ids unique), earliest first so the original holds."""
        if posts:
            self._backfill()
        for post in sorted(posts, key=lambda p: (p.published or date.max, p.id)):
            self._add(post)
        return self.plan

    def remove(self, member_ids: list[str], source: str | None = None) -> list[str]:
        """Plan the removal of members; returns the ids removed.

        With a source, only that source's word for each member is withdrawn: a member that
        another source (feed, file) also gave stays.
        """
        removed = []
        for mid in member_ids:
            group = self._index.of_member(mid)
            member = group.member(mid) if group is not None else None
            if group is None or member is None:
                continue
            if source is not None and member.without(source).sources:
                group.put(member.without(source))
                self._index.put(group)
                self._touch(group.id)
                continue
            self._detach(group, mid)
            removed.append(mid)
        return removed

    def _backfill(self) -> None:
        """Give posts indexed before grouping existed their band keys (once: then stored)."""
        for group in self._index.without_bands():
            group.bands = self._print_of(group.id).bands
            self._index.put(group)
            self._touch(group.id)

    def _add(self, post: Post) -> None:
        group = self._index.of_member(post.id)
        earlier = group.member(post.id) if group is not None else None
        if group is not None and earlier is not None:
            if earlier.content_hash == post.content_hash:
                if post.source not in earlier.sources:  # one more source vouches for it
                    group.put(Member.of(post, earlier))
                    self._index.put(group)
                    self._touch(group.id)
                if group.id == post.id and group.labels != LABEL_RULES:
                    group.labels = LABEL_RULES  # its stored text is this post's: label it anew
                    self._index.put(group)
                    self.plan.respeak[post.id] = post
                self.plan.unchanged += 1
                return
            if group.id == post.id and self._keeps_text(group, post):
                self._rewrite(group, post, earlier)
                return
            self._detach(group, post.id)
        mine = fingerprint(_own(post))
        target = self._match(mine)
        if target is None:
            group = Group(post.id, [Member.of(post, earlier)], mine.bands, LABEL_RULES)
            self._index.put(group)
            self._pending[group.id] = post
            self.plan.write.append((post, False))  # its metadata is written with its chunks
            self.plan.added += 1
            return
        target.put(Member.of(post, earlier))
        self._index.put(target)
        self._touch(target.id)
        self.plan.grouped += 1

    def _keeps_text(self, group: Group, post: Post) -> bool:
        """Whether a holder's new text still stands for its group (a lone member always does)."""
        if len(group.members) == 1:
            return True
        return fingerprint(_own(post)).duplicates(self._print_of(group.id))

    def _rewrite(self, group: Group, post: Post, earlier: Member) -> None:
        """The holder changed: its group's text is embedded again, its members kept."""
        mine = fingerprint(_own(post))
        group.put(Member.of(post, earlier))
        group.bands, group.labels = mine.bands, LABEL_RULES
        self._index.put(group)
        self._prints[group.id] = mine
        self._pending[group.id] = post
        self.plan.write.append((post, True))
        self.plan.relabel.discard(group.id)
        self.plan.updated += 1

    def _detach(self, group: Group, member_id: str) -> None:
        """Take a member out of its group; the group moves to another member or goes."""
        group.drop(member_id)
        if not group.members:
            self._index.drop(group.id)
            origin = self._origin(group.id)
            self.plan.rekey.pop(origin, None)
            self.plan.delete.add(origin)  # its chunks are still stored under that id
            self.plan.relabel.discard(group.id)
            return
        if group.id != member_id:
            self._index.put(group)
            self._touch(group.id)
            return
        # The holder left: the text stays (its twins are near-identical) under a new id.
        heir = group.ordered()[0].id
        self._index.drop(group.id)
        moved = group.rekeyed(heir)
        self._index.put(moved)
        if group.id in self._prints:
            self._prints[heir] = self._prints.pop(group.id)
        if group.id in self._pending:
            self._pending[heir] = self._pending.pop(group.id)
        self.plan.rekey[self._origin(group.id)] = heir
        self.plan.relabel.discard(group.id)
        self._touch(heir)

    def _origin(self, group_id: str) -> str:
        """The id a group is stored under now (one re-keyed in this plan is not moved yet)."""
        return next((old for old, new in self.plan.rekey.items() if new == group_id), group_id)

    def _touch(self, group_id: str) -> None:
        """Mark a group's labels for rewriting, unless its chunks are written anyway."""
        if group_id not in self._pending:
            self.plan.relabel.add(group_id)

    def _match(self, mine: Fingerprint) -> Group | None:
        """The group whose text is the best near-duplicate of this fingerprint, if any."""
        best: tuple[float, str] | None = None
        for gid in self._index.candidates(mine.bands):
            score = mine.jaccard(self._print_of(gid))
            if mine.duplicates(self._print_of(gid)) and (best is None or score > best[0]):
                best = (score, gid)
        return self._index.group(best[1]) if best else None

    def _print_of(self, group_id: str) -> Fingerprint:
        """The fingerprint of a group's indexed text (read from Chroma once per plan)."""
        if group_id not in self._prints:
            pending = self._pending.get(group_id)
            if pending is not None:
                self._prints[group_id] = fingerprint(_own(pending))
            else:
                text = self._stored_text(self._origin(group_id))
                self._prints[group_id] = fingerprint(own_text(text, speaker_spans(text)))
        return self._prints[group_id]


def _own(post: Post) -> str:
    return own_text(post.text, post.spans)
