"""Label sets with stable ids, display names and definitions.

``describe(kind, label)`` is how reports show any label: techniques, narratives, subnarratives, roles, frames,
genres. Each label set lives in its own module here (``techniques.py``, ``narratives.py``, ...). A module can
expose a lookup function named for one label (``role(id)``, ``frame(id)``; or ``describe(id)``) that returns an
object or dict with ``definition`` (and ``name`` if the id is not already readable) or raises KeyError, or a
mapping ``LABELS`` / ``BY_ID`` of id -> such an object. An unknown label, or a missing module, gives the raw id and
no definition, so a report never fails on a label it has not heard of.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any


@dataclass(frozen=True, slots=True)
class LabelInfo:
    id: str
    name: str
    definition: str = ""
    group: str | None = None
    colour: str | None = None


# kind -> module under propscope.taxonomy that owns it
MODULES: dict[str, str] = {
    "techniques": "techniques",
    "narratives": "narratives",
    "subnarratives": "narratives",
    "roles": "roles",
    "frames": "frames",
    "genres": "genres",
}
_MAPPINGS = ("LABELS", "BY_ID")


def describe(kind: str, label: str) -> LabelInfo:
    """Display name and definition of ``label`` in the label set ``kind``; the raw id when unknown."""
    module = _module(kind)
    found = _lookup(module, kind, label) if module is not None else None
    return found or LabelInfo(id=label, name=label)


def display_name(kind: str, label: str) -> str:
    return describe(kind, label).name


def definition(kind: str, label: str) -> str:
    return describe(kind, label).definition


def _module(kind: str) -> ModuleType | None:
    name = MODULES.get(kind)
    if name is None:
        return None
    try:
        return importlib.import_module(f"propscope.taxonomy.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"propscope.taxonomy.{name}":
            return None  # that label set is not written (yet): fall back to raw ids
        raise


def _lookup(module: ModuleType, kind: str, label: str) -> LabelInfo | None:
    if kind == "techniques":
        return _technique_info(label)
    singular = kind.removesuffix("s")
    for hook_name in (f"describe_{singular}", "describe", singular):
        hook = getattr(module, hook_name, None)
        if callable(hook):
            try:
                return _as_info(hook(label), label)
            except (LookupError, ValueError, TypeError):  # an odd lookup must not break a report
                return None
    for attr in (f"{kind.upper()}", *_MAPPINGS):
        mapping = getattr(module, attr, None)
        if isinstance(mapping, dict) and label in mapping:
            return _as_info(mapping[label], label)
    return None


def _technique_info(label: str) -> LabelInfo | None:
    from propscope.taxonomy import techniques

    if not techniques.is_technique(label):
        return None
    t = techniques.technique(label)
    return LabelInfo(id=t.id, name=t.name, definition=t.definition, group=t.group, colour=t.colour)


def _as_info(obj: Any, label: str) -> LabelInfo | None:
    """Accept a LabelInfo, an object or dict with name/definition, or a plain definition string."""
    if obj is None or isinstance(obj, LabelInfo):
        return obj
    if isinstance(obj, str):
        return LabelInfo(id=label, name=label, definition=obj)
    get = obj.get if isinstance(obj, dict) else lambda key: getattr(obj, key, None)
    name = get("name") or get("display_name") or get("title") or label
    return LabelInfo(
        id=label,
        name=str(name),
        definition=str(get("definition") or get("description") or ""),
        group=get("group"),
        colour=get("colour") or get("color"),
    )
