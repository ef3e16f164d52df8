from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from re import _constants as sre_constants  # the parser behind `re` (Python 3.11+), to inspect the rules
from re import _parser as sre_parser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.crisis import (
    _CLAUSE_BREAK,
    _SQUEEZE_TEXT,
    _TOKEN,
    CrisisCategory,
    CrisisSignal,
    detect_crisis,
    find_crisis_signals,
)
from bot.domain.crisis_rules import RULES

CORPUS = json.loads((Path(__file__).parents[1] / "data" / "crisis_corpus.json").read_text(encoding="utf-8"))
POSITIVES: list[tuple[str, CrisisCategory]] = [(e["text"], CrisisCategory(e["category"])) for e in CORPUS["positive"]]
NEGATIVES: list[str] = [e["text"] for e in CORPUS["negative"]]

# Everyday check-in words: none is a crisis word, a negator or a contraction.
_BENIGN_TEXT = (
    "coffee walk park friends met today tired happy sad work lunch rain sun film gig band phone train bus class "
    "exam essay dog cat mum mom dad sister club meetup buddy nice good bad okay bit low anxious stressed slept "
    "well badly really very and but the a with we my was is felt went saw had dinner quiet busy weekend morning "
    "night garden music colour color knitting football tea biscuits pizza cinema library lovely grey cosy "
    "proud lonely calm chatted laughed cooked cleaned"
)
BENIGN_WORDS = _BENIGN_TEXT.split()


def test_corpus_is_big_enough_and_covers_every_category():
    assert len(POSITIVES) >= 60
    assert len(NEGATIVES) >= 60
    assert {category for _, category in POSITIVES} == set(CrisisCategory)
    assert len({text for text, _ in POSITIVES}) == len(POSITIVES)
    assert len(set(NEGATIVES)) == len(NEGATIVES)


@pytest.mark.parametrize(("text", "category"), POSITIVES)
def test_every_positive_is_detected_with_its_category(text, category):
    signal = detect_crisis(text)
    assert signal is not None, text
    assert signal.category is category, (text, signal)


@pytest.mark.parametrize("text", NEGATIVES)
def test_no_negative_is_detected(text):
    assert detect_crisis(text) is None, find_crisis_signals(text)


@pytest.mark.parametrize("text", [
    "not suicidal",
    "I'm not suicidal",
    "Im not suicidal",
    "I am not suicidal",
    "I'm not going to kill myself",
    "im not gonna kill myself",
    "I never want to hurt myself",
    "no thoughts of self-harm",
    "no thoughts of self harm",
    "I don't want to die",
    "I dont want to die",
    "I do not want to die",
    "I wouldn't ever hurt myself",
    "I won't hurt myself",
    "he is not suicidal",
    "haven't self-harmed in a year",
    "no longer suicidal",
    "I have no intention of killing myself",
    "self harm urges: none",
])
def test_common_negations_do_not_trigger(text):
    assert detect_crisis(text) is None, find_crisis_signals(text)


@pytest.mark.parametrize(("text", "category"), [
    ("I can't stop thinking about killing myself", CrisisCategory.SUICIDAL_INTENT),
    ("I don't want to live anymore", CrisisCategory.SUICIDAL_INTENT),
    ("I don't want to be alive", CrisisCategory.SUICIDAL_INTENT),
    ("I'm not ok, I want to die", CrisisCategory.SUICIDAL_INTENT),
    ("I'm not suicidal but I want to hurt myself", CrisisCategory.SELF_HARM),
    ("no one would care if I killed myself", CrisisCategory.SUICIDAL_INTENT),
    ("I can't hurt myself again", CrisisCategory.SELF_HARM),
    ("never had suicidal thoughts until now", CrisisCategory.SUICIDAL_INTENT),
    ("I accidentally took too many pills", CrisisCategory.IMMEDIATE_DANGER),
])
def test_negation_does_not_hide_real_signals(text, category):
    signal = detect_crisis(text)
    assert signal is not None
    assert signal.category is category


