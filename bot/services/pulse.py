"""The community pulse for organisers: aggregate figures for the last complete weeks, never a person."""

from __future__ import annotations

from datetime import datetime

from bot.clock import Clock
from bot.domain.errors import HearthError, InvalidInput
from bot.domain.pulse import (
    PERIOD_WEEKS,
    Pulse,
    PulseCounts,
    PulseWeek,
    Weeks,
    consistent,
    counted_figures,
    period_weeks,
    pulse_of,
    to_count,
)
from bot.i18n import N_, _, number
from bot.store import Repositories, Store

# Reads of counts that did not add up (a change landed between two statements) before giving up.
COUNT_ATTEMPTS = 3
# i18n: /hearth pulse, when members' answers changed while Hearth counted them (rare)
CHANGING = N_("The figures changed while Hearth was counting them. Try again in a moment.")


class PulseService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def pulse(self, guild_id: int, weeks: int) -> Pulse:
        """The period's frozen weeks, and the others counted now and frozen (rule 6 in `bot.domain.pulse`).

        One read (the frozen weeks, then the counts of the rest, on one connection), then, only when some
        week was not frozen yet, one write transaction that freezes those weeks and reads the period back:
        when another organiser's request froze a week first, theirs is what both see.
        """
        if weeks not in PERIOD_WEEKS:
            # i18n: {periods} is a list of numbers of weeks ("4, 12, 26, 52")
            raise InvalidInput(_("Pick a period of {periods} weeks.",
                                 periods=", ".join(number(period) for period in PERIOD_WEEKS)))
        period = period_weeks(self._clock.now(), weeks)
        frozen, counted = await self._read(guild_id, period)
        if not counted:
            return pulse_of(period, frozen)
        async with self._store.transaction() as tx:
            await tx.pulse.freeze(guild_id, counted, self._clock.now())
            frozen = await tx.pulse.frozen(guild_id, period)
        return pulse_of(period, frozen)

    async def _read(self, guild_id: int, period: Weeks) -> tuple[dict[datetime, PulseWeek], dict[datetime, PulseWeek]]:
        """The period's frozen weeks, and the figures of the weeks not frozen yet, counted now. Counts that
        do not add up (see `consistent`) are read again."""
        for _attempt in range(COUNT_ATTEMPTS):
            async with self._store.reading() as tx:
                frozen = await tx.pulse.frozen(guild_id, period)
                span = to_count(period, frozen)
                if span is None:
                    return frozen, {}
                counts = await _counts(tx, guild_id, span)
            if consistent(counts):
                counted = counted_figures(span, counts)
                return frozen, {start: figures for start, figures in counted.items() if start not in frozen}
        raise HearthError(_(CHANGING))


async def _counts(tx: Repositories, guild_id: int, weeks: Weeks) -> PulseCounts:
    """Everything counted in SQL for these weeks: aggregates only."""
    return PulseCounts(
        checkins=await tx.pulse.checkins(guild_id, weeks),
        moods=await tx.pulse.moods(guild_id, weeks),
        pairs=await tx.pulse.pairs(guild_id, weeks),
        pair_outcomes=await tx.pulse.pair_outcomes(guild_id, weeks),
        going=await tx.pulse.going(guild_id, weeks),
        attendance=await tx.pulse.attendance(guild_id, weeks),
        meetups_held=await tx.pulse.meetups_held(guild_id, weeks),
        nudge_opt_ins=await tx.pulse.nudge_opt_ins(guild_id, weeks),
    )
