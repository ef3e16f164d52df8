"""The phrase rules behind crisis detection (`bot.domain.crisis`): the data, kept apart from the
matching, negation and normalisation logic so each reads in one sitting."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

# Doubled letters are squeezed in notes and in rules alike ("killl" reads as "kil", as does "kill").
_SQUEEZE_PATTERN = re.compile(r"([a-z])\1+")


class CrisisCategory(StrEnum):
    """What kind of crisis a phrase suggests, most severe first in `SEVERITY`."""

    IMMEDIATE_DANGER = "immediate_danger"
    SUICIDAL_INTENT = "suicidal_intent"
    SELF_HARM = "self_harm"


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
class Rule:
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


def _rules(category: CrisisCategory, entries: dict[str, str], accident_sensitive: bool = False) -> list[Rule]:
    return [Rule(name, category, _compile(src), accident_sensitive) for name, src in entries.items()]


_IMMEDIATE = CrisisCategory.IMMEDIATE_DANGER
_SUICIDAL = CrisisCategory.SUICIDAL_INTENT
_SELF_HARM = CrisisCategory.SELF_HARM

RULES: tuple[Rule, ...] = tuple(
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
