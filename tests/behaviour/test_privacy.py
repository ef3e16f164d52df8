"""/privacy export and /privacy delete: the member's own data, as a file by DM (or here when DMs are closed), and
deleted after a confirmation only they can press (even after a restart), with their scheduled messages cancelled.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from simcord import InteractionResult
from simcord import interactions as sim_interactions
from simcord.backend import serializers
from simcord.enums import InteractionType

from bot.demo.sim import simulated_bot
from bot.tree import CANNOT_DM
from bot.ui.components import NOT_YOURS
from cogs.privacy._delete import NOT_YOURS as OWNERS_ONLY
from tests.behaviour.buddies_world import join
from tests.behaviour.events_world import announcement_of, rsvp
from tests.behaviour.forge import forge_click
from tests.behaviour.privacy_world import alice_uses_hearth, open_work
from tests.behaviour.world import answer, component_id, consenting_server, expected_errors, message_text


@pytest.fixture
async def server(simcord_env):
    return await consenting_server(simcord_env)


# export ------------------------------------------------------------------------------------------------------
async def test_export_arrives_by_dm_with_everything_and_no_partner_ids(server, store):
    await alice_uses_hearth(server)
    await join(server.bob, server.general)
    await server.organiser.slash(server.general, "hearth buddies pair-now")

    result = await server.alice.slash(server.general, "privacy export")

    assert result.ephemeral and "sent your export to you by direct message" in answer(result).content
    dm = server.alice.user.dm_channel.last_message
    assert "everything Hearth holds about you" in dm.content
    (attachment,) = dm.attachments
    assert attachment.filename.startswith("hearth-export-") and attachment.filename.endswith(".json")
    document = json.loads(await attachment.read())
    assert (document["format"], document["version"]) == ("hearth-export", 1)
    sections = document["sections"]
    assert [c["note"] for c in sections["checkins"]] == ["Rough week, but I went for a walk."]
    assert sections["settings"]["timezone"] == "Europe/London"
    assert sections["settings"]["privacy_notice_version_agreed"] == 1
    assert sections["checkin_reminder"]["cadence"] == "daily"
    assert sections["buddy_profiles"][0]["server_id"] == str(server.guild.id)
    assert sections["buddy_rounds"][0]["with"] == ["another member"]
    assert sections["meetup_answers"][0]["status"] == "going"
    assert {"checkin.prompt", "event.reminder"} <= {row["kind"] for row in sections["scheduled"]}
    assert str(server.bob.id) not in json.dumps(document)


async def test_export_when_dms_are_closed_is_a_private_file_here(server, simcord_env):
    await server.alice.slash(server.general, "checkin", mood=4, note="Good day.")
    simcord_env.inject_error("POST", "/channels/*/messages", status=403, code=CANNOT_DM,
                             message="Cannot send messages to this user")

    result = await server.alice.slash(server.general, "privacy export")

    shown = answer(result)
    assert result.ephemeral and "couldn't send you a direct message" in shown.content
    (attachment,) = shown.attachments
    document = json.loads(await attachment.read())
    assert document["sections"]["checkins"][0]["note"] == "Good day."
    assert server.general.last_message is None


async def test_export_of_a_member_hearth_knows_nothing_about(server):
    result = await server.bob.slash(server.general, "privacy export")

    document = json.loads(await server.bob.user.dm_channel.last_message.attachments[0].read())
    assert "by direct message" in answer(result).content
    assert document["sections"]["checkins"] == [] and document["sections"]["buddy_profiles"] == []


# delete ------------------------------------------------------------------------------------------------------
async def test_delete_everywhere_shows_what_goes_and_deletes_on_confirm(server, store, simcord_env):
    await alice_uses_hearth(server)
    await server.bob.slash(server.general, "checkin", mood=3, note="Bob's own day")

    asked = await server.alice.slash(server.general, "privacy delete", scope="everywhere")

    shown = answer(asked)
    text = message_text(shown)
    assert asked.ephemeral and "Delete everything Hearth holds about you?" in text
    assert "1 check-in, 1 with a note" in text and "buddy profile" in text and "can't be undone" in text
    assert await store.checkins.count(server.alice.id) == 1  # nothing yet

    done = await server.alice.click(shown, custom_id=component_id(shown, "hearth:privacy:delete:"))

    assert "Done: everything Hearth held about you is deleted" in answer(done).content
    assert await store.checkins.count(server.alice.id) == 0
    assert await store.buddies.profile(server.guild.id, server.alice.id) is None
    assert await store.reminders.get(server.alice.id) is None
    assert (await store.members.get(server.alice.id)).consent_version is None
    assert await open_work(store, server.alice.id) == []
    assert await store.checkins.count(server.bob.id) == 1


async def test_pending_reminders_and_prompts_are_cancelled_and_never_sent(server, store, simcord_env):
    await alice_uses_hearth(server)
    assert {"checkin.prompt", "event.reminder"} <= set(await open_work(store, server.alice.id))
    sent_before = len(list(server.alice.user.dm_channel.history()))

    asked = await server.alice.slash(server.general, "privacy delete", scope="server")
    await server.alice.click(answer(asked), custom_id=component_id(answer(asked), "hearth:privacy:delete:"))
    await simcord_env.advance_time(timedelta(days=3).total_seconds())
    await simcord_env.bot.due_work.sweep()

    assert await open_work(store, server.alice.id) == []
    assert len(list(server.alice.user.dm_channel.history())) == sent_before
    assert (await store.members.get(server.alice.id)).timezone == "Europe/London"  # settings are in no server


async def test_a_forged_confirm_by_another_member_is_refused_and_changes_nothing(server, store, simcord_env):
    await server.alice.slash(server.general, "checkin", mood=3)
    await server.bob.slash(server.general, "checkin", mood=3)
    asked = answer(await server.alice.slash(server.general, "privacy delete", scope="everywhere"))

    # Bob can't see Alice's private message; a modified client sends the click anyway.
    forged = await forge_click(simcord_env, server.bob, asked, component_id(asked, "hearth:privacy:delete:"))
    cancel = await forge_click(simcord_env, server.bob, asked, component_id(asked, "hearth:privacy:keep:"))

    for refused in (forged, cancel):  # Hearth's owner check for every button, or the button's own
        assert refused.ephemeral and answer(refused).content in (NOT_YOURS, OWNERS_ONLY)
    assert await store.checkins.count(server.alice.id) == 1
    assert await store.checkins.count(server.bob.id) == 1
    assert (await store.members.get(server.alice.id)).consent_version == 1
    # Alice's own buttons still work.
    done = await server.alice.click(asked, custom_id=component_id(asked, "hearth:privacy:delete:"))
    assert "Done" in answer(done).content and await store.checkins.count(server.bob.id) == 1


async def test_a_confirm_naming_someone_else_on_ones_own_message_is_refused(server, store, simcord_env):
    """Bob's own message, its button rewritten to carry Alice's id (a client forging the message too): the
    button itself checks the owner in its custom_id."""
    await server.alice.slash(server.general, "checkin", mood=3)
    await server.bob.slash(server.general, "checkin", mood=3)
    bobs = answer(await server.bob.slash(server.general, "privacy delete", scope="everywhere"))
    alices = f"hearth:privacy:delete:{server.alice.id}:0"
    record, payload = sim_interactions.base_payload(
        simcord_env.backend, type=InteractionType.MESSAGE_COMPONENT, channel_id=bobs.channel_id,
        guild_id=server.guild.id, user_id=server.bob.id, data={"custom_id": alices, "component_type": 2})
    message = dict(serializers.message_payload(simcord_env.backend,
                                               simcord_env.backend.get_message(bobs.channel_id, bobs.id)))
    message["components"] = [{**row, "components": [{**button, "custom_id": alices}
                                                     for button in row["components"]][:1]}
                             for row in message["components"]]
    payload["message"] = message
    record.source_message_id = bobs.id
    simcord_env.backend.emit("INTERACTION_CREATE", payload)
    await simcord_env.settle()

    refused = InteractionResult(simcord_env, record)
    assert refused.ephemeral and answer(refused).content == OWNERS_ONLY
    assert await store.checkins.count(server.alice.id) == 1 and await store.checkins.count(server.bob.id) == 1


async def test_the_confirm_works_after_a_restart(server, store, settings, simcord_env):
    await server.alice.slash(server.general, "checkin", mood=3)
    asked = answer(await server.alice.slash(server.general, "privacy delete", scope="server"))

    await simcord_env.restart_bot(simulated_bot(store, settings))
    done = await server.alice.click(asked, custom_id=component_id(asked, "hearth:privacy:delete:"))

    assert "Done: what Hearth held about you in this server is deleted" in answer(done).content
    assert await store.checkins.count(server.alice.id) == 0


async def test_cancel_keeps_everything(server, store):
    await server.alice.slash(server.general, "checkin", mood=3)
    asked = answer(await server.alice.slash(server.general, "privacy delete", scope="everywhere"))

    kept = await server.alice.click(asked, custom_id=component_id(asked, "hearth:privacy:keep:"))

    assert "Nothing was deleted" in answer(kept).content
    assert await store.checkins.count(server.alice.id) == 1


async def test_nothing_to_delete_is_said_plainly(server):
    asked = await server.bob.slash(server.general, "privacy delete", scope="server")

    assert "Hearth holds nothing about you in this server" in answer(asked).content
    assert not answer(asked).components


async def test_in_direct_messages_only_everywhere_works(server, store):
    await server.alice.slash(server.general, "checkin", mood=3)

    here = await server.alice.user.slash("privacy delete", scope="server")
    everywhere = await server.alice.user.slash("privacy delete", scope="everywhere")

    assert "In direct messages there is no “this server”" in answer(here).content
    assert "Delete everything Hearth holds about you?" in answer(everywhere).embeds[0].title
    assert expected_errors(server.env) == ["InvalidInput"]


async def test_after_deleting_everything_hearth_asks_for_consent_again(server, store):
    await server.alice.slash(server.general, "checkin", mood=4, note="Before")
    asked = await server.alice.slash(server.general, "privacy delete", scope="everywhere")
    await server.alice.click(answer(asked), custom_id=component_id(answer(asked), "hearth:privacy:delete:"))

    again = await server.alice.slash(server.general, "checkin", mood=3, note="After")

    assert "Before Hearth keeps anything about you" in message_text(answer(again))
    assert await store.checkins.count(server.alice.id) == 0


async def test_the_announcement_stops_counting_a_deleted_members_answer(server, store, simcord_env):
    event_id = await alice_uses_hearth(server)
    await rsvp(server.bob, server, event_id)

    def going() -> str:
        fields = announcement_of(server, event_id).embeds[0].fields
        return next(field.value for field in fields if field.name == "Going")

    assert going().startswith("2")
    asked = await server.alice.slash(server.general, "privacy delete", scope="server")
    await server.alice.click(answer(asked), custom_id=component_id(answer(asked), "hearth:privacy:delete:"))
    await simcord_env.settle()

    assert going().startswith("1")
    assert (await store.events.rsvps(event_id))["going"] == [server.bob.id]
