"""Crisis phrase detection for check-in notes.

`detect_crisis(text)` looks for phrases that suggest a member may be thinking about suicide, hurting
themselves, or in immediate danger, so the check-in answer can gently show crisis resources. It is a
curated phrase list, not a classifier: it errs on the side of showing resources, because the answer
is private (ephemeral) and kind, and a missed signal costs far more than an unneeded helpline.

How a note is read:

1. Unicode NFKC and case folding; curly apostrophes and backticks become straight ones.
2. The note is cut into clauses at . ! ? ; , and line breaks. Phrases never span clauses, and
   negation never reaches across one ("I'm not ok, I want to die" is a signal).
3. Each clause becomes a list of word tokens (whole words only, never substrings: "diet" is not
   "die", "skill" is not "kill"). Runs of a repeated letter are squeezed to one letter in both the
   note and the phrase list, so "diieee", "KILLLL" and "kil" read as "die" and "kill". Common
   contractions are expanded with or without the apostrophe (dont, don't, do not; im, i'm, i am),
   "wanna"/"gonna" become "want to"/"going to", "my self" becomes "myself", "any more" "anymore".
4. Each rule is a regular expression over the space-joined tokens of one clause.

Negation (a match is dropped when it is negated):

- Walking back from the start of the match over "filler" words (i, am, going, to, want, feel,
  thinking, about, thoughts, of, any, ...), hitting a negator (not, never, no, without, nor) negates
  it: "not suicidal", "I'm not going to kill myself", "never want to hurt myself", "no thoughts of
  self-harm", "I don't want to die". Any other word stops the walk, so "I can't stop thinking about
  killing myself" (stopped by "stop") and "I'm not ok and I want to die" (stopped by "and") are
  signals. A negator directly followed by a subject ("no I want to die") does not negate.
- "can't"/"cannot"/"couldn't" are deliberately not negators: "I can't hurt myself again" and "I
  couldn't even kill myself properly" stay signals.
- Statements whose meaning is the negation itself are positive rules of their own: "I don't want to
  live", "I don't want to be alive", "I don't want to be here anymore", "I hope I don't wake up".
- "until ..." after a negated match undoes the negation ("never had suicidal thoughts until now").
- A clause that answers the phrase with "none", "no", "nope", "nil", "zero", "0" or "not anymore"
  ("suicidal thoughts: none") is negated.
- "accidentally"/"by accident" and everyday accidents ("cut myself shaving", "hurt myself at the
  gym", "burnt myself on the oven") only drop self-harm matches; an accidental overdose is still
  immediate danger.

Third-party mentions ("my friend said she wants to die", "he's going to kill himself") are signals
on purpose: the member is carrying something heavy, and the same resources help them help someone
else. Mentions of past experience ("I used to self-harm") and of bereavement ("lost my brother to
suicide") are signals too. Idioms are not: "this traffic is killing me", "I could kill for a
coffee", "dying to see it", "killed it at the gig", "to die for", "cut myself some slack", "ready
to die on this hill", "suicide squad", "overdosed on caffeine", "jump on a call".

The matched phrase in a `CrisisSignal` is the lower-cased, normalised text of the note that matched.
It exists for tests and operator logs, and must never be shown to moderators.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.domain.crisis_rules import RULES, CrisisCategory

__all__ = ["CrisisCategory", "CrisisSignal", "detect_crisis", "find_crisis_signals"]

SEVERITY: tuple[CrisisCategory, ...] = (
    CrisisCategory.IMMEDIATE_DANGER,
    CrisisCategory.SUICIDAL_INTENT,
    CrisisCategory.SELF_HARM,
)


@dataclass(frozen=True)
class CrisisSignal:
    """One matched crisis phrase. `phrase` is for tests and logs only; never show it to moderators.

    `start`/`end` index the normalised (NFKC, case-folded) note, which is what `phrase` is cut from.
    """

    category: CrisisCategory
    phrase: str
    rule: str
    start: int
    end: int


# --------------------------------------------------------------------------------------------------
# Normalisation


_APOSTROPHES = str.maketrans({c: "'" for c in "’‘‛ʼʻ`´′＇"})
_CLAUSE_BREAK = re.compile(r"[.!?;,\n\r…]+|\s[-–—]+\s")
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_SQUEEZE_TEXT = re.compile(r"([^\W\d_])\1+")


def _squeeze(word: str) -> str:
    return _SQUEEZE_TEXT.sub(r"\1", word)


# Written in plain spelling; squeezed when the module loads, like the notes are.
_EXPANSIONS_PLAIN: dict[str, str] = {
    "don't": "do not", "dont": "do not", "doesn't": "does not", "doesnt": "does not",
    "didn't": "did not", "didnt": "did not", "isn't": "is not", "isnt": "is not",
    "aren't": "are not", "arent": "are not", "wasn't": "was not", "wasnt": "was not",
    "weren't": "were not", "werent": "were not", "haven't": "have not", "havent": "have not",
    "hasn't": "has not", "hasnt": "has not", "hadn't": "had not", "hadnt": "had not",
    "won't": "will not", "wont": "will not", "wouldn't": "would not", "wouldnt": "would not",
    "shouldn't": "should not", "shouldnt": "should not", "ain't": "am not", "aint": "am not",
    "mustn't": "must not", "mustnt": "must not", "needn't": "need not",
    "can't": "cannot", "cant": "cannot", "couldn't": "couldnot", "couldnt": "couldnot",
    "i'm": "i am", "im": "i am", "i've": "i have", "ive": "i have", "i'll": "i will", "i'd": "i would",
    "you're": "you are", "youre": "you are", "he's": "he is", "hes": "he is", "she's": "she is",
    "shes": "she is", "it's": "it is", "they're": "they are", "theyre": "they are", "we're": "we are",
    "that's": "that is", "thats": "that is", "there's": "there is", "theres": "there is",
    "what's": "what is", "whats": "what is", "life's": "life is", "lifes": "life is",
    "he'll": "he will", "she'll": "she will", "they'll": "they will", "he'd": "he would",
    "she'd": "she would", "they'd": "they would",
    "wanna": "want to", "gonna": "going to", "gotta": "got to", "tryna": "trying to",
    "od'd": "overdosed", "od'ed": "overdosed", "oded": "overdosed", "u": "you",
    "myslef": "myself", "mysef": "myself", "meself": "myself", "selfharm": "self harm", "selfharming": "self harming",
    "selfharmed": "self harmed", "cos": "because", "cuz": "because",
}
_EXPANSIONS: dict[str, tuple[str, ...]] = {
    _squeeze(key): tuple(_squeeze(w) for w in value.split()) for key, value in _EXPANSIONS_PLAIN.items()
}
_MERGES: dict[tuple[str, str], str] = {
    (_squeeze(a), _squeeze(b)): _squeeze(merged)
    for a, b, merged in [
        ("my", "self", "myself"), ("any", "more", "anymore"), ("can", "not", "cannot"),
        ("could", "not", "couldnot"), ("her", "self", "herself"), ("him", "self", "himself"),
        ("them", "selves", "themselves"), ("some", "one", "someone"),
    ]
}


@dataclass(frozen=True)
class _Token:
    word: str
    start: int
    end: int


def _clause_tokens(text: str, offset: int) -> list[_Token]:
    raw: list[_Token] = []
    for match in _TOKEN.finditer(text):
        start, end = offset + match.start(), offset + match.end()
        key = _squeeze(match.group())
        expansion = _EXPANSIONS.get(key)
        if expansion is None:
            raw.append(_Token(key.replace("'", ""), start, end))
        else:
            raw.extend(_Token(word, start, end) for word in expansion)
    merged: list[_Token] = []
    for token in raw:
        if merged:
            pair = _MERGES.get((merged[-1].word, token.word))
            if pair is not None:
                merged[-1] = _Token(pair, merged[-1].start, token.end)
                continue
        merged.append(token)
    return merged



# Negation --------------------------------------------------------------------------------------------

def _word_set(words: str) -> frozenset[str]:
    return frozenset(_squeeze(word) for word in words.split())


_NEGATORS = _word_set("not never no without nor neither")
_ACCIDENT_WORDS = _word_set("accidentally accidently unintentionally")
# Words that may stand between a negator and the phrase it negates: "not [really feeling] suicidal",
# "never [want to] hurt myself", "no [thoughts of] self-harm". Anything else ends the negation.
_FILLERS = _word_set("""
    i am is are was were be been being feel feeling feels felt do does did have has had having really
    actually currently honestly ever even at all any in the slightest remotely particularly going to
    want wants wanting plan plans planning intend intending intention intentions of thinking about
    urge urges desire would will should a bit more longer again anymore like try trying get getting he
    she they we thoughts way one single ideation feelings need needs anything considering consider now