@pytest.mark.parametrize("text", [
    "this traffic is killing me", "I could kill for a coffee", "dying to see the film", "my phone died",
    "killed it at the gig", "the skill is to die for", "diet", "studied", "skilled", "suicide squad",
    "killer quiz tonight", "painkillers", "overdue library books", "I'm dyeing my hair",
])
def test_idioms_and_substrings_do_not_trigger(text):
    assert detect_crisis(text) is None, find_crisis_signals(text)


@pytest.mark.parametrize("text", [
    "my friend said she wants to die",
    "my boyfriend keeps saying he's going to kill himself",
    "my sister is suicidal",
    "they told me they've been self harming",
])
def test_third_party_mentions_are_signals_by_design(text):
    assert detect_crisis(text) is not None


@pytest.mark.parametrize("text", ["I don’t want to live", "I don‘t want to live", "I dont want to live",
                                  "I DON'T WANT TO LIVE", "i do not want to live", "I don`t want to live"])
def test_apostrophe_variants(text):
    signal = detect_crisis(text)
    assert signal is not None
    assert signal.category is CrisisCategory.SUICIDAL_INTENT


def test_most_severe_category_wins_and_all_signals_are_listed():
    text = "I want to hurt myself. Honestly I want to die and I took too many pills"
    signal = detect_crisis(text)
    assert signal is not None
    assert signal.category is CrisisCategory.IMMEDIATE_DANGER
    assert signal.phrase == "took too many pills"
    categories = [s.category for s in find_crisis_signals(text)]
    assert categories == [CrisisCategory.SELF_HARM, CrisisCategory.SUICIDAL_INTENT, CrisisCategory.IMMEDIATE_DANGER]


def test_phrase_is_the_normalised_matched_text():
    signal = detect_crisis("Honestly?? I WANT TO DIIIE right now")
    assert signal == CrisisSignal(CrisisCategory.SUICIDAL_INTENT, "want to diiie", "want to die", 13, 26)


def test_empty_and_blank_notes():
    assert detect_crisis("") is None
    assert detect_crisis("   \n\t ") is None
    assert find_crisis_signals("...,,,!!!") == []


# Properties ------------------------------------------------------------------------------------------

positives = st.sampled_from(POSITIVES)


@given(positives, st.lists(st.booleans(), min_size=200, max_size=200))
def test_detection_is_case_insensitive(example, flips):
    text, category = example
    mixed = "".join(c.upper() if flip else c.lower() for c, flip in zip(text, flips, strict=False))
    mixed += text[len(flips):]
    signal = detect_crisis(mixed)
    assert signal is not None and signal.category is category


@given(positives, st.lists(st.sampled_from(BENIGN_WORDS), max_size=8),
       st.lists(st.sampled_from(BENIGN_WORDS), max_size=8))
def test_benign_words_around_a_positive_keep_it_detected(example, before, after):
    text, category = example
    padded = " ".join([*before, text]) + (". " + " ".join(after) if after else "")
    signal = detect_crisis(padded)
    assert signal is not None and signal.category is category, padded


@given(st.lists(st.sampled_from(BENIGN_WORDS), max_size=60), st.sampled_from([" ", ", ", ". ", "! ", "\n"]))
def test_benign_text_never_triggers(words, separator):
    assert detect_crisis(separator.join(words)) is None


@given(positives, st.data())
def test_stretched_letters_keep_the_category(example, data):
    text, category = example
    stretched = "".join(
        c * data.draw(st.integers(min_value=1, max_value=4)) if c.isascii() and c.isalpha() else c for c in text
    )
    signal = detect_crisis(stretched)
    assert signal is not None and signal.category is category


@pytest.mark.parametrize(("text", "category"), POSITIVES)
def test_curly_or_missing_apostrophes_keep_the_category(text, category):
    for variant in (text.replace("'", "’"), text.replace("'", "").replace("’", "")):
        signal = detect_crisis(variant)
        assert signal is not None and signal.category is category, variant


