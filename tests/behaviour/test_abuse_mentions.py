"""Nothing anyone types makes Hearth ping, and nothing in it can pass for a link, header or ping to others.

Every text field a member or organiser can fill (every string option of every command, read from what Hearth
syncs, and the forms: a check-in's note, the buddy form's area and interests) gets `@everyone`, `@here`, a
role mention and a user mention. Then every message Hearth sent (channel posts, DMs, private answers,
thread messages, follow-ups, edits) is read off the wire as SimCord recorded it: each carries an explicit
`allowed_mentions` (without one, Discord would let everything in the content ping), and it lets nobody be
pinged except the members Hearth deliberately addresses (the buddies an intro is for).

Where another member sees the text (announcements, reminders and notices, intros, the support channel,
the server's support resources on a hard day), a masked link shows its address, and a header, a subtext
line or a ping shows as typed (bot/domain/text.py `plain`).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import discord
import pytest

from tests.behaviour.buddies_world import configure, join, threads_of
from tests.behaviour.commands_world import STRING, leaves, plausible, required_options
from tests.behaviour.events_world import create, dms, rsvp, run_until, setup_events
from tests.behaviour.world import answer, consenting_server, custom_ids, message_text, newcomer

LINK = "[prize](https://evil.example/p)"
SHORT_LINK = "[prize](https://evil.ex)"  # fits an interest (30 characters)
MESSAGE_PATH = re.compile(r"^/channels/\d+/messages(/\d+)?$|^/webhooks/\d+/[^/]+(/messages/[^/]+)?$"
                          r"|^/interactions/\d+/[^/]+/callback$")


@pytest.fixture
async def server(simcord_env):
    built = await consenting_server(simcord_env)
    built.victim = await newcomer(built, "carol")  # type: ignore[attr-defined]  # never addressed by anything
    built.moderators = built.guild.create_role(  # type: ignore[attr-defined]
        "Moderators", permissions=discord.Permissions.none(), mentionable=True)
    support = built.guild.create_text_channel("moderators")
    built.support = support  # type: ignore[attr-defined]
    return built


def evil(server: Any, limit: int | None = None) -> str:
    """One line an attacker types: a header, every kind of ping, and a masked link."""
    text = f"# URGENT @everyone <@&{server.moderators.id}> <@{server.victim.id}> {LINK} @here"
    return text[:limit] if limit else text


# --- what went over the wire --------------------------------------------------------------------------------

def message_bodies(env: Any) -> list[tuple[str, dict[str, Any]]]:
    """Every message Hearth created or edited: channel posts and DMs, interaction answers (first responses,
    updates, follow-ups, edits of the original)."""
    found = []
    for request in env.http_requests:
        if request.method not in ("POST", "PATCH") or not MESSAGE_PATH.match(request.path):
            continue
        body = request.json or {}
        if request.path.endswith("/callback"):
            if body.get("type") not in (4, 7):  # 4 a message, 7 an update; 5, 6 defer, 8 choices, 9 a form
                continue
            body = body.get("data") or {}
        found.append((f"{request.method} {request.path}", body))
    return found


def assert_nobody_pinged(env: Any, server: Any, *, addressed: set[int] = frozenset()) -> None:  # type: ignore[assignment]
    bodies = message_bodies(env)
    assert bodies
    for where, body in bodies:
        policy = body.get("allowed_mentions")
        assert policy is not None, f"{where} relies on Discord's default, which pings everything: {body}"
        parse = set(policy.get("parse", []))
        assert not parse & {"everyone", "roles", "users"}, f"{where} lets user text ping: {policy}"
        assert not policy.get("roles"), f"{where} may ping roles: {policy}"
        allowed = {int(user) for user in policy.get("users", [])}
        assert allowed <= addressed and server.victim.id not in allowed, f"{where} may ping {allowed}: {policy}"


def disguises(text: str) -> list[str]:
    """What in `text` passes for something it isn't, in Discord's markdown."""
    found = []
    if re.search(r"(?<!\\)\[prize\]\(https://evil", text, re.IGNORECASE):
        found.append("a masked link")
    if re.search(r"^\s*#+ URGENT", text, re.IGNORECASE | re.MULTILINE):
        found.append("a header")
    if re.search(r"(?m)^\s*-# ", text):
        found.append("subtext")
    if "@everyone" in text or "@here" in text:  # case matters to Discord: "@Everyone" is plain text
        found.append("what looks like a ping")
    found += [f"a mention of {mention}" for mention in re.findall(r"<@[!&]?\d+>", text)]
    return found


def assert_shown_as_typed(message: Any, *, allowed_mentions: set[int] = frozenset()) -> None:  # type: ignore[assignment]
    text = message_text(message)
    for mention in allowed_mentions:  # the members Hearth itself addresses
        text = text.replace(f"<@{mention}>", "")
    problems = disguises(text)
    assert not problems, f"{problems} in what others see: {text!r}"


# --- every string option of every command --------------------------------------------------------------------

async def test_every_string_option_of_every_command_pings_nobody(server, simcord_env, store):
    await setup_events(server)
    await create(server)
    event_id = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0].id
    tried = []
    for leaf in leaves(simcord_env.bot):
        texts = [o for o in leaf.options if o["type"] == STRING and not o.get("choices")]
        actor = server.organiser if leaf.for_organisers else server.alice
        for option in texts:
            options = required_options(server, leaf, event_id=event_id)
            options[option["name"]] = evil(server, option.get("max_length"))
            await actor.slash(server.general, leaf.name, **options)
            await simcord_env.advance_time(120)  # past cooldowns
            tried.append(f"/{leaf.name} {option['name']}")

    assert len(tried) >= 20, tried
    assert_nobody_pinged(simcord_env, server)
    simcord_env.errors  # noqa: B018 (most of these were refused as bad input; that is the point)


# --- meetups: what members see of an organiser's words -----------------------------------------------------------

async def test_a_meetup_in_an_organisers_words_reaches_members_as_typed(server, simcord_env, store):
    await setup_events(server)
    await server.bob.slash(server.general, "settings timezone", zone="Europe/London")
    line = evil(server, 100)
    _shown, posted = await create(server, title=line, venue=f"-# tiny {LINK} @everyone", area=f"@everyone {LINK}",
                                  description=evil(server), start="2026-01-10 10:30")
    assert answer(posted).content.startswith("Posted in"), answer(posted).content
    event = (await store.events.upcoming(server.guild.id, simcord_env.now()))[0]
    assert event.title == line  # stored exactly as typed; only shown escaped
    await rsvp(server.bob, server, event.id)
    listed = await server.bob.slash(server.general, "event list")
    await run_until(simcord_env, event.start_at - timedelta(hours=1))  # the reminders
    await server.organiser.slash(server.general, "event-admin edit", event=event.id, venue=f"{LINK} again")
    await server.organiser.slash(server.general, "event-admin cancel", event=event.id)
    await simcord_env.advance_time(120)
    await simcord_env.bot.due_work.sweep()  # the cancellation notice

    seen = [*(m for m in server.events.history() if m.embeds), *dms(server.bob), listed.response]
    assert len(dms(server.bob)) >= 2, [m.content for m in dms(server.bob)]
    for message in seen:
        assert_shown_as_typed(message)
    assert_nobody_pinged(simcord_env, server)


# --- buddies: areas and interests in an intro, a report to moderators --------------------------------------------

async def test_buddy_intros_show_areas_and_interests_as_typed_and_ping_only_the_buddies(server, simcord_env):
    interests = f"@everyone, <@&{server.moderators.id}>, <@{server.victim.id}>, {SHORT_LINK}"
    await configure(server, interests=interests)
    area = f"@everyone {LINK}"
    for member in (server.alice, server.bob):
        form = await member.slash(server.general, "buddy join")
        picked = [o["value"] for row in form.response.components for c in row["components"]
                  for o in c.get("options", []) if "interests" in c.get("custom_id", "")]
        saved = await join(member, server.general, area=area, preference="in_person", interests=picked,
                           tags=f"@here, <@{server.victim.id}>, # urgent, {SHORT_LINK}")
        assert "You're in the buddy pool" in answer(saved).content, answer(saved).content

    await server.organiser.slash(server.general, "hearth buddies pair-now")

    thread = threads_of(server.buddies)[0]
    intro = thread.history()[0]
    assert "prize" in intro.content.lower() and "everyone" in intro.content.lower()  # what they typed is there
    assert_shown_as_typed(intro, allowed_mentions={server.alice.id, server.bob.id})
    assert_nobody_pinged(simcord_env, server, addressed={server.alice.id, server.bob.id})


async def test_a_report_reaches_moderators_as_typed_and_pings_nobody(server, simcord_env):
    await server.organiser.slash(server.general, "hearth checkins", support_channel=server.support)

    reported = await server.alice.slash(server.general, "buddy report", member=server.bob, what=evil(server))

    assert "The moderators have your report" in answer(reported).content
    posted = server.support.last_message
    assert "prize" in posted.content
    assert_shown_as_typed(posted, allowed_mentions={server.alice.id, server.bob.id})  # who, by design
    assert_nobody_pinged(simcord_env, server)


# --- check-ins: the server's support resources on a hard day, the member's own note ------------------------------

async def test_support_resources_reach_a_member_on_a_hard_day_as_typed(server, simcord_env):
    await server.organiser.slash(server.general, "hearth checkins", resources=evil(server),
                                 link="https://evil.example/(x)[y]", support_channel=server.support)

    own = f"my own words {LINK} @everyone"  # Bob's note, shown back to Bob alone: it may stay as he typed it
    low = await server.bob.slash(server.general, "checkin", mood=1, note=own)
    crisis = await server.bob.slash(server.general, "checkin", mood=1, note="I want to end my life")
    reach = next(i for i in custom_ids(crisis.response) if i.startswith("hearth:ci:reach"))
    await server.bob.click(crisis.response, custom_id=reach)

    for result in (low, crisis):
        text = message_text(result.response)
        assert "prize" in text
        shown = text.replace(own, "")
        assert not disguises(shown), (disguises(shown), shown)
    assert_shown_as_typed(server.support.last_message, allowed_mentions={server.bob.id})
    assert_nobody_pinged(simcord_env, server)


async def test_the_note_form_and_the_buddy_form_ping_nobody(server, simcord_env):
    checked = await server.alice.slash(server.general, "checkin", mood=4)
    note = next(i for i in custom_ids(checked.response) if i.startswith("hearth:ci:note"))
    form = await server.alice.click(checked.response, custom_id=note)
    await server.alice.submit_modal(form, {"note": f"{evil(server)}\n-# tiny\n# URGENT"})
    picker = await server.alice.slash(server.general, "checkin")
    note = next(i for i in custom_ids(picker.response) if "note" in i)
    form = await server.alice.click(picker.response, custom_id=note)
    await server.alice.submit_modal(form, {"note": evil(server)})

    assert_nobody_pinged(simcord_env, server)


def test_every_option_kind_has_a_plausible_value(server):
    for leaf in leaves(server.env.bot):
        for option in leaf.options:
            plausible(server, option)


async def test_a_join_link_made_of_markdown_is_shown_as_an_address_and_still_posts(server, simcord_env, store):
    await setup_events(server)
    link = "https://meet.example/" + "[x](y) " * 68  # 497 characters, every one of them trouble

    _shown, posted = await create(server, mode="online", venue=None, area=None, link=link)

    assert answer(posted).content.startswith("Posted in"), answer(posted).content
    where = next(f.value for f in server.events.last_message.embeds[0].fields if f.name == "Where")
    assert where.startswith("Online: https://meet.example/%5Bx%5D%28y%29%20") and len(where) <= 1024
    assert (await store.events.upcoming(server.guild.id, simcord_env.now()))[0].link == link.strip()


async def test_ten_meetups_with_the_longest_trickiest_words_still_list(server, simcord_env):
    await setup_events(server)
    for day in range(10):
        await create(server, title="*_" * 50, venue="*" * 200, area="@everyone " * 5,
                     start=f"2026-01-{day + 10:02d} 10:30")
        await simcord_env.advance_time(60)  # past the organiser's cooldown

    listed = await server.bob.slash(server.general, "event list")

    assert listed.response.embeds and 1 <= len(listed.response.embeds[0].fields) <= 10
    assert len(listed.response.embeds[0]) <= 6000


async def test_the_longest_report_of_markdown_still_reaches_moderators(server, simcord_env):
    await server.organiser.slash(server.general, "hearth checkins", support_channel=server.support)

    reported = await server.alice.slash(server.general, "buddy report", member=server.bob, what="*" * 1000)

    assert "The moderators have your report" in answer(reported).content
    assert server.support.last_message.content.startswith("📣 Buddy report from")
    assert len(server.support.last_message.content) <= 2000
    assert simcord_env.errors == []
