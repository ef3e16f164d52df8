"""Privacy domain: pseudonyms, scopes, where scheduled work belongs, scrubbing, the counted summary, the export."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import InvalidInput
from bot.domain.privacy import (
    Held,
    PrivacyErase,
    Scope,
    WorkPlace,
    as_members,
    is_pseudonym,
    pseudonym,
    scrub,
    work_place,
)
from bot.domain.privacy_export import MemberRecords, ScheduledItem, export_bytes, export_document, export_filename

SECRET = bytes(range(32))
NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
ALICE, BOB = 734_512_998_101_112_233, 845_623_009_212_223_344


@given(st.integers(min_value=1, max_value=2**63 - 1))
def test_a_pseudonym_is_a_negative_64_bit_number_and_stable(user_id: int) -> None:
    alias = pseudonym(SECRET, user_id)
    assert -(2**63) <= alias < 0 and is_pseudonym(alias)
    assert pseudonym(SECRET, user_id) == alias


def test_pseudonyms_depend_on_the_install_key_and_the_member() -> None:
    assert pseudonym(SECRET, ALICE) != pseudonym(SECRET, BOB)
    assert pseudonym(SECRET, ALICE) != pseudonym(b"another install", ALICE)
    assert not is_pseudonym(ALICE)


def test_pairs_read_a_pool_members_pseudonym_as_them() -> None:
    alias = pseudonym(SECRET, ALICE)
    pairs = {frozenset((BOB, alias)), frozenset((BOB, 7))}

    assert as_members(pairs, [ALICE, BOB], SECRET) == {frozenset((BOB, ALICE)), frozenset((BOB, 7))}
    assert as_members(pairs, [BOB], SECRET) == pairs  # she is not in this pool: nothing to read
    assert as_members(pairs, [ALICE], None) == pairs  # no key yet: nobody was ever deleted


def test_scope_this_server_needs_a_server() -> None:
    assert Scope.chosen("server", 5) == Scope(5) and not Scope(5).everywhere
    assert Scope.chosen("everywhere", 5).everywhere and Scope.chosen("everywhere", None).everywhere
    with pytest.raises(InvalidInput, match="In direct messages there is no “this server”"):
        Scope.chosen("server", None)
    with pytest.raises(InvalidInput):
        Scope.chosen("somewhere", 5)
    assert Scope.from_code(Scope(5).code) == Scope(5) and Scope.from_code(Scope().code) == Scope()
    assert Scope(5).covers(5) and not Scope(5).covers(6) and not Scope(5).covers(None) and Scope().covers(None)


@pytest.mark.parametrize(("kind", "payload", "place"), [
    ("event.reminder", {"event_id": 4, "user_id": 1}, WorkPlace(event_id=4)),
    ("event.feedback.ask", {"event_id": 4, "user_id": 1}, WorkPlace(event_id=4)),
    ("event.companions.note", {"event_id": 4, "user_id": 1, "what": "alone"}, WorkPlace(event_id=4)),
    ("nudge.buddy", {"group_id": 9, "user_id": 1}, WorkPlace(group_id=9)),
    ("nudge.digest", {"user_id": 1, "week": "2026-W14"}, WorkPlace(follows="nudges")),
    ("nudge.check", {"user_id": 1}, WorkPlace(follows="nudges")),
    ("checkin.prompt", {"user_id": 1}, WorkPlace(follows="reminder")),
    ("privacy.erase", {"guild_id": 3, "user_id": 1}, WorkPlace(guild_id=3)),
    ("buddy.dm", {"occasion": "met:9", "user_id": 1, "met_group_id": 9}, WorkPlace(group_id=9)),
    ("buddy.dm", {"occasion": "pause:2", "user_id": 1, "pause_guild_id": 3}, WorkPlace(guild_id=3)),
    ("buddy.dm", {"occasion": "intro:9", "user_id": 1}, WorkPlace(group_id=9)),
    ("buddy.dm", {"occasion": "left:9", "user_id": 1}, WorkPlace(group_id=9)),
    ("buddy.dm", {"occasion": "unmatched:buddy-round:3:20260401T1200", "user_id": 1}, WorkPlace(guild_id=3)),
    ("buddy.dm", {"occasion": "pause:2", "user_id": 1}, WorkPlace(round_id=2)),
    ("buddy.dm", {"user_id": 1, "view": {"skip": [3, "20260401T1200"]}}, WorkPlace(guild_id=3)),
    ("dm.notice", {"occasion": "event-cancelled:4", "user_id": 1}, WorkPlace(event_id=4)),
    ("dm.notice", {"occasion": "event-promoted:4:1700000000", "user_id": 1}, WorkPlace(event_id=4)),
    ("dm.notice", {"user_id": 1, "text": "old"}, WorkPlace()),
    ("something.new", {"user_id": 1}, WorkPlace()),
])
def test_where_a_members_scheduled_row_belongs(kind: str, payload: dict[str, object], place: WorkPlace) -> None:
    assert work_place(kind, payload) == place
    assert place.member_level == (place == WorkPlace())


def test_scrub_removes_a_member_from_someone_elses_payload() -> None:
    payload = {"occasion": "intro:9", "user_id": BOB, "text": f"Meet Al (<@{ALICE}>) and <@!{ALICE}>", "n": ALICE}

    pending = scrub(payload, ALICE, finished=False)
    sent = scrub(payload, ALICE, finished=True)

    assert pending == {"occasion": "intro:9", "user_id": BOB, "text": "Meet Al (another member) and another member",
                       "n": None}
    assert sent["text"] == "" and sent["user_id"] == BOB
    assert scrub({"flag": True, "list": [1, "x"]}, ALICE, finished=True) == {"flag": True, "list": [1, "x"]}


def test_held_lines_only_say_what_there_is() -> None:
    held = Held(checkins=3, notes=1, buddy_profiles=1, scheduled=2, settings=1)

    assert held.lines() == ["3 check-ins, 1 with a note", "1 buddy profile",
                            "2 scheduled messages and reminders",
                            "your settings (time zone, quiet hours, DMs, privacy-notice answer)"]
    assert Held().empty and Held(organised=2).empty and not held.empty
    assert Held(checkins=2).beyond(Held(checkins=1)) and not Held(checkins=1, settings=1).beyond(Held(checkins=1))


def test_the_erase_row_key_names_when_they_left() -> None:
    first = PrivacyErase(3, ALICE, NOW)
    again = PrivacyErase(3, ALICE, datetime(2026, 5, 1, tzinfo=UTC), left_pool=True)

    assert first.key() != again.key() and first.key().startswith("privacy.erase:3:")
    assert PrivacyErase.decode(again.encode()) == again


def test_export_document_is_json_with_string_ids_and_utc_times() -> None:
    records = MemberRecords(
        checkins=[{"id": 1, "guild_id": 3, "mood": 2, "note": "hi", "local_date": date(2026, 4, 1),
                   "source": "command", "created_at": NOW}],
        buddy_blocks=[{"guild_id": 3, "blocked_id": BOB, "created_at": NOW},
                      {"guild_id": 3, "blocked_id": pseudonym(SECRET, BOB), "created_at": NOW}],
        buddy_groups=[{"guild_id": 3, "started_at": NOW, "ends_at": NOW, "size": 3, "reasons": {"interests": []},
                       "delivered": "thread", "answer": None, "answered_at": None}],
        scheduled=(ScheduledItem("checkin.prompt", NOW, None),))

    document = json.loads(export_bytes(export_document(records, ALICE, NOW)))

    assert (document["format"], document["version"], document["member_id"]) == ("hearth-export", 1, str(ALICE))
    assert document["generated_at"] == "2026-04-01T12:00:00Z"
    sections = document["sections"]
    assert sections["checkins"] == [{"id": 1, "server_id": "3", "mood": 2, "mood_word": "low", "note": "hi",
                                     "local_date": "2026-04-01", "source": "command",
                                     "created_at": "2026-04-01T12:00:00Z"}]
    assert [row["blocked_member_id"] for row in sections["buddy_blocks"]] == [str(BOB), None]
    assert sections["buddy_rounds"][0]["with"] == ["another member", "another member"]
    assert sections["scheduled"] == [{"what": "a check-in prompt", "kind": "checkin.prompt",
                                      "due_at": "2026-04-01T12:00:00Z", "server_id": None}]
    assert sections["settings"] is None and sections["nudges"] == {"choices": None, "sent": []}
    assert export_filename(NOW) == "hearth-export-2026-04-01.json"
