"""The SemEval-2025 Task 10 narrative taxonomy: two domains (URW: the Russia-Ukraine war, CC: climate change),
each narrative with its subnarratives.

Label names are as in the task data (``URW: Discrediting Ukraine``; a subnarrative is written
``<narrative>: <subnarrative>``). The one-line definitions are our own wording.
"""

from __future__ import annotations

OTHER = "Other"
DOMAINS = {"URW": "the Russia-Ukraine war", "CC": "climate change"}

# domain -> narrative -> subnarratives (names as in the task data)
TAXONOMY: dict[str, dict[str, tuple[str, ...]]] = {
    "URW": {
        "Blaming the war on others rather than the invader": (
            "Ukraine is the aggressor",
            "The West are the aggressors",
        ),
        "Discrediting Ukraine": (
            "Rewriting Ukraine’s history",
            "Discrediting Ukrainian nation and society",
            "Discrediting Ukrainian military",
            "Discrediting Ukrainian government and officials and policies",
            "Ukraine is a puppet of the West",
            "Ukraine is a hub for criminal activities",
            "Ukraine is associated with nazism",
            "Situation in Ukraine is hopeless",
        ),
        "Russia is the Victim": (
            "The West is russophobic",
            "Russia actions in Ukraine are only self-defence",
            "UA is anti-RU extremists",
        ),
        "Praise of Russia": (
            "Praise of Russian military might",
            "Praise of Russian President Vladimir Putin",
            "Russia is a guarantor of peace and prosperity",
            "Russia has international support from a number of countries and people",
            "Russian invasion has strong national support",
        ),
        "Overpraising the West": (
            "NATO will destroy Russia",
            "The West belongs in the right side of history",
            "The West has the strongest international support",
        ),
        "Speculating war outcomes": (
            "Russian army is collapsing",
            "Russian army will lose all the occupied territories",
            "Ukrainian army is collapsing",
        ),
        "Discrediting the West, Diplomacy": (
            "The EU is divided",
            "The West is weak",
            "The West is overreacting",
            "The West does not care about Ukraine, only about its interests",
            "Diplomacy does/will not work",
            "West is tired of Ukraine",
        ),
        "Negative Consequences for the West": (
            "Sanctions imposed by Western countries will backfire",
            "The conflict will increase the Ukrainian refugee flows to Europe",
        ),
        "Distrust towards Media": (
            "Western media is an instrument of propaganda",
            "Ukrainian media cannot be trusted",
        ),
        "Amplifying war-related fears": (
            "By continuing the war we risk WWIII",
            "Russia will also attack other countries",
            "There is a real possibility that nuclear weapons will be employed",
            "NATO should/will directly intervene",
        ),
        "Hidden plots by secret schemes of powerful groups": (),
    },
    "CC": {
        "Criticism of climate policies": (
            "Climate policies are ineffective",
            "Climate policies have negative impact on the economy",
            "Climate policies are only for profit",
        ),
        "Criticism of institutions and authorities": (
            "Criticism of the EU",
            "Criticism of international entities",
            "Criticism of national governments",
            "Criticism of political organizations and figures",
        ),
        "Climate change is beneficial": ("CO2 is beneficial", "Temperature increase is beneficial"),
        "Downplaying climate change": (
            "Climate cycles are natural",
            "Weather suggests the trend is global cooling",
            "Temperature increase does not have significant impact",
            "CO2 concentrations are too small to have an impact",
            "Human activities do not impact climate change",
            "Ice is not melting",
            "Sea levels are not rising",
            "Humans and nature will adapt to the changes",
        ),
        "Questioning the measurements and science": (
            "Methodologies/metrics used are unreliable/faulty",
            "Data shows no temperature increase",
            "Greenhouse effect/carbon dioxide do not drive climate change",
            "Scientific community is unreliable",
        ),
        "Criticism of climate movement": (
            "Climate movement is alarmist",
            "Climate movement is corrupt",
            "Ad hominem attacks on key activists",
        ),
        "Controversy about green technologies": (
            "Renewable energy is dangerous",
            "Renewable energy is unreliable",
            "Renewable energy is costly",
            "Nuclear energy is not climate friendly",
        ),
        "Hidden plots by secret schemes of powerful groups": (
            "Blaming global elites",
            "Climate agenda has hidden motives",
        ),
        "Amplifying Climate Fears": (
            "Earth will be uninhabitable soon",
            "Amplifying existing fears of global warming",
            "Doomsday scenarios for humans",
            "Whatever we do it is already too late",
        ),
        "Green policies are geopolitical instruments": (
            "Climate-related international relations are abusive/exploitative",
            "Green activities are a form of neo-colonialism",
        ),
    },
}

