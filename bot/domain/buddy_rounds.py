"""Buddy rounds: when they run, who takes part, and what members may type about themselves."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.errors import InvalidInput
from bot.i18n import _

CADENCES = (1, 2, 3, 4)  # weeks between rounds
MAX_TAGS = 10
MAX_TAG_LENGTH = 30
HEADS_UP_BEFORE = timedelta(days=1)
PAUSE_ASK_AFTER = 2  # follow-ups left unanswered in a row before we gently ask about pausing


def round_key(guild_id: int, start: datetime) -> str:
    """A round's identity: stored as buddy_rounds.round_key and buddy_config.next_round_key, and the key of
    its due-work row."""
    return round_key_at(guild_id, f"{start.astimezone(UTC):%Y%m%dT%H%M}")


def round_key_at(guild_id: int, start: str) -> str:
    """The round key from a start as "Skip this round" buttons carry it (UTC, `YYYYMMDDTHHMM`)."""
    return f"buddy-round:{guild_id}:{start}"


def round_start_of(key: str) -> str:
    """The start a round key names, in the form "Skip this round" buttons carry (the inverse of `round_key_at`,
    kept beside it so the format has one owner)."""
    return key.rsplit(":", 1)[-1]


def _slot_after(after: datetime, weekday: int, hour: int, zone: ZoneInfo) -> datetime:
    """The first `weekday` at `hour` (server time) strictly after `after`."""
    local = after.astimezone(zone)
    for offset in range(0, 8):
        day = local + timedelta(days=offset)
        if day.weekday() != weekday:
            continue
        candidate = datetime(day.year, day.month, day.day, hour, tzinfo=zone).astimezone(UTC)
        if candidate > after:
            return candidate
    return _slot_after(after + timedelta(days=7), weekday, hour, zone)


def next_round_start(*, cadence_weeks: int, weekday: int, hour: int, zone: ZoneInfo, after: datetime,
                     last_started: datetime | None) -> datetime:
    """When the next round starts: the server's weekday and hour, `cadence_weeks` after the last round."""
    if cadence_weeks not in CADENCES:
        raise InvalidInput(_("Rounds can be every 1, 2, 3 or 4 weeks."))
    earliest = after
    if last_started is not None:
        # A slot well into the last round's final week: with 2 weeks, the slot a fortnight on.
        earliest = max(after, last_started + timedelta(days=7 * (cadence_weeks - 1), hours=12))
    return _slot_after(earliest, weekday, hour, zone)


@dataclass(frozen=True)
class RoundTimes:
    start: datetime
    followup: datetime
    end: datetime


def round_times(start: datetime, cadence_weeks: int) -> RoundTimes:
    end = start + timedelta(weeks=cadence_weeks)
    return RoundTimes(start=start, followup=start + (end - start) / 2, end=end)


def sits_out(*, frequency: str, paired_last_round: bool, sat_out_last_round: bool) -> bool:
    """Every-other-round members rest after a round in which they had a buddy."""
    return frequency == "every_other" and paired_last_round and not sat_out_last_round


def is_paused(paused_until: datetime | None, now: datetime) -> bool:
    return paused_until is not None and paused_until > now


_SPACES = re.compile(r"\s+")


def clean_area(text: str | None) -> str | None:
    """A coarse place, shown to buddies: a town or region, never an address or postcode."""
    if text is None or not text.strip():
        return None
    area = _SPACES.sub(" ", text.strip())
    if any(char.isdigit() for char in area):
        # i18n: “Leeds” and “West Cork” are examples of an area: use places your readers know
        raise InvalidInput(_("For your area, give a town, city or region (like “Leeds” or “West Cork”), "
                             "not an address or postcode. Your buddy sees it."))
    if len(area) > 60:
        raise InvalidInput(_("Keep your area short: a town, city or region."))
    return area.title() if area.islower() else area


def area_key(area: str | None) -> str | None:
    """How areas are compared: case and spacing don't matter."""
    return _SPACES.sub(" ", area.strip().lower()) if area else None


def clean_tags(text: str | None) -> list[str]:
    """Comma-separated interests, lower-cased and de-duplicated, in the order given."""
    if not text:
        return []
    tags: list[str] = []
    for raw in text.split(","):
        tag = _SPACES.sub(" ", raw.strip().lower())
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            # i18n: {interest} is what the member typed; {most} is a number (30)
            raise InvalidInput(_("“{interest}” is a long interest; keep each under {most} characters.",
                                 interest=raw.strip(), most=MAX_TAG_LENGTH))
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        # i18n: {most} is a number (10)
        raise InvalidInput(_("Pick up to {most} interests, so the ones that matter most stand out.", most=MAX_TAGS))
    return tags
