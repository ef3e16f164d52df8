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
from enum import StrEnum

__all__ = ["CrisisCategory", "CrisisSignal", "detect_crisis", "find_crisis_signals"]


class CrisisCategory(StrEnum):
    """What kind of crisis a phrase suggests, most severe first in `SEVERITY`."""

    IMMEDIATE_DANGER = "immediate_danger"
    SUICIDAL_INTENT = "suicidal_intent"
    SELF_HARM = "self_harm"


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
_SQUEEZE_PATTERN = re.compile(r"([a-z])\1+")


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


# --------------------------------------------------------------------------------------------------
# Rules

# Placeholders, expanded before squeezing. Rule sources use plain lowercase words, spaces, ( ) | ?
# and (?: ) (?! ) (?<! ) only, so squeezing doubled letters cannot damage regex syntax.
_PLACEHOLDERS: dict[str, str] = {
    "REFL": "(?:myself|himself|herself|themselves|themself|ourselves)",
    "POSS": "(?:my|his|her|their|our)",
    "SUBJ": "(?:i|he|she|they|we)",
    "ADV": (
        "(?:(?:just|really|honestly|actually|simply|literally|seriously|genuinely|so|truly|kind of|kinda|"
        "sort of|sorta|almost|sometimes|still|often|always|kind of just|lowkey|low key|fucking|bloody|even|ever) ){0,3}"
    ),
    "WANT": "(?:want|wants|wanted|wanting)",
    "ANYMORE": "(?:anymore|any longer|no more|no longer)",
    "BODY": "(?:arm|arms|wrist|wrists|leg|legs|thigh|thighs|stomach|hip|hips|skin|body|chest)",
    "MEDS": (
        "(?:pills|pill|tablets|tablet|meds|medication|medications|medicine|medicines|paracetamol|"
        "acetaminophen|tylenol|ibuprofen|aspirin|painkillers|sleeping pills|sleeping tablets|insulin|"
        "antidepressants|sertraline|pills and alcohol)"
    ),
}

# Everyday accidents and idioms after "cut/hurt/burn ... myself". A body part after "on the"/"on my"
# keeps the signal ("cut myself on the wrist"); "when" does not end it ("I cut myself when I'm upset").
_ACCIDENT_AFTER = (
    "(?! (?:shaving|cooking|chopping|slicing|peeling|gardening|playing|running|training|lifting|falling|"
    "tripping|slipping|climbing|cycling|biking|skating|skiing|hiking|dancing|working out|exercising|"
    "while|whilst|during|by accident|accidentally|with the kettle|opening|moving|fixing|"
    "at (?:the|a|an|work|football|rugby|training|practice|netball|hockey|parkrun|tennis|cricket|basketball|"
    "soccer|baseball|climbing|yoga|pilates|crossfit)|"
    "on (?:the|a|an|some|my|this|that)(?! BODY(?![^ ]))|out(?! of(?![^ ]))|off|some slack|a break|short|"
    "a slice|a piece|free|loose|down)(?![^ ]))"
)

_HOBBY_AFTER = (
    "(?! (?:laughing|at the gym|in the gym|at work|working out|at training|at practice|falling|tripping|slipping|"
    "on the stairs|on the ice)(?![^ ]))"
)
_DIE_IDIOM = (
    "(?! (?:on (?:this|that|the|a) hill|POSS hair|laughing|of (?:embarrassment|boredom|laughter|shame|cringe|"
    "happiness|excitement|jealousy)|for (?:it|a|some|one|the|this|that|those|these))(?![^ ]))"
)
_AWARENESS_AFTER = (
    "(?! (?:awareness|prevention|training|course|module|policy|workshop|talk|research|charity|squad|"
    "bomber|bombers|bombing|bombings|door|doors|mission|missions|lecture|seminar|campaign|walk|"
    "fundraiser|statistics|rates|rate)(?![^ ]))"
)
# "I don't want to live in London", "... wake up early": somewhere or some time, not life itself.
_PLACE_AFTER = (
    "(?! (?:in|with|at|near|there|here|on|abroad|together|next|somewhere|anywhere|far|close|around|by|"
    "under|above|early|before|for|until|til|till|so|late)(?![^ ]))"
)
_MEANS = "(?:MEDS|rope|noose|knife|blade|blades|razor|razors|gun)"


