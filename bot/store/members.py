"""Member preferences (time zone, quiet hours, DMs)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, get_args

from sqlalchemy import String, bindparam, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.domain.event_reminders import ReminderChoice
from bot.domain.members import MemberSettings
from bot.store._db import Database
from bot.store.tables import member_settings

__all__ = ["MemberSettings", "MemberStore"]

_CHOICES: tuple[ReminderChoice, ...] = get_args(ReminderChoice)


def _minutes(value: time | None) -> int | None:
    return None if value is None else value.hour * 60 + value.minute


def _time(minutes: int | None) -> time | None:
    return None if minutes is None else time(minutes // 60, minutes % 60)


def _settings(row: Any) -> MemberSettings:
    choice = row.event_reminders
    return MemberSettings(
        user_id=row.user_id,
        timezone=row.timezone,
        quiet_start=_time(row.quiet_start),
        quiet_end=_time(row.quiet_end),
        dms_enabled=row.dms_enabled,
        dms_closed_at=row.dms_closed_at,
        dms_closed_notified_at=row.dms_closed_notified_at,
        # Empty or unknown means the default, as it always has.
        event_reminders=next((option for option in _CHOICES if option == choice), None),
        dm_channel_id=row.dm_channel_id,
        consent_version=row.consent_version,
        consent_at=row.consent_at,
        language=row.language,
        discord_locale=row.discord_locale,
    )


class MemberStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = db.dialect

    async def get(self, user_id: int) -> MemberSettings:
        async with self._db.read() as connection:
            row = (
                await connection.execute(select(member_settings).where(member_settings.c.user_id == user_id))
            ).first()
        return MemberSettings(user_id=user_id) if row is None else _settings(row)

    async def update(self, user_id: int, now: datetime, **changes: Any) -> MemberSettings:
        """Upsert only the given fields (any column of member_settings but user_id and updated_at)."""
        values = dict(changes)
        for field in ("quiet_start", "quiet_end"):
            if field in values:
                values[field] = _minutes(values[field])
        values["updated_at"] = now
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = insert(member_settings).values(user_id=user_id, **values)
        statement = statement.on_conflict_do_update(index_elements=["user_id"], set_=values)
        async with self._db.write() as connection:
            # The row as written, in the same statement: no second query (or connection) to read it back.
            row = (await connection.execute(statement.returning(*member_settings.c))).one()
        return _settings(row)

    async def locales_of(self, user_ids: list[int]) -> dict[int, str | None]:
        """The stored Discord locale of each of these members Hearth keeps settings for."""
        statement = select(member_settings.c.user_id, member_settings.c.discord_locale).where(
            member_settings.c.user_id.in_(user_ids))
        async with self._db.read() as connection:
            return {int(row.user_id): row.discord_locale for row in await connection.execute(statement)}

    async def chosen_languages(self) -> dict[int, str]:
        """Every member who chose a language, and which (few: most follow their Discord app)."""
        statement = select(member_settings.c.user_id, member_settings.c.language).where(
            member_settings.c.language.is_not(None))
        async with self._db.read() as connection:
            return {int(row.user_id): str(row.language) for row in await connection.execute(statement)}

    async def remember_locales(self, locales: dict[int, str], *, default: str) -> None:
        """Records the locales of members Hearth already keeps settings for (ones who agreed to the privacy
        notice or set something): nobody gets a row just for opening a command. `default` (Discord's, which
        nothing stored already means) replaces only another locale. One statement, run for each member. Not a
        settings change: `updated_at` stays when they last changed one."""
        column, locale = member_settings.c.discord_locale, bindparam("locale", type_=String)
        statement = (update(member_settings)
                     .where(member_settings.c.user_id == bindparam("member"),
                            or_(column.is_(None), column != locale),
                            or_(column.is_not(None), locale != default))
                     .values(discord_locale=locale))
        async with self._db.write() as connection:
            await connection.execute(statement, [{"member": user_id, "locale": locale}
                                                 for user_id, locale in locales.items()])

    async def pending_dm_notices(self) -> list[int]:
        """Members Discord refused a DM to who have not been told yet."""
        statement = select(member_settings.c.user_id).where(member_settings.c.dms_closed_at.is_not(None),
                                                            member_settings.c.dms_closed_notified_at.is_(None))
        async with self._db.read() as connection:
            return [int(user_id) for user_id in (await connection.execute(statement)).scalars()]

    async def claim_dm_notice(self, user_id: int, now: datetime) -> bool:
        """True once after Discord refused a DM: the caller tells the member, and it is not told twice."""
        statement = (update(member_settings)
                     .where(member_settings.c.user_id == user_id, member_settings.c.dms_closed_at.is_not(None),
                            member_settings.c.dms_closed_notified_at.is_(None))
                     .values(dms_closed_notified_at=now))
        async with self._db.write() as connection:
            return (await connection.execute(statement)).rowcount == 1

    async def delete(self, user_id: int) -> None:
        async with self._db.write() as connection:
            await connection.execute(delete(member_settings).where(member_settings.c.user_id == user_id))