# Our own short descriptions of each narrative, keyed by the bare narrative name within its domain.
DEFINITIONS: dict[str, dict[str, str]] = {
    "URW": {
        "Blaming the war on others rather than the invader": "Puts the responsibility for the war on Ukraine or "
        "the West instead of on Russia, which attacked.",
        "Discrediting Ukraine": "Paints Ukraine's state, army, people or history as illegitimate, criminal, "
        "extremist, controlled from abroad or beyond help.",
        "Russia is the Victim": "Presents Russia as the wronged party: hated by the West, threatened, and only "
        "defending itself.",
        "Praise of Russia": "Glorifies Russia's army, leader, stability or foreign and domestic backing.",
        "Overpraising the West": "Inflates the West's strength, moral standing or support, e.g. that NATO will "
        "crush Russia.",
        "Speculating war outcomes": "Confidently forecasts how the war ends, such as one side's army falling apart.",
        "Discrediting the West, Diplomacy": "Portrays Western countries as weak, split, hysterical or self-serving, "
        "and talks or negotiation as pointless.",
        "Negative Consequences for the West": "Says the war and the response to it will hurt the West itself, "
        "e.g. sanctions hitting back or refugees arriving.",
        "Distrust towards Media": "Tells readers that Western or Ukrainian media are lying or serve as propaganda.",
        "Amplifying war-related fears": "Stokes fear of escalation: a world war, nuclear strikes, attacks on other "
        "countries, NATO joining the fighting.",
        "Hidden plots by secret schemes of powerful groups": "Explains the war as the work of secret plans by "
        "hidden elites or powerful groups.",
    },
    "CC": {
        "Criticism of climate policies": "Says climate measures do not work, damage the economy or only make "
        "someone money.",
        "Criticism of institutions and authorities": "Attacks the EU, international bodies, governments or "
        "politicians over their climate actions.",
        "Climate change is beneficial": "Claims that more CO2 or a warmer climate is good for us.",
        "Downplaying climate change": "Minimises climate change: natural cycles, no real impact, no human cause, "
        "ice and seas unchanged, we will adapt.",
        "Questioning the measurements and science": "Casts doubt on climate data, methods, the greenhouse effect "
        "or the honesty of scientists.",
        "Criticism of climate movement": "Dismisses climate activists as alarmist or corrupt, or attacks them "
        "personally.",
        "Controversy about green technologies": "Presents renewable or low-carbon energy as dangerous, unreliable, "
        "too costly or not really green.",
        "Hidden plots by secret schemes of powerful groups": "Explains climate policy as a cover for the hidden "
        "aims of global elites.",
        "Amplifying Climate Fears": "Pushes alarm beyond the evidence: doom, an uninhabitable planet, too late to act.",
        "Green policies are geopolitical instruments": "Says climate policy is a tool by which powerful countries "
        "exploit or dominate others.",
    },
}


def narrative_label(domain: str, narrative: str) -> str:
    """``URW: Discrediting Ukraine``."""
    return f"{domain}: {narrative}"


def subnarrative_label(narrative_label_: str, subnarrative: str) -> str:
    """``URW: Discrediting Ukraine: Discrediting Ukrainian military``."""
    return f"{narrative_label_}: {subnarrative}"


def narrative_labels() -> list[str]:
    return [narrative_label(d, n) for d, narratives in TAXONOMY.items() for n in narratives]


def subnarrative_labels() -> list[str]:
    """Every subnarrative label, including ``<narrative>: Other`` for each narrative."""
    out = []
    for domain, narratives in TAXONOMY.items():
        for narrative, subs in narratives.items():
            parent = narrative_label(domain, narrative)
            out.extend(subnarrative_label(parent, s) for s in (*subs, OTHER))
    return out


def parent_of(subnarrative: str) -> str:
    """The narrative label a subnarrative label belongs to (its first two ``: ``-separated parts)."""
    parts = subnarrative.split(": ")
    if len(parts) < 3:
        raise ValueError(f"not a subnarrative label: {subnarrative!r}")
    return ": ".join(parts[:2])


def split_subnarrative(subnarrative: str) -> tuple[str, str]:
    """(narrative label, bare subnarrative name)."""
    parent = parent_of(subnarrative)
    return parent, subnarrative[len(parent) + 2 :]


def domain_of(label: str) -> str:
    return label.split(": ", 1)[0]


def definition(label: str) -> str | None:
    """Our definition of a narrative label (``URW: ...``), or None for an unknown one."""
    domain, _, name = label.partition(": ")
    return DEFINITIONS.get(domain, {}).get(name)


def describe_narrative(label: str) -> dict[str, str]:
    """Name and definition of a narrative label, for reports; KeyError when unknown."""
    text = definition(label)
    if text is None:
        raise KeyError(label)
    return {"name": label.partition(": ")[2], "definition": text}


def describe_subnarrative(label: str) -> dict[str, str]:
    """A subnarrative is shown by its own name, explained by its narrative; KeyError when unknown."""
    parent, name = split_subnarrative(label)
    domain, _, narrative = parent.partition(": ")
    if name != OTHER and name not in TAXONOMY.get(domain, {}).get(narrative, ()):
        raise KeyError(label)
    return {"name": name, "definition": f"Part of '{narrative}': {describe_narrative(parent)['definition']}"}
