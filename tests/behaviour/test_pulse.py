"""/hearth pulse, and an organiser trying to single a member out with it.

The figures are for complete weeks (Monday to Monday, UTC) and only where five or more different members
took part; a period is the sum of such weeks. A week, once shown, stays as shown, so a member deleting their
data later cannot be read off by comparing. SimCord's clock starts on Thursday 1 January 2026.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import simcord

from bot.domain.pulse import NOT_ENOUGH, Cell, period_weeks
from tests.behaviour.events_world import create, rsvp, setup_events
from tests.behaviour.world import (
    Server,
    answer,
    build_server,
    component_id,
    consented,
    expected_errors,
    message_text,
)

MONDAY = datetime(2026, 1, 5, tzinfo=UTC)  # the first complete week SimCord can have


@pytest.fixture
def server(simcord_env: Any) -> Server:
    return build_server(simcord_env)


async def _members(server: Server, *names: str) -> list[Any]:
    # Names no sentence contains by chance ("eve" is in "never"), so finding one would mean a leak.
    members = [server.guild.add_member(server.env.create_user(f"zq_{name}")) for name in names]
    await consented(server.env.bot, *members)
    return members


async def _week(server: Server, monday: datetime) -> None:
    """Move to ten in the morning of that week's Monday (UTC)."""
    moment = monday + timedelta(hours=10)
    await server.env.advance_time((moment - server.env.now()).total_seconds())


async def _pulse(server: Server, weeks: int = 4) -> tuple[str, Any]:
    result = await server.organiser.slash(server.general, "hearth pulse", weeks=weeks)
    assert result.ephemeral
    shown = answer(result)
    return message_text(shown), shown


def _field(text: str, name: str) -> str:
    """The lines of one embed field (as `message_text` renders them: "name: value")."""
    return text.split(f"{name}: ", 1)[1].split("\n\n")[0]


def _nobody_named(text: str, members: list[Any]) -> None:
    for member in members:
        assert member.user.name not in text and str(member.id) not in text
    assert "<@" not in text


async def test_four_members_are_not_enough_and_a_fifth_makes_the_week_count(server: Server) -> None:
    people = await _members(server, "ann", "ben", "cat", "dev", "eve")
    for member in people[:4]:
        await member.slash(server.general, "checkin", mood=4)  # in the week of 29 December

    await _week(server, MONDAY)
    text, shown = await _pulse(server)
    assert NOT_ENOUGH in text.lower()
    assert shown.attachments == []  # no chart when there is nothing to draw

    for member in people:  # five members, this week: not counted until the week is over
        await member.slash(server.general, "checkin", mood=4)
    text, _ = await _pulse(server)
    assert "Check-ins: Not enough members to show this without identifying anyone" in text

    await _week(server, MONDAY + timedelta(weeks=1))
    text, shown = await _pulse(server)
    assert _field(text, "Check-ins").startswith("5 check-ins (1 of 4 weeks)")
    assert "about 5 members a week" in text  # the four of the week before are left out entirely
    assert [attachment.filename for attachment in shown.attachments] == ["pulse.png"]
    assert (await shown.attachments[0].read()).startswith(b"\x89PNG")
    _nobody_named(text, people)


async def test_comparing_4_and_12_weeks_reveals_nothing_about_a_member_seen_only_in_weeks_5_to_12(
        server: Server) -> None:
    regulars = await _members(server, "ann", "ben", "cat", "dev", "eve")
    (fay,) = await _members(server, "fay")  # the member an organiser wants to learn about
    weeks = [MONDAY + timedelta(weeks=k) for k in range(12)]  # 5 January … 23 March
    for index, monday in enumerate(weeks):
        await _week(server, monday)
        if index < 8:  # weeks 12 to 5 before the pulse: three regulars, and Fay on a hard day
            for member in regulars[:3]:
                await member.slash(server.general, "checkin", mood=4)
            await fay.slash(server.general, "checkin", mood=1)
        else:  # the last four weeks: the five regulars
            for member in regulars:
                await member.slash(server.general, "checkin", mood=4)

    await _week(server, weeks[-1] + timedelta(weeks=1))
    short, _ = await _pulse(server, weeks=4)
    long, _ = await _pulse(server, weeks=12)

    def figures(text: str) -> list[str]:
        return [re.sub(r" \(\d+ of \d+ weeks\)", "", _field(text, name))
                for name in ("Check-ins", "Mood", "Buddy pairs (rounds that ended in these weeks)", "Meetups",
                             "Nudges")]

    assert figures(long) == figures(short)  # the eight extra weeks add nothing: each had four members
    assert _field(long, "Check-ins").startswith("20 check-ins (4 of 12 weeks)")
    assert "Hard days (awful or low): not enough members" in long  # Fay's hard days are nowhere
    _nobody_named(short + long, [*regulars, fay])


