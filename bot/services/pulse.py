"""The community pulse for organisers: aggregate figures for the last complete weeks, never a person."""

from __future__ import annotations

from bot.clock import Clock
from bot.domain.errors import InvalidInput
from bot.domain.pulse import PERIOD_WEEKS, Pulse, PulseCounts, period_weeks, pulse
from bot.store import Store


class PulseService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def pulse(self, guild_id: int, weeks: int) -> Pulse:
        """Counted in SQL on one consistent read, then suppressed by the rules in `bot.domain.pulse`."""
        if weeks not in PERIOD_WEEKS:
            raise InvalidInput(f"Pick a period of {', '.join(map(str, PERIOD_WEEKS))} weeks.")
        period = period_weeks(self._clock.now(), weeks)
        async with self._store.reading() as tx:
            counts = PulseCounts(
                checkins=await tx.pulse.checkins(guild_id, period),
                moods=await tx.pulse.moods(guild_id, period),
                pairs=await tx.pulse.pairs(guild_id, period),
                pair_outcomes=await tx.pulse.pair_outcomes(guild_id, period),
                going=await tx.pulse.going(guild_id, period),
                meetups_held=await tx.pulse.meetups_held(guild_id, period),
                nudge_opt_ins=await tx.pulse.nudge_opt_ins(guild_id, period),
            )
        return pulse(period, counts)