@dataclass(frozen=True)
class _Rule:
    name: str
    category: CrisisCategory
    pattern: re.Pattern[str]
    accident_sensitive: bool


def _compile(source: str) -> re.Pattern[str]:
    for _ in range(3):  # placeholders may contain placeholders
        for key, value in _PLACEHOLDERS.items():
            source = source.replace(key, value)
    source = _SQUEEZE_PATTERN.sub(r"\1", source)
    return re.compile(rf"(?<![^ ])(?:{source})(?![^ ])")


def _rules(category: CrisisCategory, entries: dict[str, str], accident_sensitive: bool = False) -> list[_Rule]:
    return [_Rule(name, category, _compile(src), accident_sensitive) for name, src in entries.items()]


_IMMEDIATE = CrisisCategory.IMMEDIATE_DANGER
_SUICIDAL = CrisisCategory.SUICIDAL_INTENT
_SELF_HARM = CrisisCategory.SELF_HARM

_RULES: tuple[_Rule, ...] = tuple(
    _rules(_IMMEDIATE, {
        "overdose": (
            "(?<!caffeine )(?<!sugar )(?<!coffee )(?<!chocolate )(?:overdose|overdosed|overdosing|overdoses)"
            "(?! on (?:coffee|caffeine|sugar|chocolate|tv|netflix|telly|sweets|candy|cake|carbs|sleep|memes|work|"
            "reality tv|red bull|energy drinks|vitamin|vitamins|content|anime|cuteness)(?![^ ]))"
            + _AWARENESS_AFTER
        ),
        "too many pills": (
            "(?:took|taken|take|taking|takes|swallowed|swallow|swallowing|had|just had) "
            "(?:too many|too much|way too many|way too much|a lot of|loads of|lots of|a handful of|handfuls of|"
            "a load of|a whole bottle of|a bottle of|the whole bottle of|a whole box of|a box of|a whole packet of|"
            "a packet of|the whole packet of|a whole pack of|a pack of|every one of POSS) MEDS"
        ),
        "all my pills": (
            "(?:took|taken|take|taking|swallowed|swallow|swallowing) all (?:of )?(?:POSS|the) MEDS"
            "(?: at once| in one go| together| with alcohol| with vodka| with wine)"
        ),
        "swallowed all": "swallowed (?:all|every one) (?:of )?(?:POSS|the) MEDS",
        "not safe": (
            "(?:SUBJ am|SUBJ is|SUBJ are|i|SUBJ do|SUBJ does) (?:ADV)(?:not feel|not feeling|not) safe"
            "(?! (?:to drive|driving|on the roads?|in (?:this|the) (?:weather|snow|rain|ice)|cycling|flying|"
            "on planes|walking home|with this|to use|using|eating|to eat|for)(?![^ ]))"
        ),
        "not safe right now": (
            "^(?:ADV)(?:feeling |feel |am |i am )?(?:ADV)not safe "
            "(?:right now|tonight|at the moment|anymore|around myself|with myself|to be alone|"
            "being alone|on my own|by myself|at home)"
        ),
        "unsafe": "(?:i am|i feel|feeling|i am feeling) (?:ADV)unsafe",
        "in danger": "(?:i am|i feel like i am|we are) (?:ADV)in danger",
        "being hurt": "(?:someone|he|she|they) (?:is|are) (?:hurting|abusing|attacking|threatening) me",
        "jump off": (
            "(?:jump|jumping|jumped|throw REFL|throwing REFL|leap|leaping) (?:off|from) "
            "(?:the|a|this|that|my|our) (?:top of (?:the|a|this) )?(?:bridge|roof|rooftop|building|cliff|balcony|"
            "window|ledge|tower|car park|carpark|parking garage|multi storey|overpass|flyover|platform|block)"
        ),
        "in front of": (
            "(?:jump|jumping|step|stepping|throw REFL|throwing REFL|walk|walking|lie|lying) "
            "(?:in front of|under) (?:a|the|an) (?:train|bus|car|truck|lorry|tube|subway|tram|van)"
        ),
        "going to jump": "(?:going to|about to|ready to|want to|planning to) jump(?: now| tonight| right now| today)?$",
        "standing on the edge": (
            "(?:standing|sitting|stood|sat) on (?:the|a) (?:edge|ledge) of (?:the|a) (?:bridge|roof|building|cliff)"
        ),
        "means ready": (
            "(?:have|got|has|i have got|bought) (?:the|a|my|all the|all my) _MEANS "
            "(?:ready|lined up|out and ready|next to me|in front of me)|"
            "_MEANS (?:is|are) (?:ready|lined up|next to me|in front of me)"
            "(?! (?:for|at|to collect|to pick up)(?![^ ]))"
        ).replace("_MEANS", _MEANS),
        "noose": "(?:made|tied|tying|bought|have|got|making) (?:a|the|my) noose",
        "tonight": (
            "(?:going to|about to|ready to|planning to|plan to|decided to|will) "
            "(?:kill REFL|end POSS (?:own )?life|end it all|end it|take POSS own life) "
            "(?:tonight|right now|now|today|this evening|this weekend|after this)"
        ),
        "suicide note": (
            "(?:wrote|written|writing|write|left|leaving) (?:POSS |a |the )?(?:suicide|suicde|sucide) "
            "(?:note|notes|letter|letters)"
        ),
    })
    + _rules(_SUICIDAL, {
        "kill oneself": "(?:kill|kills|killing|killed) REFL" + _HOBBY_AFTER,
        "kms": "(?<![0-9] )kms",
        "unalive": "unalive|unaliving|unalived",
        "method oneself": (
            "(?:hang|hanging|hanged|hung|shoot|shooting|shot|drown|drowning|poison|poisoning|gas|gassing|"
            "suffocate|suffocating|strangle|strangling) REFL"
            "(?! (?:out|up|down|together|with friends|in the foot|a message|a text|an email|a look|"
            "in(?! (?:the|a) (?:river|sea|lake|bath|bathtub|canal|ocean|reservoir|loch)(?![^ ])))(?![^ ]))"
        ),
        "end life": (
            "(?:(?:end|ends|ending|ended|take|takes|taking|took) POSS own life|(?:end|ends|ending|ended) POSS life)"
            "(?! as (?:a|an|the)(?![^ ]))"
        ),
        "end it all": "(?:end|ending|ended|finish|finishing) it all",
        "end it": (
            "(?:WANT to|going to|planning to|plan to|ready to|about to|decided to|tempted to|thinking (?:about|of)|"
            "thought (?:about|of)|feel like|felt like) (?:ADV)(?:end|ending) (?:it|everything|things)"
            "(?! (?:with|between|off|for|now with)(?![^ ]))"
        ),
        "want to die": "(?:WANT|ready|deserve|deserves|deserved|need|needs) to (?:ADV)die" + _DIE_IDIOM,
        "hope to die": (
            "(?:hope|hoping|wish|wishing|pray|praying) (?:that )?i (?:would |could |will |can |might )?"
            "(?:ADV)die" + _DIE_IDIOM
        ),
        "let me die": "(?:let|letting) me die" + _DIE_IDIOM,
        "wish dead": (
            "(?:wish|wished|wishing) (?:that )?(?:i (?:was|were|had|would)|id) (?:ADV)"
            "(?:dead|be dead|not alive|never born|not born|never been born|not exist|gone forever|die)|"
            "wishes (?:that )?(?:she|he|they) (?:was|were|had) (?:dead|not alive|never born|never been born)"
        ),
        "wish not exist": (
            "wish (?:that )?i (?:did not|could|could just|would) (?:exist|stop existing|disappear forever|"
            "cease to exist|not exist)"
        ),
        "better off dead": "better off dead|better off without me",
        "better off gone": (
            "better off if i (?:was|were|was just|were just|had|did not|died|never) "
            "(?:dead|gone|not here|not around|not alive|never born|exist|been born)"
        ),
        "do not want to live": (
            "(?:do not|does not|did not|never|no longer|not sure (?:if |that |whether )?SUBJ) (?:ADV)"
            "(?:(?:think|know if|know whether|know that|believe|feel like|feel) (?:that )?SUBJ (?:ADV))?"
            "(?:(?:WANT|want|wish) to (?:ADV)(?:(?:live|exist|wake up)PLACE|be alive|keep living|stay alive|"
            "be here ANYMORE|be here now|be on this earth|be in this world|be around ANYMORE|go on ANYMORE|"
            "go on living|carry on ANYMORE|carry on living|keep going ANYMORE|be here on earth)|"
            "feel like (?:living|being alive|existing|being here ANYMORE|waking up))"
        ).replace("PLACE", _PLACE_AFTER),
        "stop living": (
            "(?:WANT|wish|need) to (?:ADV)(?:stop living|stop existing|not exist|not be alive|not be here ANYMORE|"
            "disappear forever|disappear for good|cease to exist|not wake up|never wake up)"
        ),
        "not wake up": (
            "(?:hope|hoping|wish|wishing|pray|praying) (?:that )?i (?:do not|will not|would not|never|did not) "
            "(?:ADV)(?:wake up|wake)|(?:sleep|go to sleep|fall asleep|falling asleep) and (?:never|not) wake up"
        ),
        "tired of living": (
            "(?:tired|sick|exhausted|done) (?:of|with) (?:living|being alive|existing|life itself)"
            "(?! (?:in|with|at|out|off|on|paycheck|next|near|here|there|under|abroad|together)(?![^ ]))|"
            "(?:tired|sick|done) (?:of|with) life$"
        ),
        "no reason to live": (
            "no (?:reason|reasons|point|purpose|will) (?:to|in|for) (?:live|living|going on|go on|keep going|"
            "carry on|carrying on|stay alive|staying alive|be alive|being alive)|no will to live|"
            "no point living|(?:lost|losing|lose) (?:the|my|all|all my) will to live|"
            "what is the point (?:of|in) (?:living|being alive|going on|carrying on|staying alive)"
        ),
        "not worth living": "not worth living|no longer worth living",
        "cannot go on": (
            "(?:cannot|couldnot|can no longer) (?:ADV)(?:go on|carry on|keep going|keep living) "
            "(?:ANYMORE|like this|living)"
        ),
        "suicide": "(?:suicide|sucide|suicde|suiside|suicid|suiscide|suacide)" + _AWARENESS_AFTER,
        "suicidal": (
            "suicidal|suicidle|sucidal|suisidal|suicidial|suicidel|suiscidal|suicdal|sucidle|suicidality|suicidaly"
        ),
        "slit wrists": "(?:slit|slitting|slash|slashing) POSS (?:wrist|wrists|throat)",
    })
    + _rules(_SELF_HARM, {
        "harm oneself": (
            "(?:hurt|hurts|hurting|harm|harms|harming|harmed|injure|injures|injuring|injured|cut|cuts|cutting|"
            "burn|burns|burning|burned|burnt|scratch|scratching|scratched|punch|punching|punched|hit|hitting|"
            "starve|starving|starved|bruise|bruising|bruised|mutilate|mutilating|mutilated) REFL" + _ACCIDENT_AFTER
        ),
        "self harm": (
            "self (?:harm|harms|harming|harmed|harmer|injury|injuries|injure|injuring|injured|mutilation|"
            "mutilate|mutilating|mutilated)" + _AWARENESS_AFTER
        ),
        "sh": (
            "(?:urge to|urges to|relapsed on|relapse on|relapsed with|did|doing) sh(?! t(?![^ ]))|"
            "sh (?:urges|urge|scars|relapse)"
        ),
        "cutting again": (
            "(?:i|i have|i am|i have been|i was|started|starting|been) (?:cutting|harming|burning) again|i cut again|"
            "(?:started|start|starting|back to|been|keep|kept|stop|stopping|want to|wanted to|relapsed and) cutting"
            "(?! (?:back|down|out|up|corners|it|the|a|an|some|my(?! BODY(?![^ ]))|his|her|their|your|our|hair|carbs|"
            "sugar|coupons|class|school|classes|lectures|ties|costs|onions|wood|paper|fabric|patterns|them|him|"
            "people|friends|off|through|in|across)(?![^ ]))|"
            "(?:urge to|urges to|want to|wanted to|need to) cut(?= *$| again| tonight| so badly| so bad)"
        ),
        "cut body": (
            "(?<!sun )(?:cut|cuts|cutting|burn|burns|burning|burnt|burned|scratch|scratching|scratched|carve|carving|"
            "carved) (?:into )?POSS BODY" + _ACCIDENT_AFTER
        ),
        "bleed": "(?:WANT|need|needed) to (?:see REFL |see me )?bleed",
    }, accident_sensitive=True)
)

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
        for rule in _RULES:
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
