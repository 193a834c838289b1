"""The three genres of SemEval-2023 Task 3 subtask 1. Definitions are our own wording."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Genre:
    id: str
    name: str
    definition: str


GENRES: dict[str, Genre] = {
    "opinion": Genre("opinion", "Opinion", "Argues a point of view: commentary, editorials, columns, analysis."),
    "reporting": Genre("reporting", "Reporting", "Tells what happened, aiming to inform rather than persuade."),
    "satire": Genre("satire", "Satire", "Mocks its subject through irony, exaggeration or invented stories."),
}
LABELS: tuple[str, ...] = tuple(GENRES)


def genre(genre_id: str) -> Genre:
    """The genre with this id; KeyError when unknown."""
    return GENRES[genre_id]
