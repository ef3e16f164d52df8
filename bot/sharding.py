"""Which shards this process runs, and which due work is therefore its own.

Discord gives a guild to shard `(guild_id >> 22) % shard_count`. A process runs some of the shards; it
sweeps the due work of the guilds on those shards (their handlers read the guild from this process's
gateway cache), and takes its turn at member-level work, which only needs Discord's HTTP API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def shard_of(snowflake: int, shard_count: int) -> int:
    """Discord's own rule: the shard whose gateway connection receives a guild's events."""
    return (snowflake >> 22) % shard_count


@dataclass(frozen=True)
class ShardPlan:
    """`count` shards in all (every process must agree); `ids`, the ones this process connects."""

    count: int
    ids: tuple[int, ...]

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError("the shard count must be at least 1")
        if not self.ids or any(not 0 <= shard < self.count for shard in self.ids):
            raise ValueError(f"shard ids must be between 0 and {self.count - 1}")
        if len(set(self.ids)) != len(self.ids):
            raise ValueError("each shard id may be given once")

    @classmethod
    def split(cls, count: int, index: int, processes: int) -> ShardPlan:
        """Process `index` of `processes` runs every shard `s` with `s % processes == index`."""
        if not 0 <= index < processes:
            raise ValueError(f"the process index must be between 0 and {processes - 1}")
        if processes > count:
            raise ValueError(f"{processes} processes need at least {processes} shards, not {count}")
        return cls(count, tuple(range(index, count, processes)))

    @property
    def every_shard(self) -> bool:
        return len(self.ids) == self.count

    def owns(self, guild_id: int) -> bool:
        return shard_of(guild_id, self.count) in self.ids

    def describe(self) -> str:
        if self.every_shard:
            return f"all {self.count} shard{'s' if self.count != 1 else ''}"
        return f"shard{'s' if len(self.ids) != 1 else ''} {', '.join(map(str, self.ids))} of {self.count}"


def parse_shard_ids(text: str) -> tuple[int, ...]:
    """`0,2,4` or `0-3` or a mix (`0-1,4`), as operators write them."""
    ids: list[int] = []
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        span = re.fullmatch(r"(\d+)\s*-\s*(\d+)", part)
        if span:
            low, high = int(span[1]), int(span[2])
            if high < low:
                raise ValueError(f'must give a range lower shard first, such as 0-3 ("{part}" counts down)')
            ids.extend(range(low, high + 1))
        elif part.isdigit():
            ids.append(int(part))
        else:
            raise ValueError(f'must list shard numbers such as 0,1 or 0-3 ("{part}" is not one)')
    if not ids:
        raise ValueError("must list shard numbers such as 0,1 or 0-3")
    return tuple(ids)