""")
_SUBJECTS = _word_set("i he she they we you")
_UNNEGATE_AFTER = _word_set("until till til untill")
_ANSWER_SKIP = _word_set("thoughts urges feelings ideation thinking risk")
_ANSWER_NO: frozenset[tuple[str, ...]] = frozenset(
    tuple(_squeeze(w) for w in answer.split())
    for answer in ["none", "no", "nope", "nil", "zero", "0", "not anymore", "n a", "na", "none today", "no thanks"]
)
_MAX_WALK = 8


def _negated_before(words: list[str], start: int, accident_sensitive: bool) -> bool:
    after = ""
    for index in range(start - 1, max(-1, start - 1 - _MAX_WALK), -1):
        word = words[index]
        if word in _NEGATORS:
            return after not in _SUBJECTS
        if accident_sensitive and word in _ACCIDENT_WORDS:
            return True
        if word not in _FILLERS:
            return False
        after = word
    return False


def _answered_no(rest: list[str]) -> bool:
    index = 0
    while index < len(rest) and rest[index] in _ANSWER_SKIP:
        index += 1
    return tuple(rest[index:]) in _ANSWER_NO


def _clauses(text: str) -> list[tuple[int, str]]:
    pieces: list[tuple[int, str]] = []
    position = 0
    for brk in _CLAUSE_BREAK.finditer(text):
        pieces.append((position, text[position:brk.start()]))
        position = brk.end()
    pieces.append((position, text[position:]))
    return pieces


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)


def find_crisis_signals(text: str) -> list[CrisisSignal]:
    """Every non-negated crisis phrase in `text`, in order of appearance."""
    normal = _normalise(text)
    found: list[CrisisSignal] = []
    for offset, clause in _clauses(normal):
        tokens = _clause_tokens(clause, offset)
        if not tokens:
            continue
        words = [token.word for token in tokens]
        joined = " ".join(words)
        starts: dict[int, int] = {}
        ends: dict[int, int] = {}
        position = 0
        for index, word in enumerate(words):
            starts[position] = index
            ends[position + len(word)] = index
            position += len(word) + 1
        for rule in RULES:
            for match in rule.pattern.finditer(joined):
                first, last = starts.get(match.start()), ends.get(match.end())
                if first is None or last is None or last < first:
                    continue
                negated = _negated_before(words, first, rule.accident_sensitive) or _answered_no(words[last + 1:])
                if negated and _UNNEGATE_AFTER.intersection(words[last + 1:]):
                    negated = False
                if negated:
                    continue
                begin, finish = tokens[first].start, tokens[last].end
                found.append(CrisisSignal(rule.category, normal[begin:finish], rule.name, begin, finish))
    found.sort(key=lambda signal: (signal.start, SEVERITY.index(signal.category)))
    return found


def detect_crisis(text: str) -> CrisisSignal | None:
    """The most severe crisis phrase in `text` (earliest among equals), or None."""
    signals = find_crisis_signals(text)
    if not signals:
        return None
    return min(signals, key=lambda signal: (SEVERITY.index(signal.category), signal.start))
