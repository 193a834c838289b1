"""The 23 persuasion techniques of SemEval-2023 Task 3, in 6 groups, and the mapping from the 14 PTC classes.

Ids are spelled exactly as in the SemEval-2023 data. ``number`` is a stable integer id: it never changes
once published, new techniques get new numbers. Definitions and examples are our own wording.
"""

from __future__ import annotations

from dataclasses import dataclass

GROUPS: tuple[str, ...] = (
    "Attack on Reputation",
    "Justification",
    "Simplification",
    "Distraction",
    "Call",
    "Manipulative Wording",
)


@dataclass(frozen=True, slots=True)
class Technique:
    id: str  # as in the SemEval-2023 data, e.g. "Name_Calling-Labeling"
    number: int  # stable integer id, 1..23
    name: str  # display name
    group: str  # one of GROUPS
    definition: str
    example: str
    colour: str  # background for highlights; light enough for dark text

    @property
    def slug(self) -> str:
        """A CSS-safe token for this technique (``t7``)."""
        return f"t{self.number}"


def _t(number: int, id_: str, name: str, group: str, colour: str, definition: str, example: str) -> Technique:
    return Technique(id_, number, name, group, " ".join(definition.split()), example, colour)


_AR, _JU, _SI, _DI, _CA, _MW = GROUPS

