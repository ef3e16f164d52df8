"""/event: meetups with one-click RSVPs, a waitlist, a matching Discord Scheduled Event, and .ics files."""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.errors import HearthError
from bot.services.event_reminders import REMINDER_KIND
from bot.services.events import TAGS, EventDraft, EventService
from bot.store import DueItem
from bot.store.events import Event
from bot.ui.dm import send_dm
from cogs._common import per_member_cooldown
from cogs.events._components import COG_NAME, DYNAMIC_ITEMS, ConfirmCreate, rsvp_view
from cogs.events._render import announcement_embed, draft_embed, list_embed, reminder_text

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

TAG_CHOICES = [app_commands.Choice(name=tag, value=tag) for tag in TAGS]
NOT_ORGANISER = ("Only organisers can do that: members with Manage Events, or the organiser role set in "
                 "`/hearth setup`.")


class NotOrganiser(HearthError):
    pass


class EventsCog(commands.Cog, name=COG_NAME):
    # Announcements in the events channel, and a matching Discord Scheduled Event.
    bot_permissions = discord.Permissions(view_channel=True, send_messages=True, embed_links=True,
                                          attach_files=True, manage_events=True, create_events=True)
    dynamic_items = DYNAMIC_ITEMS

    # Members use /event list and /event ics, so Discord's default permission can't hide the group;
    # create, edit and cancel check the organiser's permission at run time.
    event = app_commands.Group(name="event", description="Meetups: see what's on, or announce one (organisers)",
                               guild_only=True, allowed_contexts=app_commands.AppCommandContext(guild=True))

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot
        self.events = EventService(bot.store, bot.clock)

    async def cog_load(self) -> None:
        self.bot.due_work.register(REMINDER_KIND, self.send_reminder)

    async def cog_unload(self) -> None:
        self.bot.due_work.unregister(REMINDER_KIND)

    async def send_reminder(self, item: DueItem) -> None:
        """Due-work handler: a DM to one member going to a meetup (skipped if cancelled, moved or started)."""
        reminder = await self.events.reminders.decide(item)
        if reminder is None:
            return
        text = reminder_text(reminder.event, reminder.label, reminder.others_going, reminder.others_count)
        await send_dm(self.bot, reminder.user_id, text, work=item)

    async def _require_organiser(self, interaction: discord.Interaction) -> None:
        member = interaction.user
        assert isinstance(member, discord.Member) and interaction.guild is not None
        permissions = member.guild_permissions
        if permissions.manage_events or permissions.manage_guild:
            return
        role_id = (await self.bot.store.guilds.get(interaction.guild.id)).organiser_role_id
        if role_id is None or member.get_role(role_id) is None:
            raise NotOrganiser(NOT_ORGANISER)

    async def _event_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[int]]:
        assert interaction.guild_id is not None
        typed = current.lower()
        return [app_commands.Choice(name=f"{event.title} ({event.start_at:%d %b %H:%M} UTC)"[:100], value=event.id)
                for event in await self.events.upcoming(interaction.guild_id) if typed in event.title.lower()][:25]

    # organisers ---------------------------------------------------------------------------------
    @event.command(name="create", description="Announce a meetup (organisers)")
    @app_commands.describe(
        title="What it is, e.g. “Sunday walk by the river”", start="When, in your time zone: “friday 7pm”, "
        "“2026-12-05 18:30”, “tomorrow at noon”", duration="How long, in minutes", mode="In person or online",
        venue="Where (in person), e.g. “Riverside Café, Mill Lane”", area="The town or area, for nearby members",
        link="Join link (online)", description="Anything people should know", capacity="Places (empty: no limit)",
        tag="What kind of meetup")
    @app_commands.choices(tag=TAG_CHOICES)
    @per_member_cooldown(rate=5, per=60)
    async def create(self, interaction: discord.Interaction, title: app_commands.Range[str, 1, 200],
                     start: app_commands.Range[str, 1, 100], duration: app_commands.Range[int, 1, 1440],
                     mode: Literal["in_person", "online"], tag: app_commands.Choice[str],
                     venue: app_commands.Range[str, 1, 200] | None = None,
                     area: app_commands.Range[str, 1, 60] | None = None,
                     link: app_commands.Range[str, 1, 500] | None = None,
                     description: app_commands.Range[str, 1, 1000] | None = None,
                     capacity: app_commands.Range[int, 1, 10000] | None = None) -> None:
        assert interaction.guild_id is not None
        await self._require_organiser(interaction)
        draft = await self.events.draft(
            guild_id=interaction.guild_id, creator_id=interaction.user.id, title=title, start=start,
            duration_minutes=duration, mode=mode, venue=venue, area=area, link=link, description=description,
            capacity=capacity, tag=tag.value)
        await interaction.response.send_message(embed=draft_embed(draft), view=ConfirmCreate(self, draft),
                                                ephemeral=True)

    async def publish(self, interaction: discord.Interaction, draft: EventDraft) -> None:
        """After "Post it": store, announce with RSVP buttons, and add the Discord Scheduled Event."""
        assert interaction.guild is not None
        event = await self.events.create(draft)
        channel = interaction.guild.get_channel(event.channel_id or 0)
        if not isinstance(channel, discord.TextChannel):
            await interaction.response.edit_message(
                content="Saved, but I can't find the events channel. Choose one with `/hearth setup events:`.",
                embed=None, view=None)
            return
        message = await channel.send(embed=announcement_embed(event, await self.events.rsvps(event.id)),
                                     view=rsvp_view(event.id))
        scheduled = await self._create_scheduled_event(interaction.guild, event)
        await self.events.attach(event.id, message_id=message.id,
                                 scheduled_event_id=scheduled.id if scheduled else None)
        note = "" if scheduled else " (I couldn't add it to the server's Events list: I need Manage Events.)"
        await interaction.response.edit_message(content=f"Posted in {channel.mention}.{note}", embed=None, view=None)

    async def _create_scheduled_event(self, guild: discord.Guild, event: Event) -> discord.ScheduledEvent | None:
        location = (event.venue or "") + (f", {event.area}" if event.area else "") if event.mode == "in_person" \
            else (event.link or "Online")
        try:
            return await guild.create_scheduled_event(
                name=event.title, start_time=event.start_at, end_time=event.end_at,
                entity_type=discord.EntityType.external, location=location[:100],
                privacy_level=discord.PrivacyLevel.guild_only, description=(event.description or "")[:1000])
        except discord.HTTPException as error:
            log.warning("could not create a scheduled event for event %s: %s", event.id, error)
            return None

    @event.command(name="cancel", description="Cancel a meetup; everyone who answered is told (organisers)")
    @app_commands.describe(event="Which meetup")
    async def cancel(self, interaction: discord.Interaction, event: int) -> None:
        assert interaction.guild is not None
        await self._require_organiser(interaction)
        found = await self.events.get(event, interaction.guild.id)
        cancelled, tell = await self.events.cancel(found)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._refresh_announcement(interaction.guild, cancelled, view=False)
        await self._sync_scheduled_event(interaction.guild, cancelled, cancel=True)
        notice = (f"**{cancelled.title}** on {discord.utils.format_dt(cancelled.start_at)} has been cancelled. "
                  "Sorry! Keep an eye on the events channel for the next one.")
        told = 0
        for user_id in tell:
            told += await send_dm(self.bot, user_id, notice)
        await interaction.followup.send(f"Cancelled **{cancelled.title}**. I told {told} of {len(tell)} people "
                                        "who answered (others have DMs off).", ephemeral=True)

    @event.command(name="edit", description="Change a meetup; the announcement and server event follow (organisers)")
    @app_commands.describe(event="Which meetup", title="New title", start="New start, in your time zone",
                           duration="New length in minutes", venue="New venue", description="New description",
                           capacity="New number of places (a bigger number lets the waitlist in)")
    async def edit(self, interaction: discord.Interaction, event: int,
                   title: app_commands.Range[str, 1, 200] | None = None,
                   start: app_commands.Range[str, 1, 100] | None = None,
                   duration: app_commands.Range[int, 1, 1440] | None = None,
                   venue: app_commands.Range[str, 1, 200] | None = None,
                   description: app_commands.Range[str, 0, 1000] | None = None,
                   capacity: app_commands.Range[int, 1, 10000] | None = None) -> None:
        assert interaction.guild is not None
        await self._require_organiser(interaction)
        found = await self.events.get(event, interaction.guild.id)
        updated, promoted = await self.events.edit(found, editor_id=interaction.user.id, title=title, start=start,
                                                   duration_minutes=duration, venue=venue, description=description,
                                                   capacity=capacity)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._refresh_announcement(interaction.guild, updated)
        await self._sync_scheduled_event(interaction.guild, updated)
        for user_id in promoted:
            await self._promoted(user_id, updated)
        await interaction.followup.send(f"Updated **{updated.title}**.", ephemeral=True)

    cancel.autocomplete("event")(_event_choices)
    edit.autocomplete("event")(_event_choices)

    # members ------------------------------------------------------------------------------------
    @event.command(name="list", description="Upcoming meetups, in your own time zone")
    async def list_events(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        upcoming = await self.events.upcoming(interaction.guild_id)
        counts = {event.id: len((await self.events.rsvps(event.id))["going"]) for event in upcoming[:10]}
        await interaction.response.send_message(embed=list_embed(upcoming, counts), ephemeral=True)

    @event.command(name="ics", description="A calendar file for one meetup")
    @app_commands.describe(event="Which meetup")
    async def ics(self, interaction: discord.Interaction, event: int) -> None:
        assert interaction.guild_id is not None
        found = await self.events.get(event, interaction.guild_id)
        data = self.events.ics(found)
        calendar_file = discord.File(io.BytesIO(data), f"meetup-{found.id}.ics")
        await interaction.response.send_message(f"Here's **{found.title}** for your calendar.", file=calendar_file,
                                                ephemeral=True)

    ics.autocomplete("event")(_event_choices)

    @event.command(name="reminders", description="When you're reminded of meetups you're going to")
    @app_commands.describe(when="Both (a day and an hour before), one of them, or none")
    @app_commands.choices(when=[app_commands.Choice(name="A day and an hour before", value="both"),
                                app_commands.Choice(name="A day before", value="day"),
                                app_commands.Choice(name="An hour before", value="hour"),
                                app_commands.Choice(name="No reminders", value="off")])
    @per_member_cooldown()
    async def reminders(self, interaction: discord.Interaction, when: app_commands.Choice[str]) -> None:
        changed = await self.events.reminders.set_choice(interaction.user.id, when.value)
        also = f" That applies to the {changed} meetup{'s' if changed != 1 else ''} you're going to." if changed else ""
        await interaction.response.send_message(f"Meetup reminders: {when.name.lower()}.{also}", ephemeral=True)

    # RSVPs --------------------------------------------------------------------------------------
    async def answer(self, interaction: discord.Interaction, event_id: int, status: str) -> None:
        event, change = await self.events.rsvp(event_id, interaction.user.id, status,
                                               display_name=interaction.user.display_name)
        answers = await self.events.rsvps(event_id)
        await interaction.response.edit_message(embed=announcement_embed(event, answers))
        if change.status == "waitlist":
            place = answers["waitlist"].index(interaction.user.id) + 1
            text = (f"It's full right now, so you're **#{place} on the waitlist**. If a place opens, it's yours "
                    "and I'll DM you.")
        else:
            text = {"going": "You're going! 🎉 See you there.", "maybe": "Marked as maybe.",
                    "no": "Thanks for letting us know."}[change.status]
        await interaction.followup.send(text, ephemeral=True)
        for user_id in change.promoted:
            await self._promoted(user_id, event)

    async def _promoted(self, user_id: int, event: Event) -> None:
        await send_dm(self.bot, user_id, f"Good news: a place opened up for **{event.title}** on "
                                f"{discord.utils.format_dt(event.start_at)}, and it's yours. You're going! If you "
                                "can't make it after all, tap “Can't go” on the announcement.")

    async def _refresh_announcement(self, guild: discord.Guild, event: Event, *, view: bool = True) -> None:
        channel = guild.get_channel(event.channel_id or 0)
        if not isinstance(channel, discord.TextChannel) or event.message_id is None:
            return
        try:
            message = channel.get_partial_message(event.message_id)
            await message.edit(embed=announcement_embed(event, await self.events.rsvps(event.id)),
                               view=rsvp_view(event.id) if view else None)
        except discord.HTTPException as error:
            log.warning("could not update the announcement of event %s: %s", event.id, error)

    async def _sync_scheduled_event(self, guild: discord.Guild, event: Event, *, cancel: bool = False) -> None:
        if event.scheduled_event_id is None:
            return
        try:
            scheduled = guild.get_scheduled_event(event.scheduled_event_id) or await guild.fetch_scheduled_event(
                event.scheduled_event_id)
            if cancel:
                await scheduled.cancel()
            else:
                await scheduled.edit(name=event.title, start_time=event.start_at, end_time=event.end_at,
                                     description=(event.description or "")[:1000])
        except discord.HTTPException as error:
            log.warning("could not update the scheduled event of event %s: %s", event.id, error)


async def setup(bot: HearthBot) -> None:
    await bot.add_cog(EventsCog(bot))
