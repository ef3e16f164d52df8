"""Members own their data: the export, the deletion (one server or everywhere), members who leave a server,
and the retention of check-in notes.

A deletion is one transaction: every row of theirs in scope goes, every scheduled row for them in scope is
cancelled, and where someone else's data keeps a trace of them (a partner's repeat-pair avoidance, a block
someone made against them, a round's unmatched list, a meetup they organised) their id becomes the install's
keyed pseudonym for them (bot.domain.privacy.pseudonym), which matching reads as them if they come back.

Scheduled work that names no server (a DM notice from before occasions were recorded) is member-level: it
goes with "everywhere", and with "this server" only when nothing of theirs is left in any other server.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from bot.clock import Clock
from bot.domain.privacy import (
    Deleted,
    Erasure,
    Held,
    PrivacyErase,
    Scope,
    WorkRow,
    is_pseudonym,
    pseudonym,
    scrub,
)
from bot.domain.privacy_export import ScheduledItem, export_bytes, export_document, export_filename
from bot.domain.work import Planned
from bot.services.events import EventService
from bot.services.languages import LanguageService
from bot.services.notices import NoticeService
from bot.store import Repositories, Store

log = logging.getLogger(__name__)

__all__ = ["Export", "PrivacyService"]


@dataclass(frozen=True)
class Export:
    filename: str
    data: bytes
    document: dict[str, Any]
    dm_allowed: bool  # the member has not turned Hearth's DMs off


@dataclass(frozen=True)
class _Decision:
    """What a deletion in one scope covers, before it is carried out."""

    held: Held  # with `scheduled` counting the open rows it cancels
    work: tuple[WorkRow, ...]  # the member's rows to delete
    member_level: bool  # member-level data goes too: "everywhere", or nothing left elsewhere
    nudge_sends: bool


class PrivacyService:
    def __init__(self, store: Store, clock: Clock, *, events: EventService, notices: NoticeService,
                 languages: LanguageService) -> None:
        self._store = store
        self._clock = clock
        self._events = events
        self._notices = notices
        self._languages = languages

    # export --------------------------------------------------------------------------------------------
    async def export(self, user_id: int) -> Export:
        """Everything Hearth holds about the member, in every server, read in one snapshot."""
        now = self._clock.now()
        async with self._store.reading() as tx:
            records = await tx.privacy.records(user_id)
            work = [row for row in await tx.privacy.member_work(user_id) if row.open]
            places = await self._places_in(tx, work, user_id)
        scheduled = tuple(ScheduledItem(row.kind, row.due_at, places[row.id]) for row in work)
        document = export_document(replace(records, scheduled=scheduled), user_id, now)
        dm_allowed = records.settings is None or bool(records.settings["dms_enabled"])
        return Export(export_filename(now), export_bytes(document), document, dm_allowed)

    # deletion ------------------------------------------------------------------------------------------
    async def summary(self, user_id: int, scope: Scope) -> Held:
        """What `delete` would remove now, counted, for the member to confirm."""
        async with self._store.reading() as tx:
            return (await self._decide_in(tx, user_id, scope)).held

    async def delete(self, user_id: int, scope: Scope) -> Deleted:
        """Delete everything of the member's in scope, in one transaction. What was deleted, counted."""
        async with self._store.transaction() as tx:
            decision = await self._decide_in(tx, user_id, scope)
            meetups = await tx.privacy.meetups_answered_ahead(user_id, scope.guild_id, self._clock.now())
            await self._give_up_seats_in(tx, user_id, scope)
            changed = await tx.privacy.erase(await self._erasure_in(tx, user_id, scope, decision))
        if scope.everywhere:  # their settings went, the language among them: nor does this process remember it
            self._languages.forget(user_id)
        log.info("deleted member data (%s): %s", "everywhere" if scope.everywhere else f"guild {scope.guild_id}",
                 {name: count for name, count in changed.items() if count})
        return Deleted(decision.held, tuple(meetups))

    async def _decide_in(self, tx: Repositories, user_id: int, scope: Scope, *,
                         keep_id: int | None = None) -> _Decision:
        inside = await tx.privacy.held(user_id, scope.guild_id)
        rows = [row for row in await tx.privacy.member_work(user_id) if row.id != keep_id]
        places = await self._places_in(tx, rows, user_id)
        if scope.everywhere:
            member_level = True
        else:
            elsewhere = any(place is not None and place != scope.guild_id for place in places.values())
            member_level = not (elsewhere or (await tx.privacy.held(user_id, None)).beyond(inside))
        work = tuple(row for row in rows if _covered(places[row.id], scope, member_level))
        prefs = await tx.nudges.get(user_id)
        nudge_sends = member_level or (prefs is not None and scope.covers(prefs.guild_id))
        held = replace(inside, scheduled=sum(1 for row in work if row.open))
        return _Decision(held=held, work=work, member_level=member_level, nudge_sends=nudge_sends)

    async def _erasure_in(self, tx: Repositories, user_id: int, scope: Scope, decision: _Decision, *,
                          keep: tuple[int, dict[str, Any], str] | None = None) -> Erasure:
        secret = await tx.privacy.ensure_secret(self._clock.now())
        naming = await tx.privacy.naming(user_id)
        places = await self._places_in(tx, naming, None)
        rewritten = []
        for row in naming:
            if _covered(places[row.id], scope, decision.member_level):
                scrubbed = scrub(row.payload, user_id, finished=row.finished)
                if scrubbed != row.payload:
                    rewritten.append((row.id, scrubbed))
        return Erasure(user_id=user_id, pseudonym=pseudonym(secret, user_id), scope=scope,
                       settings=scope.everywhere, nudge_sends=decision.nudge_sends,
                       work_ids=tuple(row.id for row in decision.work), rewritten=tuple(rewritten), keep=keep)

    async def _give_up_seats_in(self, tx: Repositories, user_id: int, scope: Scope) -> None:
        """Their seat (or a place on offer to them) at a full meetup ahead goes to the first on the waitlist, as if
        they had said "can't go": offered, or given outright when the meetup is close."""
        now = self._clock.now()
        waitlist = self._events.waitlist
        for event_id in await tx.privacy.seats_held(user_id, scope.guild_id, now):
            event = await tx.events.get(event_id)
            if event is None:
                continue
            change = await tx.events.rsvp(event_id, user_id, "no", now, offer_until=waitlist.deadline(event))
            await waitlist.settle_in(tx, event, change)

    async def _places_in(self, tx: Repositories, rows: Sequence[WorkRow],
                         user_id: int | None) -> dict[int, int | None]:
        """The server each row belongs to (None: member-level). `user_id`: whose check-in reminder and nudge
        choices tell the server of their prompts and digests (None for other members' rows)."""
        places = {row.id: row.place for row in rows}
        found = await tx.privacy.guilds_of(
            event_ids=[p.event_id for p in places.values() if p.event_id is not None],
            group_ids=[p.group_id for p in places.values() if p.group_id is not None],
            round_ids=[p.round_id for p in places.values() if p.round_id is not None])
        follows = {p.follows for p in places.values()}
        reminder = await tx.reminders.get(user_id) if user_id is not None and "reminder" in follows else None
        nudges = await tx.nudges.get(user_id) if user_id is not None and "nudges" in follows else None
        resolved: dict[int, int | None] = {}
        for row_id, place in places.items():
            guild_id = place.guild_id
            if place.event_id is not None:
                guild_id = found["event"].get(place.event_id)
            elif place.group_id is not None:
                guild_id = found["group"].get(place.group_id)
            elif place.round_id is not None:
                guild_id = found["round"].get(place.round_id)
            elif place.follows == "reminder":
                guild_id = reminder.guild_id if reminder is not None else None
            elif place.follows == "nudges":
                guild_id = nudges.guild_id if nudges is not None else None
            resolved[row_id] = guild_id
        return resolved

    # members who leave -----------------------------------------------------------------------------------
    async def member_left(self, guild_id: int, user_id: int) -> bool:
        """They left the server: their scheduled work for it stops now, they leave its buddy pool, and their
        data for it is deleted after the server's grace period unless they come back. False when Hearth holds
        nothing about them there (or the deletion is already planned)."""
        if is_pseudonym(user_id):
            return False
        now = self._clock.now()
        async with self._store.transaction() as tx:
            rows = await tx.privacy.member_work(user_id)
            if any(_erase_for(row, guild_id) for row in rows):
                return False
            places = await self._places_in(tx, rows, user_id)
            stop = [row.key for row in rows if row.open and not row.claimed and places[row.id] == guild_id]
            if (await tx.privacy.held(user_id, guild_id)).empty and not stop:
                return False
            await tx.due_work.cancel_many(stop)
            profile = await tx.buddies.profile(guild_id, user_id)
            left_pool = profile is not None and profile.active
            if left_pool:
                await tx.buddies.update_profile(guild_id, user_id, now, active=False)
            grace = (await tx.guilds.get(guild_id)).leave_grace
            await tx.due_work.plan([Planned(PrivacyErase(guild_id, user_id, now, left_pool=left_pool),
                                            now + timedelta(days=grace))], now=now)
        log.info("member %s left guild %s: %d scheduled rows stopped, data deleted in %d days", user_id, guild_id,
                 len(stop), grace)
        return True

    async def members_gone(self, guild_id: int, user_ids: Iterable[int]) -> int:
        """Discord said these members are no longer in the server (found while delivering): as `member_left`."""
        return sum([await self.member_left(guild_id, user_id) for user_id in dict.fromkeys(user_ids)])

    async def member_returned(self, guild_id: int, user_id: int) -> bool:
        """They came back before their data was deleted: the deletion is called off, and a buddy profile taken
        out of the pool when they left goes back in. True when a deletion was called off."""
        rows = [row for row in await self._store.privacy.member_work(user_id) if _erase_for(row, guild_id)]
        if not rows:  # nearly every join: one indexed read, no write
            return False
        now = self._clock.now()
        async with self._store.transaction() as tx:
            cancelled = await tx.due_work.cancel_many(row.key for row in rows if not row.claimed)
            if cancelled and any(PrivacyErase.decode(row.payload).left_pool for row in rows):
                await tx.buddies.update_profile(guild_id, user_id, now, active=True)
        return cancelled > 0

    async def erase_left(self, work: PrivacyErase, item_id: int) -> Deleted | None:
        """The grace period is over: delete what Hearth holds about them for that server. The row doing it is
        kept (so it never runs twice) with their pseudonym in place of their id. None when already done."""
        if is_pseudonym(work.user_id):
            return None
        scope = Scope(work.guild_id)
        async with self._store.transaction() as tx:
            alias = pseudonym(await tx.privacy.ensure_secret(self._clock.now()), work.user_id)
            anonymous = replace(work, user_id=alias)
            decision = await self._decide_in(tx, work.user_id, scope, keep_id=item_id)
            meetups = await tx.privacy.meetups_answered_ahead(work.user_id, scope.guild_id, self._clock.now())
            await self._give_up_seats_in(tx, work.user_id, scope)
            await tx.privacy.erase(await self._erasure_in(tx, work.user_id, scope, decision,
                                                          keep=(item_id, anonymous.encode(), anonymous.key())))
        log.info("deleted the data of a member who left guild %s", work.guild_id)
        return Deleted(decision.held, tuple(meetups))

    # retention ---------------------------------------------------------------------------------------------
    async def apply_retention(self) -> int:
        """Clear check-in notes older than their server's retention (the moods stay). A periodic job."""
        cleared = await self._store.privacy.prune_notes(self._clock.now())
        if cleared:
            log.info("cleared %d check-in notes past their server's retention", cleared)
        return cleared


def _covered(place: int | None, scope: Scope, member_level: bool) -> bool:
    """Whether a scheduled row of this server (None: member-level) goes with the deletion."""
    return member_level if place is None else scope.covers(place)


def _erase_for(row: WorkRow, guild_id: int) -> bool:
    return row.kind == PrivacyErase.KIND and row.open and row.payload.get("guild_id") == guild_id