TECHNIQUES: tuple[Technique, ...] = (
    _t(
        1,
        "Name_Calling-Labeling",
        "Name Calling / Labeling",
        _AR,
        "#ffb3b3",
        """Pinning a charged label on a person, group or idea so that readers judge the target by the label rather
        than by what it did. The label can be an insult or, less often, praise.""",
        "The Kyiv regime and its puppet masters in Washington have once again refused to negotiate.",
    ),
    _t(
        2,
        "Guilt_by_Association",
        "Guilt by Association",
        _AR,
        "#f7a8c4",
        """Discrediting someone or something by linking it to a person, group or idea the audience already
        despises (Nazis, terrorists, a disgraced leader) instead of arguing against it.""",
        "Like the Nazis before them, Baltic officials are now tearing down monuments to Soviet soldiers.",
    ),
    _t(
        3,
        "Doubt",
        "Doubt",
        _AR,
        "#ffc9de",
        """Undermining trust in a person's or institution's credibility, competence or motives through
        insinuating questions or hints, without giving evidence.""",
        "Can anyone still believe a Pentagon that has lied about every war it started?",
    ),
    _t(
        4,
        "Appeal_to_Hypocrisy",
        "Appeal to Hypocrisy",
        _AR,
        "#ffd6cc",
        """Attacking a target's standing by accusing it of hypocrisy or inconsistency (tu quoque), so that what it
        says is dismissed without being answered.""",
        "Washington lectures Pyongyang about arms control while selling weapons to half the planet.",
    ),
    _t(
        5,
        "Questioning_the_Reputation",
        "Questioning the Reputation",
        _AR,
        "#f4b6a8",
        """Attacking the character or moral standing of a target, often with unproven or irrelevant claims, so that
        its words and actions carry less weight.""",
        "The so-called experts of this Western think tank have long been known as paid mouthpieces.",
    ),
    _t(
        6,
        "Flag_Waving",
        "Flag Waving",
        _JU,
        "#ffd59e",
        """Justifying an idea or action by appealing to pride in, or duty towards, a group such as the nation, the
        people or a faith, so that disagreeing feels disloyal.""",
        "Every true patriot understands that friendship with Pyongyang makes the Motherland stronger.",
    ),
    _t(
        7,
        "Appeal_to_Authority",
        "Appeal to Authority",
        _JU,
        "#fff0a0",
        """Presenting a claim as true because an authority or supposed expert backs it, instead of giving evidence;
        also citing an authority on a subject outside its competence.""",
        "Even a retired American general has admitted that the sanctions achieved nothing.",
    ),
    _t(
        8,
        "Appeal_to_Popularity",
        "Appeal to Popularity",
        _JU,
        "#ffe4b5",
        """Claiming that a position is right because "everyone", the majority or a growing number of people holds
        it (bandwagon), so that readers should join in.""",
        "The whole world now sees that Western sanctions have failed; only Brussels refuses to admit it.",
    ),
    _t(
        9,
        "Appeal_to_Values",
        "Appeal to Values",
        _JU,
        "#f9e79f",
        """Promoting a position by tying it to values the audience holds dear, such as tradition, family, faith,
        peace or sovereignty, without showing that the tie is real.""",
        "Cooperation between Moscow and Pyongyang rests on respect for sovereignty and traditional values.",
    ),
    _t(
        10,
        "Appeal_to_Fear-Prejudice",
        "Appeal to Fear / Prejudice",
        _JU,
        "#fcc88a",
        """Seeking support for an idea by stirring fear of the alternative, or by playing on prejudice already held
        against a group.""",
        "If NATO is not stopped now, its missiles will stand at the gates of every Russian city.",
    ),
    _t(
        11,
        "Causal_Oversimplification",
        "Causal Oversimplification",
        _SI,
        "#c8f0b0",
        """Naming a single cause, or a single culprit, for an outcome that has many causes.""",
        "Europe's energy crisis has exactly one author: Washington's sanctions policy.",
    ),
    _t(
        12,
        "False_Dilemma-No_Choice",
        "False Dilemma / No Choice",
        _SI,
        "#a8e6cf",
        """Presenting two options as the only possible ones when others exist, or presenting one option as the only
        choice left.""",
        "Either Seoul accepts Pyongyang's terms, or it chooses war.",
    ),
    _t(
        13,
        "Consequential_Oversimplification",
        "Consequential Oversimplification",
        _SI,
        "#d9f2a0",
        """Claiming that a first step will inevitably set off a chain of (usually bad) consequences, without showing
        why each step would follow (slippery slope).""",
        "Send these tanks today, and tomorrow European soldiers will be dying on Russian soil.",
    ),
    _t(
        14,
        "Straw_Man",
        "Straw Man",
        _DI,
        "#b3d9ff",
        """Replacing an opponent's actual position with a distorted or weaker version and then refuting that
        version instead.""",
        "Western diplomats, who apparently want Russia to have no friends at all, are outraged once more.",
    ),
    _t(
        15,
        "Red_Herring",
        "Red Herring",
        _DI,
        "#a8d8ea",
        """Steering attention away from the issue at hand by bringing up an unrelated topic.""",
        "Asked about the shell deliveries, the spokesman recalled that nobody has yet explained the pipeline blasts.",
    ),
    _t(
        16,
        "Whataboutism",
        "Whataboutism",
        _DI,
        "#c6cff9",
        """Deflecting criticism by pointing to a supposedly similar wrong committed by the critic, without
        answering the criticism itself.""",
        "Before condemning our ties with Pyongyang, what about the cluster bombs America sends to Kyiv?",
    ),
    _t(
        17,
        "Slogans",
        "Slogans",
        _CA,
        "#e0c3fc",
        """A short, punchy phrase that packs a stance into something easy to repeat, often with labels or
        stereotypes; it invites agreement rather than thought.""",
        "Together against hegemony!",
    ),
    _t(
        18,
        "Conversation_Killer",
        "Conversation Killer",
        _CA,
        "#d4b8f0",
        """A phrase that shuts down debate or critical thinking by declaring the matter settled or not worth
        discussing (thought-terminating cliché).""",
        "The West will never change, and that is all there is to say about it.",
    ),
    _t(
        19,
        "Appeal_to_Time",
        "Appeal to Time",
        _CA,
        "#f0c8f5",
        """Arguing that the moment to act is now, or that an idea's time has come, to create urgency instead of
        giving reasons.""",
        "The time has come for the Global South to abandon the dollar once and for all.",
    ),
    _t(
        20,
        "Loaded_Language",
        "Loaded Language",
        _MW,
        "#b8ede6",
        """Words and phrases with strong emotional colouring, positive or negative, chosen to sway readers rather
        than to describe.""",
        "Western capitals descended into hysteria over the historic summit.",
    ),
    _t(
        21,
        "Obfuscation-Vagueness-Confusion",
        "Obfuscation / Vagueness / Confusion",
        _MW,
        "#d9d9d9",
        """Deliberately unclear wording that lets readers supply their own meaning, or lets the writer avoid a
        clear, checkable statement.""",
        "Certain circles abroad are said to be preparing certain provocations.",
    ),
    _t(
        22,
        "Exaggeration-Minimisation",
        "Exaggeration / Minimisation",
        _MW,
        "#e8d5b7",
        """Making something look much bigger, better or worse than it is, or playing down something serious so it
        seems trivial.""",
        "The alleged arms deal is nothing more than a routine exchange of greetings between good neighbours.",
    ),
    _t(
        23,
        "Repetition",
        "Repetition",
        _MW,
        "#c9e4de",
        """Repeating the same word, phrase or message again and again so that readers come to accept it.""",
        "Sanctions failed in 2014. Sanctions are failing now. Sanctions will always fail.",
    ),
)

