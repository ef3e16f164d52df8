"""Services: decide what happens, using domain rules and the store. No Discord objects in or out.

`Services` is built once per process by the Bot (the composition root) and passed to every cog; services
that need each other get each other here, never by building their own copy.
"""

from __future__ import annotations

from bot.clock import Clock
from bot.domain.helplines import Helplines
from bot.services.ages import AgeService
from bot.services.buddies import BuddyService
from bot.services.buddy_rounds import BuddyRoundService
from bot.services.checkin_reminders import ReminderService
from bot.services.checkins import CheckinService
from bot.services.consent import ConsentService
from bot.services.event_attendance import AttendanceService
from bot.services.event_companions import CompanionService
from bot.services.event_feedback import FeedbackService
from bot.services.event_reminders import EventReminderService
from bot.services.event_series import SeriesService
from bot.services.events import EventService
from bot.services.guilds import GuildSetupService
from bot.services.languages import LanguageService
from bot.services.meetings import MeetingService
from bot.services.members import MemberSettingsService
from bot.services.notices import NoticeService
from bot.services.nudge_meetups import MeetupNudgeService
from bot.services.nudges import NudgeService
from bot.services.privacy import PrivacyService
from bot.services.pulse import PulseService
from bot.services.safety import SafetyService
from bot.store import Store


class Services:
    """Every use case the cogs can call, wired once."""

    def __init__(self, store: Store, clock: Clock, helplines: Helplines) -> None:
        self.members = MemberSettingsService(store, clock)
        self.languages = LanguageService(store, clock)
        self.consent = ConsentService(store, clock)
        self.ages = AgeService(store, clock)
        self.notices = NoticeService(store, clock)
        self.nudges = NudgeService(store, clock)
        self.meetup_nudges = MeetupNudgeService(store, clock, nudges=self.nudges)
        self.pulse = PulseService(store, clock)
        self.buddies = BuddyService(store, clock)
        self.meetings = MeetingService(store, clock)
        self.rounds = BuddyRoundService(store, clock, meetup_nudges=self.meetup_nudges)
        self.guilds = GuildSetupService(store, clock, meetup_nudges=self.meetup_nudges, rounds=self.rounds)
        self.checkins = CheckinService(store, clock, helplines, buddies=self.buddies)
        self.reminders = ReminderService(store, clock, self.members)
        self.safety = SafetyService(store, clock, helplines)
        self.events = EventService(
            store, clock, notices=self.notices, reminders=EventReminderService(store, clock),
            series=SeriesService(store, clock), companions=CompanionService(store, clock),
            feedback=FeedbackService(store, clock), safety=self.safety)
        self.attendance = AttendanceService(store, clock)
        self.privacy = PrivacyService(store, clock, events=self.events, notices=self.notices,
                                      languages=self.languages)