async def test_the_mood_spread_needs_five_members_in_each_band(server: Server) -> None:
    people = await _members(server, "ann", "ben", "cat", "dev", "eve")
    await consented(server.env.bot, server.alice)
    await _week(server, MONDAY)
    for member in people:
        for mood in (2, 3, 5):
            await member.slash(server.general, "checkin", mood=mood)
    await server.alice.slash(server.general, "checkin", mood=1)  # a sixth member, on a hard day

    await _week(server, MONDAY + timedelta(weeks=1))
    text, shown = await _pulse(server)
    mood = _field(text, "Mood")
    assert "Good days (good or great): 5 check-ins" in mood
    assert "Okay: 5 check-ins" in mood
    assert "Hard days (awful or low): 6 check-ins" in mood
    assert shown.attachments


async def test_a_narrow_group_inside_a_figure_is_hidden_and_there_are_no_filters(server: Server, simcord_env: Any,
                                                                                 store: Any) -> None:
    pulse = simcord_env.bot.tree.get_command("hearth").get_command("pulse")
    assert [parameter.name for parameter in pulse.parameters] == ["weeks"]  # no area or role to narrow it by

    people = await _members(server, "ann", "ben", "cat", "dev", "eve", "fay")
    await setup_events(server, timezone="UTC")
    await create(server, start="2026-01-07 18:00", area="Leeds")  # a Wednesday in the first complete week
    event = (await store.events.upcoming(server.guild.id, simcord_env.now()))[-1]
    await _week(server, MONDAY)
    for member in people:
        await member.slash(server.general, "checkin", mood=4)
    for member in people[:4]:  # four of them go to the Leeds meetup
        await rsvp(member, server, event.id)

    await _week(server, MONDAY + timedelta(weeks=1))
    text, _ = await _pulse(server)
    assert _field(text, "Check-ins").startswith("6 check-ins")
    assert "1 meetup held. Going: not enough members to show this without identifying anyone." in text
    _nobody_named(text, people)


async def test_a_member_cannot_run_it(server: Server, simcord_env: Any) -> None:
    assert "hearth pulse" not in server.alice.available_commands(server.general)
    with pytest.raises(simcord.SetupError):
        await server.alice.slash(server.general, "hearth pulse")

    # Let a role without Manage Server see /hearth (a server's Integrations settings): still refused.
    helpers = server.guild.create_role("Helpers")
    helper = server.guild.add_member(simcord_env.create_user("hal"), roles=[helpers])
    hearth = next(c for c in await simcord_env.bot.tree.fetch_commands() if c.name == "hearth")
    server.guild.set_command_permissions(hearth, {helpers: True})
    result = await helper.slash(server.general, "hearth pulse")
    assert result.ephemeral
    assert result.response.content == "Only members with **Manage Server** can use this command."
    assert result.response.attachments == []
    assert expected_errors(simcord_env) == ["MissingPermissions"]


async def _delete_everything(server: Server, member: Any) -> None:
    """The member runs /privacy delete scope:everywhere and confirms."""
    asked = answer(await member.slash(server.general, "privacy delete", scope="everywhere"))
    done = await member.click(asked, custom_id=component_id(asked, "hearth:privacy:delete:"))
    assert "Done: everything Hearth held about you is deleted" in answer(done).content


async def test_a_week_once_shown_stays_the_same_after_a_member_deletes_their_data(server: Server,
                                                                                  store: Any) -> None:
    people = await _members(server, "ann", "ben", "cat", "dev", "eve", "fay")
    fay = people[-1]  # the organiser knows Fay is about to delete her data
    await _week(server, MONDAY)
    for member in people:
        await member.slash(server.general, "checkin", mood=4)
    await fay.slash(server.general, "checkin", mood=4)

    await _week(server, MONDAY + timedelta(weeks=1))
    before, _ = await _pulse(server)
    assert _field(before, "Check-ins").startswith("7 check-ins (1 of 4 weeks); about 6 members a week")
    assert "Once shown, a week's figures stay as they were" in before

    await _delete_everything(server, fay)
    assert await store.checkins.count(fay.id) == 0
    period = period_weeks(server.env.now(), 4)
    assert (await store.pulse.checkins(server.guild.id, period))[3] == Cell(5, 5)  # counting again would show her

    after, _ = await _pulse(server)
    assert after == before  # every figure of that week as first shown: nothing to subtract
    _nobody_named(after, people)


async def test_a_week_first_shown_after_a_deletion_counts_what_is_left(server: Server) -> None:
    people = await _members(server, "ann", "ben", "cat", "dev", "eve", "fay")
    fay = people[-1]
    await _week(server, MONDAY)
    for member in people:
        await member.slash(server.general, "checkin", mood=4)
    await fay.slash(server.general, "checkin", mood=4)

    await _week(server, MONDAY + timedelta(weeks=1))
    await _delete_everything(server, fay)  # before anyone looked at that week: there is no "before" to compare

    text, _ = await _pulse(server)
    assert _field(text, "Check-ins").startswith("5 check-ins (1 of 4 weeks); about 5 members a week")