BY_ID: dict[str, Technique] = {t.id: t for t in TECHNIQUES}
BY_NUMBER: dict[int, Technique] = {t.number: t for t in TECHNIQUES}
IDS: tuple[str, ...] = tuple(t.id for t in TECHNIQUES)

# SemEval-2020 Task 11 (PTC) class -> SemEval-2023 techniques; a class that PTC merged maps to each part.
# No PTC class maps to the six techniques new in 2023 (see NEW_IN_2023); docs/taxonomy.md explains the choices.
PTC_TO_TECHNIQUES: dict[str, tuple[str, ...]] = {
    "Loaded_Language": ("Loaded_Language",),
    "Name_Calling,Labeling": ("Name_Calling-Labeling",),
    "Repetition": ("Repetition",),
    "Doubt": ("Doubt",),
    "Exaggeration,Minimisation": ("Exaggeration-Minimisation",),
    "Appeal_to_fear-prejudice": ("Appeal_to_Fear-Prejudice",),
    "Flag-Waving": ("Flag_Waving",),
    "Causal_Oversimplification": ("Causal_Oversimplification",),
    "Appeal_to_Authority": ("Appeal_to_Authority",),
    "Slogans": ("Slogans",),
    "Black-and-White_Fallacy": ("False_Dilemma-No_Choice",),
    "Whataboutism,Straw_Men,Red_Herring": ("Whataboutism", "Straw_Man", "Red_Herring"),
    "Thought-terminating_Cliches": ("Conversation_Killer",),
    "Bandwagon,Reductio_ad_hitlerum": ("Appeal_to_Popularity", "Guilt_by_Association"),
}
PTC_CLASSES: tuple[str, ...] = tuple(PTC_TO_TECHNIQUES)
NEW_IN_2023: tuple[str, ...] = (
    "Appeal_to_Hypocrisy",
    "Questioning_the_Reputation",
    "Appeal_to_Values",
    "Appeal_to_Time",
    "Consequential_Oversimplification",
    "Obfuscation-Vagueness-Confusion",
)

# Upstream spelling slips seen in the data, mapped to the real id.
ALIASES: dict[str, str] = {"Appeal_to_Fear-Prejudi-čce": "Appeal_to_Fear-Prejudice"}


def technique(id_: str | int) -> Technique:
    """The technique with this id (``"Loaded_Language"``) or stable number; KeyError naming the id otherwise."""
    if isinstance(id_, int):
        if id_ in BY_NUMBER:
            return BY_NUMBER[id_]
        raise KeyError(f"unknown technique number {id_}; known: 1..{len(TECHNIQUES)}")
    found = BY_ID.get(ALIASES.get(id_, id_))
    if found is None:
        raise KeyError(f"unknown technique {id_!r}; known ids are in propscope.taxonomy.techniques.IDS")
    return found


def is_technique(id_: str) -> bool:
    return ALIASES.get(id_, id_) in BY_ID


def from_ptc(ptc_class: str) -> tuple[str, ...]:
    """The 2023 technique ids a PTC (SemEval-2020) class covers; KeyError for an unknown class."""
    if ptc_class not in PTC_TO_TECHNIQUES:
        raise KeyError(f"unknown PTC class {ptc_class!r}; known: {', '.join(PTC_CLASSES)}")
    return PTC_TO_TECHNIQUES[ptc_class]


def in_group(group: str) -> tuple[Technique, ...]:
    """Techniques of one group, in number order."""
    if group not in GROUPS:
        raise KeyError(f"unknown technique group {group!r}; known: {', '.join(GROUPS)}")
    return tuple(t for t in TECHNIQUES if t.group == group)
