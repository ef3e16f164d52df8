"""/event: meetups with one-click RSVPs, a waitlist, a matching Discord Scheduled Event, and .ics files."""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.companions import CompanionNote, PairingRound
from bot.domain.errors import HearthError
from bot.domain.event_feedback import PERIODS, FeedbackAsk, FeedbackFanOut
from bot.domain.event_reminders import EventReminder
from bot.domain.event_series import MAX_TIMES, MIN_TIMES, SeriesAnnouncement
from bot.domain.event_waitlist import OfferExpiry, WaitlistOffer
from bot.domain.timezones import zone
from bot.i18n import _, day_and_month, n_, p_, speaking
from bot.services.events import EventDraft
from bot.ui.dm import DueItem, send_dm
from bot.ui.formatting import plain
from bot.ui.voices import server_voice
from cogs._base import HearthCogBase, due_work
from cogs._common import MEETUP_ANSWERS_CHANGED, per_member_cooldown
from cogs.events._attendance import HereButton, arrived_text, code_text, here_view, member_roles
from cogs.events._companions import CompanionDelivery, GoTogetherButton, go_together_view
from cogs.events._components import COG_NAME, ConfirmCreate, RepostButton, RsvpButton, repost_view
from cogs.events._feedback import FeedbackButton, feedback_text, feedback_view, stats_embed
from cogs.events._options import (
    ACCESS_HELP,
    MODE_CHOICES,
    NOT_ORGANISER,
    PERIOD_CHOICES,
    REPEAT_CHOICES,
    ROLE_HELP,
    RSVP_CLOSES_HELP,
    SCOPE_CHOICES,
    TAG_CHOICES,
    NotOrganiser,
    role_limit,
)
from cogs.events._publishing import Published, Publisher
from cogs.events._render import announcement_embed, draft_embed, list_embed, reminder_text
from cogs.events._waitlist import OfferButton, WaitlistDelivery

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

