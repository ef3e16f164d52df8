"""Who counts as having agreed to the privacy notice, and as old enough for a server's minimum age."""

from __future__ import annotations

from bot.domain.ages import AgeRequired, age_confirmed
from bot.domain.consent import NOTICE_VERSION, Consent, ConsentRequired


def test_only_the_current_notice_version_counts() -> None:
    assert not Consent(None).current
    assert not Consent(NOTICE_VERSION - 1).current
    assert Consent(NOTICE_VERSION).current


def test_an_age_statement_counts_for_that_age_and_below() -> None:
    assert age_confirmed(None, None)  # no minimum age: nothing to state
    assert not age_confirmed(18, None)
    assert not age_confirmed(18, 16)
    assert age_confirmed(18, 18) and age_confirmed(16, 18)


def test_the_errors_are_sentences_for_a_person() -> None:
    assert "`/privacy notice`" in ConsentRequired(1).message
    refused = AgeRequired(2, 1, 18)
    assert "18 or older" in refused.message and (refused.guild_id, refused.user_id, refused.min_age) == (2, 1, 18)
