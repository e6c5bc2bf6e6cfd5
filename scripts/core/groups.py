"""Members joined into groups: a union-find (path halving), linear in the joins. Used where
documents or reference keys that share something are merged into one group."""

from __future__ import annotations


class Groups:
    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def root(self, member: str) -> str:
        """The member that stands for `member`'s group (a new member is a group of its own)."""
        parent = self._parent
        while parent.setdefault(member, member) != member:
            parent[member] = parent[parent[member]]
            member = parent[member]
        return member

    def join(self, member: str, other: str) -> None:
        self._parent[self.root(member)] = self.root(other)

    def members(self) -> list[str]:
        """Every member, in the order it was first seen."""
        return list(self._parent)