class EventsCog(HearthCogBase, name=COG_NAME):
    # Announcements in the events channel, a matching Discord Scheduled Event, and private threads there
    # for members who asked not to go alone.
    bot_permissions = discord.Permissions(view_channel=True, send_messages=True, embed_links=True,
                                          attach_files=True, manage_events=True, create_events=True,
                                          create_private_threads=True, send_messages_in_threads=True)
    dynamic_items = (RsvpButton, GoTogetherButton, FeedbackButton, RepostButton, OfferButton, HereButton)

    # Two groups, because Discord's default permission applies to a whole top-level command: members'
    # /event, and /event-admin hidden from everyone without Manage Events (a server can grant it to the
    # organiser role under Integrations). Each organiser command checks again at run time.
    event = app_commands.Group(name="event", description="Meetups: see what's on, get a calendar file, reminders",
                               guild_only=True, allowed_contexts=app_commands.AppCommandContext(guild=True))
    admin = app_commands.Group(name="event-admin", description="Organisers: announce, change and cancel meetups",
                               guild_only=True, allowed_contexts=app_commands.AppCommandContext(guild=True),
                               default_permissions=discord.Permissions(manage_events=True))

    def __init__(self, bot: HearthBot) -> None:
        super().__init__(bot)
        self.publisher = Publisher(bot, self.services.events)
        self.companions = CompanionDelivery(bot, self.services.events.companions)
        self.waitlist = WaitlistDelivery(bot, self.services.events.waitlist, self.publisher)

    # One DM to one member per row: reminders, notes and questions may run side by side in a sweep.
    @due_work(EventReminder, concurrent=True)
    async def send_reminder(self, work: EventReminder, item: DueItem) -> None:
        """A DM to one member going to a meetup (skipped if cancelled, moved or started)."""
        reminder = await self.services.events.reminders.decide(work)
        if reminder is None:
            return
        text = reminder_text(reminder.event, reminder.label, reminder.others_going, reminder.others_count)
        here = here_view(reminder.event.id) if reminder.label == "1h" and reminder.event.mode == "in_person" else None
        await send_dm(self.bot, reminder.user_id, text, here, work=item)

    @due_work(WaitlistOffer, concurrent=True)
    async def send_waitlist_offer(self, work: WaitlistOffer, item: DueItem) -> None:
        """A freed place offered to one member by DM, with Take / Pass (skipped once that offer has ended)."""
        await self.waitlist.send_offer(work, item)

    @due_work(OfferExpiry)
    async def end_waitlist_offer(self, work: OfferExpiry, item: DueItem) -> None:
        """An offer's deadline: unanswered, the place passes to the next member waiting."""
        await self.waitlist.expire(work, item)

    @due_work(SeriesAnnouncement)
    async def announce_next(self, work: SeriesAnnouncement, item: DueItem) -> None:
        """The next date of a series, as its own meetup (once, however often it runs)."""
        event = await self.services.events.series.materialise(work)
        guild = self.bot.get_guild(event.guild_id) if event else None
        if event is not None and guild is not None:
            await self.publisher.announce(guild, event, recover=item.interrupted, retry=True)

    @due_work(PairingRound)
    async def pair_companions(self, work: PairingRound, item: DueItem) -> None:
        """Group the members who asked for someone to go with, and introduce them."""
        outcome = await self.services.events.companions.pair(work)
        if outcome is not None:
            await self.companions.deliver(outcome)

    @due_work(CompanionNote, concurrent=True)
    async def send_note(self, work: CompanionNote, item: DueItem) -> None:
        await self.companions.send_note(work, item)

    @due_work(FeedbackFanOut)
    async def ask_for_feedback(self, work: FeedbackFanOut, item: DueItem) -> None:
        """An hour after an in-person meetup, one question row per member who went."""
        await self.services.events.feedback.fan_out(work)

    @due_work(FeedbackAsk, concurrent=True)
    async def send_feedback_question(self, work: FeedbackAsk, item: DueItem) -> None:
        event = await self.services.events.feedback.decide_ask(work)
        if event is not None:
            await send_dm(self.bot, work.user_id, feedback_text(event), feedback_view(event.id), work=item)

    async def _require_organiser(self, interaction: discord.Interaction) -> None:
        member = interaction.user
        assert isinstance(member, discord.Member) and interaction.guild is not None
        permissions = member.guild_permissions
        if permissions.manage_events or permissions.manage_guild:
            return
        role_id = await self.services.events.organiser_role(interaction.guild.id)
        if role_id is None or member.get_role(role_id) is None:
            raise NotOrganiser(_(NOT_ORGANISER))

    async def _event_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[int]]:
        assert interaction.guild_id is not None
        typed = current.lower()
        upcoming = await self.services.events.upcoming(interaction.guild_id)
        try:  # a label can't hold a Discord timestamp: the member's own zone, else the server's, else UTC
            shown_in = zone(await self.services.events.organiser_zone(interaction.guild_id, interaction.user.id))
        except HearthError:
            shown_in = zone("UTC")
        choices = []
        for event in upcoming:
            if typed not in event.title.lower():
                continue
            local = event.start_at.astimezone(shown_in)
            label = f"{event.title} ({day_and_month(local, weekday=False)} {local:%H:%M %Z})"
            choices.append(app_commands.Choice(name=label[:100], value=event.id))
            if len(choices) == 25:
                break
        return choices

    # organisers ---------------------------------------------------------------------------------
    @admin.command(name="create", description="Announce a meetup, once or repeating (organisers)")
    @app_commands.describe(
        title="What it is, e.g. “Sunday walk by the river”", start="When, in your time zone: “friday 7pm”, "
        "“2026-12-05 18:30”, “tomorrow at noon”", duration="How long, in minutes", mode="In person or online",
        venue="Where (in person), e.g. “Riverside Café, Mill Lane”", area="The town or area, for nearby members",
        link="Join link (online)", description="Anything people should know", capacity="Places (empty: no limit)",
        tag="What kind of meetup", repeat="Repeat it: every week, every other week, or monthly on the same weekday",
        times=f"How many times in all ({MIN_TIMES}–{MAX_TIMES}); empty: until you cancel or `until`",
        until="Or the last date, e.g. “2026-06-30” or “30 June”", rsvp_closes=RSVP_CLOSES_HELP, role=ROLE_HELP,
        access=ACCESS_HELP)
    @app_commands.choices(mode=MODE_CHOICES, tag=TAG_CHOICES, repeat=REPEAT_CHOICES)
    @per_member_cooldown(rate=5, per=60)
    async def create(self, interaction: discord.Interaction, title: app_commands.Range[str, 1, 200],
                     start: app_commands.Range[str, 1, 100], duration: app_commands.Range[int, 1, 1440],
                     mode: app_commands.Choice[str], tag: app_commands.Choice[str],
                     venue: app_commands.Range[str, 1, 200] | None = None,
                     area: app_commands.Range[str, 1, 60] | None = None,
                     link: app_commands.Range[str, 1, 500] | None = None,
                     description: app_commands.Range[str, 1, 1000] | None = None,
                     capacity: app_commands.Range[int, 1, 10000] | None = None,
                     repeat: app_commands.Choice[str] | None = None,
                     times: app_commands.Range[int, 1, 100] | None = None,
                     until: app_commands.Range[str, 1, 40] | None = None,
                     rsvp_closes: app_commands.Range[str, 1, 100] | None = None, role: discord.Role | None = None,
                     access: app_commands.Range[str, 1, 300] | None = None) -> None:
        assert interaction.guild_id is not None
        await self._require_organiser(interaction)
        draft = await self.services.events.draft(
            guild_id=interaction.guild_id, creator_id=interaction.user.id, title=title, start=start,
            duration_minutes=duration, mode=mode.value, venue=venue, area=area, link=link, description=description,
            capacity=capacity, tag=tag.value, repeat=repeat.value if repeat else None, times=times, until=until,
            rsvp_closes=rsvp_closes, role_id=role_limit(interaction, role), access=access)
        await interaction.response.send_message(embed=draft_embed(draft), view=ConfirmCreate(self, draft),
                                                ephemeral=True)

    async def publish(self, interaction: discord.Interaction, draft: EventDraft) -> None:
        """After "Post it" (already deferred): store, announce with RSVP buttons, add the Discord Scheduled Event,
        and say what happened on the organiser's private message."""
        assert interaction.guild is not None
        event = await self.services.events.create(draft)
        published = await self.publisher.announce_now(interaction.guild, event)
        await self._tell(interaction, event.id, published, repeats=draft.repeat is not None)

    async def repost(self, interaction: discord.Interaction, event_id: int) -> None:
        """"Try posting again", when Discord didn't take an announcement: posts what isn't posted yet, once."""
        assert interaction.guild is not None
        await self._require_organiser(interaction)
        await interaction.response.defer()
        event = await self.services.events.get(event_id, interaction.guild.id)
        if event.status == "cancelled":
            await interaction.edit_original_response(
                content=_("**{title}** was cancelled, so there's nothing to post.", title=plain(event.title)),
                embed=None, view=None)
            return
        published = await self.publisher.announce_now(interaction.guild, event)
        await self._tell(interaction, event.id, published, repeats=event.series_id is not None)

    async def _tell(self, interaction: discord.Interaction, event_id: int, published: Published, *,
                    repeats: bool) -> None:
        if published.busy:
            # i18n: **Try posting again** is the button below (use the same words as on it)
            await interaction.edit_original_response(
                content=_("Saved, but Discord had a problem and the announcement couldn't be posted (I tried three "
                          "times). Nothing was posted yet. Press **Try posting again** in a minute: it's posted once, "
                          "however often you press."), embed=None, view=repost_view(event_id))
            return
        if published.channel is None:
            await interaction.edit_original_response(
                content=_("Saved, but I couldn't post in the events channel: it's gone, or I may not post there. "
                          "Choose another with `/hearth setup events:`, or give me Send Messages there."),
                embed=None, view=None)
            return
        parts = [_("Posted in {channel}.", channel=published.channel.mention)]
        if not published.scheduled:
            parts.append(_("(I couldn't add it to the server's Events list: I need Manage Events.)"))
        if repeats:
            parts.append(_("Each later date is announced when the one before it starts (or two weeks ahead, if "
                           "later)."))
        await interaction.edit_original_response(content=" ".join(parts), embed=None, view=None)

    @admin.command(name="cancel", description="Cancel a meetup; everyone who answered is told (organisers)")
    @app_commands.describe(event="Which meetup", scope="For a repeating meetup: this date only, or this and all "
                           "later ones (the series stops)")
    @app_commands.choices(scope=SCOPE_CHOICES)
    @per_member_cooldown(rate=5, per=60)
    async def cancel(self, interaction: discord.Interaction, event: int,
                     scope: app_commands.Choice[str] | None = None) -> None:
        # Deferred before anything else: a big meetup's attendee work may take longer than Discord waits.
        await interaction.response.defer(ephemeral=True, thinking=True)
        assert interaction.guild is not None
        await self._require_organiser(interaction)
        later = scope is not None and scope.value == "later"
        found, changed = await self.services.events.cancel(event, interaction.guild.id, later=later)
        for cancelled in changed:  # after the commit: the notices are already queued with it
            await self.publisher.refresh(interaction.guild, cancelled.event, cancelled.answers, view=False)
            await self.publisher.sync_scheduled_event(interaction.guild, cancelled.event, cancel=True)
        asked = sum(len(cancelled.people) for cancelled in changed)
        if later and found.series_id is not None:
            # i18n: {date} is the first date cancelled; {count} how many dates already announced were cancelled
            done = n_("Cancelled **{title}** from {date} on: no later dates will be announced ({count} already "
                      "announced was cancelled).", "Cancelled **{title}** from {date} on: no later dates will be "
                      "announced ({count} already announced were cancelled).", len(changed),
                      title=plain(found.title), date=discord.utils.format_dt(found.start_at, "D"))
        else:
            done = _("Cancelled **{title}**.", title=plain(found.title))
        told = (n_("I'm letting the {count} person who answered know by DM in the next minute (except anyone who "
                   "has turned DMs off).", "I'm letting the {count} people who answered know by DM in the next "
                   "minute (except anyone who has turned DMs off).", asked)
                if asked else _("Nobody had answered yet, so there is no one to tell."))
        await interaction.followup.send(f"{done} {told}", ephemeral=True)

    @admin.command(name="edit", description="Change a meetup; the announcement and server event follow (organisers)")
    @app_commands.describe(event="Which meetup", title="New title", start="New start, in your time zone",
                           duration="New length in minutes", venue="New venue", description="New description",
                           capacity="New number of places (a bigger number lets the waitlist in)",
                           scope="For a repeating meetup: this date only, or this and all later ones",
                           rsvp_closes=RSVP_CLOSES_HELP + " (“start”: at the start)",
                           role=ROLE_HELP + " (@everyone: open to all again)",
                           access=ACCESS_HELP + " (one space: none)")
    @app_commands.choices(scope=SCOPE_CHOICES)
    @per_member_cooldown(rate=5, per=60)
    async def edit(self, interaction: discord.Interaction, event: int,
                   title: app_commands.Range[str, 1, 200] | None = None,
                   start: app_commands.Range[str, 1, 100] | None = None,
                   duration: app_commands.Range[int, 1, 1440] | None = None,
                   venue: app_commands.Range[str, 1, 200] | None = None,
                   description: app_commands.Range[str, 0, 1000] | None = None,
                   capacity: app_commands.Range[int, 1, 10000] | None = None,
                   scope: app_commands.Choice[str] | None = None,
                   rsvp_closes: app_commands.Range[str, 1, 100] | None = None, role: discord.Role | None = None,
                   access: app_commands.Range[str, 0, 300] | None = None) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # first, as for cancel
        assert interaction.guild is not None
        await self._require_organiser(interaction)
        later = scope is not None and scope.value == "later"
        found, changed = await self.services.events.edit(
            event, interaction.guild.id, editor_id=interaction.user.id, title=title, start=start,
            duration_minutes=duration, venue=venue, description=description, capacity=capacity, later=later,
            rsvp_closes=rsvp_closes, role_id=role_limit(interaction, role),
            open_to_all=role is not None and role.id == interaction.guild.id,
            access=access)
        for updated in changed:  # after the commit; promotion notices were queued with it
            await self.publisher.refresh(interaction.guild, updated.event, updated.answers)
            await self.publisher.sync_scheduled_event(interaction.guild, updated.event)
        title = plain(changed[0].event.title)
        done = (_("Updated **{title}** and every later date in the series.", title=title)
                if later and found.series_id is not None else _("Updated **{title}**.", title=title))
        await interaction.followup.send(done, ephemeral=True)

    @admin.command(name="stats", description="In-person meetups: how many went, how it went (totals, organisers)")
    @app_commands.describe(period="How far back")
    @app_commands.choices(period=PERIOD_CHOICES)
    async def stats(self, interaction: discord.Interaction, period: app_commands.Choice[str] | None = None) -> None:
        assert interaction.guild is not None
        await self._require_organiser(interaction)
        days = PERIODS[period.value if period else "30"]
        figures = await self.services.events.feedback.stats(interaction.guild.id, days)
        await interaction.response.send_message(embed=stats_embed(figures, days), ephemeral=True)

    @admin.command(name="code", description="The “I'm here” code to share at the venue (organisers)")
    @app_commands.describe(event="Which meetup (in person)")
    @per_member_cooldown(rate=5, per=60)
    async def code(self, interaction: discord.Interaction, event: int) -> None:
        assert interaction.guild is not None
        await self._require_organiser(interaction)
        found = await self.services.attendance.code(event, interaction.guild.id)
        await interaction.response.send_message(code_text(found), ephemeral=True)

    cancel.autocomplete("event")(_event_choices)
    code.autocomplete("event")(_event_choices)
    edit.autocomplete("event")(_event_choices)

    # members ------------------------------------------------------------------------------------
    @commands.Cog.listener(f"on_{MEETUP_ANSWERS_CHANGED}")
    async def refresh_answered(self, meetups: list[tuple[int, int]]) -> None:
        """Answers went away outside this cog (a member deleted their data): the announcements count again."""
        for guild_id, event_id in meetups:
            guild = self.bot.get_guild(guild_id)
            if guild is None:
                continue
            try:
                event = await self.services.events.get(event_id, guild_id)
            except HearthError:  # cancelled or gone since: nothing to count
                continue
            await self.publisher.refresh(guild, event, await self.services.events.rsvps(event_id))

    @event.command(name="list", description="Upcoming meetups, in your own time zone")
    async def list_events(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        upcoming = await self.services.events.upcoming(interaction.guild_id)
        counts = await self.services.events.going_counts([event.id for event in upcoming[:10]])
        await interaction.response.send_message(embed=list_embed(upcoming, counts), ephemeral=True)

    @event.command(name="ics", description="A calendar file for one meetup, or its whole series")
    @app_commands.describe(event="Which meetup", series="For a repeating meetup: every date, as one repeating entry")
    async def ics(self, interaction: discord.Interaction, event: int, series: bool = False) -> None:
        assert interaction.guild_id is not None
        found = await self.services.events.get(event, interaction.guild_id)
        whole = series and found.series_id is not None
        data = await self.services.events.ics(found, whole_series=whole)
        name = f"meetup-series-{found.series_id}.ics" if whole else f"meetup-{found.id}.ics"
        title = plain(found.title)
        if whole:
            text = _("Here's **{title}** for your calendar, every date of it.", title=title)
        elif series:
            text = _("Here's **{title}** for your calendar. (It doesn't repeat, so that's the only date.)", title=title)
        elif found.series_id is not None:
            # i18n: keep `series: True` as it is (a command option)
            text = _("Here's **{title}** for your calendar. It repeats: add `series: True` for every date.",
                     title=title)
        else:
            text = _("Here's **{title}** for your calendar.", title=title)
        await interaction.response.send_message(text, file=discord.File(io.BytesIO(data), name), ephemeral=True)

    ics.autocomplete("event")(_event_choices)

    @event.command(name="here", description="At a meetup: say you've arrived, with the code the organiser shares")
    @app_commands.describe(code="The code from the organiser, e.g. K7QX2M")
    @per_member_cooldown(rate=5, per=60)
    async def here(self, interaction: discord.Interaction, code: app_commands.Range[str, 1, 20]) -> None:
        assert interaction.guild_id is not None
        found, arrival = await self.services.attendance.arrive_by_code(interaction.guild_id, interaction.user.id,
                                                                       code)
        await interaction.response.send_message(arrived_text(found, arrival), ephemeral=True)

    @event.command(name="reminders", description="When you're reminded of meetups you're going to")
    @app_commands.describe(when="Both (a day and an hour before), one of them, or none")
    @app_commands.choices(when=[app_commands.Choice(name="A day and an hour before", value="both"),
                                app_commands.Choice(name="A day before", value="day"),
                                app_commands.Choice(name="An hour before", value="hour"),
                                app_commands.Choice(name="No reminders", value="off")])
    @per_member_cooldown()
    async def reminders(self, interaction: discord.Interaction, when: app_commands.Choice[str]) -> None:
        changed = await self.services.events.reminders.set_choice(interaction.user.id, when.value)
        # i18n: the reminder choice a member just made, inside "Meetup reminders: {choice}."
        chosen = {"both": p_("reminder choice", "a day and an hour before"),
                  "day": p_("reminder choice", "a day before"), "hour": p_("reminder choice", "an hour before"),
                  "off": p_("reminder choice", "no reminders")}.get(when.value, when.name.lower())
        text = _("Meetup reminders: {choice}.", choice=chosen)
        if changed:
            text += " " + n_("That applies to the {count} meetup you're going to.",
                             "That applies to the {count} meetups you're going to.", changed)
        await interaction.response.send_message(text, ephemeral=True)

    # RSVPs --------------------------------------------------------------------------------------
    async def answer(self, interaction: discord.Interaction, event_id: int, status: str, *,
                     announcement: discord.Message | None = None) -> None:
        """`announcement`: when the answer was carried on from another message (the minimum-age question), the
        announcement to update; otherwise it is the message clicked on."""
        answered = await self.services.events.rsvp(event_id, interaction.user.id, status,
                                                   display_name=interaction.user.display_name,
                                                   role_ids=member_roles(interaction))
        event, change, answers = answered.event, answered.change, answered.answers
        with speaking(server_voice(self.bot, event.guild_id)):  # the announcement is public: the server's language
            embed = announcement_embed(event, answers)
        if announcement is None:
            await interaction.response.edit_message(embed=embed)
        else:
            await interaction.response.defer()
            await announcement.edit(embed=embed, allowed_mentions=discord.AllowedMentions.none())
        if change.status == "waitlist":
            place = answers["waitlist"].index(interaction.user.id) + 1
            # i18n: {place} is the member's place on the waitlist (1, 2, 3…)
            text = _("It's full right now, so you're **#{place} on the waitlist**. If a place opens, I'll DM you and "
                     "hold it for you for a while, so you can say yes or pass.", place=place)
        else:
            text = {"going": _("You're going! 🎉 See you there."), "maybe": _("Marked as maybe."),
                    "no": _("Thanks for letting us know.")}[change.status]
        if change.status == "going" and event.mode == "in_person":
            asked = answered.asked_for_company
            text += " " + (_("You asked for someone to go with: I'll introduce you before the day.") if asked else
                           _("Nervous about walking in alone? Tap below and I'll introduce you to others who'd like "
                             "company."))
            await interaction.followup.send(text, view=go_together_view(event_id, asked=asked,
                                                                        user_id=interaction.user.id), ephemeral=True)
        else:
            await interaction.followup.send(text, ephemeral=True)


async def setup(bot: HearthBot) -> None:
    await bot.add_cog(EventsCog(bot))
