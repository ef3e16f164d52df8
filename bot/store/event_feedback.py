"""After-meetup answers, and the totals organisers (and other features) may see."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, distinct, func, select
from sqlalchemy.dialects import postgresql, sqlite

from bot.domain.event_feedback import FeedbackCounts
from bot.store._db import Database
from bot.store.tables import event_feedback, event_rsvps, events


class FeedbackStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = db.dialect

    async def record(self, event_id: int, user_id: int, now: datetime, **answer: Any) -> None:
        """Set one answer (`how` or `met_new`), keeping the other: one row per member per meetup."""
        upsert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = upsert(event_feedback).values(event_id=event_id, user_id=user_id, updated_at=now, **answer)
        async with self._db.write() as connection:
            await connection.execute(statement.on_conflict_do_update(
                index_elements=["event_id", "user_id"], set_={"updated_at": now, **answer}))

    async def get(self, event_id: int, user_id: int) -> tuple[str | None, bool | None] | None:
        statement = select(event_feedback.c.how, event_feedback.c.met_new).where(
            event_feedback.c.event_id == event_id, event_feedback.c.user_id == user_id)
        async with self._db.read() as connection:
            row = (await connection.execute(statement)).first()
        return (row.how, row.met_new) if row else None

    def _held(self, guild_id: int, since: datetime, until: datetime) -> Any:
        return and_(events.c.guild_id == guild_id, events.c.mode == "in_person", events.c.status == "scheduled",
                    events.c.end_at > since, events.c.end_at <= until)

    async def counts(self, guild_id: int, since: datetime, until: datetime) -> FeedbackCounts:
        """In-person meetups that ended in (since, until], who went, and what they answered."""
        held = self._held(guild_id, since, until)
        going = and_(held, event_rsvps.c.status == "going")
        attendance = select(func.count(), func.count(distinct(event_rsvps.c.user_id)),
                            func.count(event_rsvps.c.arrived_at)).select_from(
            event_rsvps.join(events, events.c.id == event_rsvps.c.event_id)).where(going)
        answers = (select(event_feedback.c.how, event_feedback.c.met_new, func.count())
                   .select_from(event_feedback.join(events, events.c.id == event_feedback.c.event_id))
                   .where(held).group_by(event_feedback.c.how, event_feedback.c.met_new))
        async with self._db.read() as connection:
            held_count = (await connection.execute(select(func.count()).select_from(events).where(held))).scalar_one()
            attendees, distinct_attendees, arrived = (await connection.execute(attendance)).one()
            rows = (await connection.execute(answers)).all()
        how: dict[str, int] = {}
        met_yes = met_no = answered = 0
        for answer_how, met_new, number in rows:
            answered += number
            if answer_how is not None:
                how[answer_how] = how.get(answer_how, 0) + number
            if met_new is True:
                met_yes += number
            elif met_new is False:
                met_no += number
        return FeedbackCounts(events_held=int(held_count), attendees=int(attendees),
                              distinct_attendees=int(distinct_attendees), answered=answered, how=how,
                              met_yes=met_yes, met_no=met_no, arrived=int(arrived))

    async def met_someone_new(self, guild_id: int, since: datetime, until: datetime) -> int:
        """How many different members said they met someone new at a meetup that ended in (since, until]."""
        statement = (select(func.count(distinct(event_feedback.c.user_id)))
                     .select_from(event_feedback.join(events, events.c.id == event_feedback.c.event_id))
                     .where(self._held(guild_id, since, until), event_feedback.c.met_new.is_(True)))
        async with self._db.read() as connection:
            return int((await connection.execute(statement)).scalar_one())