@given(st.text(max_size=2000))
def test_never_raises_on_arbitrary_unicode(text):
    signals = find_crisis_signals(text)
    assert all(isinstance(signal, CrisisSignal) for signal in signals)
    result = detect_crisis(text)
    assert result is None or result in signals


# Speed, without a stopwatch: the work a note costs is bounded by its length, and no rule can backtrack
# catastrophically. Both are properties of the code, so they hold (or fail) the same on any machine.

# Python-level steps (calls) per character of note; measured worst about 34 (a clause break every other
# character runs every rule on a one-word clause). Far above that means work that is no longer linear.
_CALLS_PER_CHARACTER = 60


def _calls(text: str) -> int:
    """Function calls (Python and C) made by `detect_crisis(text)`: deterministic for a given note."""
    count = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        detect_crisis(text)
    finally:
        sys.setprofile(None)
    return count


def _unbounded_repeats(tree: sre_parser.SubPattern | list, inside_unbounded: bool = False) -> list[bool]:
    """For each unbounded repeat (`*`, `+`, `{n,}`) in a parsed pattern: is it inside another one?"""
    found: list[bool] = []
    for op, av in tree:
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT):
            _low, high, body = av
            unbounded = high == sre_constants.MAXREPEAT
            if unbounded:
                found.append(inside_unbounded)
            found += _unbounded_repeats(body, inside_unbounded or unbounded)
        elif op == sre_constants.SUBPATTERN:
            found += _unbounded_repeats(av[-1], inside_unbounded)
        elif op == sre_constants.BRANCH:
            for branch in av[1]:
                found += _unbounded_repeats(branch, inside_unbounded)
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            found += _unbounded_repeats(av[1], inside_unbounded)
    return found


def test_no_rule_can_backtrack_catastrophically():
    """Nested unbounded repeats ((a+)+, (a|b)*c*…) are what makes a regex exponential. The rules use bounded
    repeats ({0,3}) and at most a lone ` *`; a rule that needs more must be written another way."""
    nested = [rule.name for rule in RULES if any(_unbounded_repeats(sre_parser.parse(rule.pattern.pattern)))]
    assert nested == []
    assert sum(len(_unbounded_repeats(sre_parser.parse(rule.pattern.pattern))) for rule in RULES) <= 3


def test_the_tokeniser_repeat_cannot_backtrack():
    r"""The one nested repeat, words with apostrophes ([^\W_]+(?:'[^\W_]+)*), is unambiguous: each repetition
    starts with an apostrophe, which the letters before it cannot match."""
    assert _unbounded_repeats(sre_parser.parse(_TOKEN.pattern)) == [False, False, True]
    assert _TOKEN.pattern == r"[^\W_]+(?:'[^\W_]+)*"
    assert re.fullmatch(r"[^\W_]", "'") is None
    for pattern in (_CLAUSE_BREAK, _SQUEEZE_TEXT):
        assert not any(_unbounded_repeats(sre_parser.parse(pattern.pattern)))


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz    ',.!?’"), min_size=500, max_size=500))
def test_work_on_a_500_character_note_is_bounded(text):
    assert _calls(text) <= _CALLS_PER_CHARACTER * len(text)


@pytest.mark.parametrize("unit", [
    "Went to the meetup but didn't talk much, I'm not suicidal just tired and I want to sleep, "
    "my buddy said hi and I never want to hurt myself again. ",
    "not ",  # the negation walk, everywhere
    "i'm not, ",  # a clause break every few characters: every rule on every clause
    "a,",
    "kiiiiiilll myyyyself ",
])
def test_work_grows_linearly_with_the_note(unit):
    def note(length: int) -> str:
        return (unit * (length // len(unit) + 1))[:length]

    small, double = _calls(note(500)), _calls(note(1000))
    assert small <= _CALLS_PER_CHARACTER * 500
    assert double <= 2.1 * small, (small, double)
