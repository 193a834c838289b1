"""Entity framing roles (SemEval-2025 Task 10 subtask 1): 3 main roles, 22 fine roles.

Definitions are ours. Every fine role belongs to exactly one main role.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    main: str  # the main role this fine role belongs to; equal to id for main roles
    definition: str


MAIN_ROLES: tuple[Role, ...] = (
    Role("Protagonist", "Protagonist", "Cast as the hero: acts rightly, defends, resists or brings peace."),
    Role("Antagonist", "Antagonist", "Cast as the villain: causes harm, lies, threatens or betrays."),
    Role("Innocent", "Innocent", "Cast as the victim: suffers harm or neglect without being to blame."),
)

FINE_ROLES: tuple[Role, ...] = (
    Role("Guardian", "Protagonist", "Protects the group or the nation from a threat."),
    Role("Martyr", "Protagonist", "Suffers or dies for a cause the article honours."),
    Role("Peacemaker", "Protagonist", "Seeks talks, compromise or an end to conflict."),
    Role("Rebel", "Protagonist", "Stands up against an oppressive power, often at personal cost."),
    Role("Underdog", "Protagonist", "Weaker side that fights on against a stronger opponent."),
    Role("Virtuous", "Protagonist", "Praised for moral qualities: honest, wise, generous, principled."),
    Role("Instigator", "Antagonist", "Starts or provokes the conflict or crisis."),
    Role("Conspirator", "Antagonist", "Plots in secret with others towards a hidden goal."),
    Role("Tyrant", "Antagonist", "Rules by force and fear; crushes dissent."),
    Role("Foreign Adversary", "Antagonist", "An outside power cast as hostile to the nation or group."),
    Role("Traitor", "Antagonist", "Betrays their own side, country or cause."),
    Role("Spy", "Antagonist", "Gathers secrets or works covertly for an enemy."),
    Role("Saboteur", "Antagonist", "Undermines or wrecks efforts from within."),
    Role("Corrupt", "Antagonist", "Abuses position for money or power."),
    Role("Incompetent", "Antagonist", "Fails through weakness, ignorance or bungling."),
    Role("Terrorist", "Antagonist", "Uses violence against civilians to intimidate."),
    Role("Deceiver", "Antagonist", "Lies, spreads falsehoods or manipulates the public."),
    Role("Bigot", "Antagonist", "Shows prejudice or hatred towards a group."),
    Role("Forgotten", "Innocent", "Suffering that is ignored or overlooked by those who should help."),
    Role("Exploited", "Innocent", "Used by others for their own gain."),
    Role("Victim", "Innocent", "Harmed by the actions of others."),
    Role("Scapegoat", "Innocent", "Blamed unfairly for problems not of their making."),
)

MAIN_ROLE_IDS: tuple[str, ...] = tuple(r.id for r in MAIN_ROLES)
FINE_ROLE_IDS: tuple[str, ...] = tuple(r.id for r in FINE_ROLES)
_BY_ID = {r.id: r for r in (*MAIN_ROLES, *FINE_ROLES)}


def role(role_id: str) -> Role:
    """The role with this id; KeyError names the unknown id."""
    try:
        return _BY_ID[role_id]
    except KeyError:
        raise KeyError(f"unknown role {role_id!r}") from None


def fine_roles_of(main: str) -> tuple[str, ...]:
    return tuple(r.id for r in FINE_ROLES if r.main == main)
