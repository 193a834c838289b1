"""The 14 frames of SemEval-2023 Task 3 subtask 2 (after the Media Frames Corpus): the angle from which an article
presents its topic. Ids are spelled as in the task data; names and definitions are our own wording."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Frame:
    id: str
    name: str
    definition: str


_FRAMES = (
    ("Economic", "Economic", "Costs, benefits, money, jobs and other financial consequences."),
    (
        "Capacity_and_resources",
        "Capacity and resources",
        "Whether there is enough of something: people, supplies, infrastructure, time or means.",
    ),
    ("Morality", "Morality", "Right and wrong, religious or ethical duty, social responsibility."),
    (
        "Fairness_and_equality",
        "Fairness and equality",
        "Whether rights, burdens or rewards are shared fairly among people or groups; discrimination.",
    ),
    (
        "Legality_Constitutionality_and_jurisprudence",
        "Legality and jurisprudence",
        "Laws, courts, constitutional rights and the legal limits of power.",
    ),
    (
        "Policy_prescription_and_evaluation",
        "Policy prescription and evaluation",
        "Which policy should be adopted and whether an existing one works.",
    ),
    ("Crime_and_punishment", "Crime and punishment", "Breaking the law, enforcement, sentences and punishment."),
    (
        "Security_and_defense",
        "Security and defence",
        "Threats to a nation or people and protecting them: war, terrorism, military.",
    ),
    ("Health_and_safety", "Health and safety", "Health care, disease, injury, safety of people and products."),
    ("Quality_of_life", "Quality of life", "How people's daily lives, wellbeing and opportunities are affected."),
    (
        "Cultural_identity",
        "Cultural identity",
        "Traditions, customs, language and the identity of a community or nation.",
    ),
    ("Public_opinion", "Public opinion", "What the public thinks: polls, protests, popular mood."),
    ("Political", "Political", "Politics as a contest: parties, elections, politicians' tactics and standing."),
    (
        "External_regulation_and_reputation",
        "External regulation and reputation",
        "A country's standing abroad and its relations with other countries and international bodies.",
    ),
)

FRAMES: dict[str, Frame] = {i: Frame(i, n, d) for i, n, d in _FRAMES}
LABELS: tuple[str, ...] = tuple(FRAMES)


def frame(frame_id: str) -> Frame:
    """The frame with this id; KeyError when unknown."""
    return FRAMES[frame_id]
