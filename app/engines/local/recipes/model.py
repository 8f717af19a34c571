"""What a recipe is: a family of objects (one noun and its synonyms), its kinds (variants picked by the words that
qualify the noun), default materials per slot, and a builder that turns seeded knobs into parts.

    @family("lamp", "lamp, lamps, lampshade", {"primary": "fabric:beige", "metal": "brass"},
            kinds=[kind("table"), kind("street", nouns="street lamp, lamppost", words="street", slots={...})])
    def lamp(k: Knobs, kind: str) -> list[Part]: ...

A build is a pure function of (knobs, kind): the knobs are a numpy Generator seeded from the prompt and the seed,
drawn in the builder's order, so ten seeds give ten variants (proportions, counts, details) and one seed always
gives the same one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.engines.local.parts import Part


class Knobs:
    """Seeded draws for one build (values rounded, so parts compare and print compactly), and the prompt's words:
    a feature the prompt asks for ("a cottage with a chimney") is built whatever the draw would have said."""

    def __init__(self, seed: int, words: frozenset[str] = frozenset()) -> None:
        self._rng = np.random.default_rng(seed)
        self._words = words

    def has(self, *words: str) -> bool:
        """Whether the prompt names any of these words (singular or plural)."""
        return any(w in self._words or f"{w}s" in self._words for w in words)

    def feature(self, p: float, *words: str) -> bool:
        """An optional feature: always there when the prompt names it, else there with probability p."""
        drawn = self.chance(p)  # drawn either way, so naming a feature changes nothing else
        return drawn or self.has(*words)

    def u(self, lo: float, hi: float) -> float:
        """Uniform in [lo, hi]."""
        return round(float(self._rng.uniform(lo, hi)), 4)

    def i(self, lo: int, hi: int) -> int:
        """Integer in [lo, hi], both included."""
        return int(self._rng.integers(lo, hi + 1))

    def pick(self, options: Sequence[Any]) -> Any:
        return options[int(self._rng.integers(len(options)))]

    def chance(self, p: float) -> bool:
        return bool(self._rng.random() < p)

    def var(self, x: float, rel: float = 0.12) -> float:
        """x, give or take `rel` of itself."""
        return round(x * float(self._rng.uniform(1.0 - rel, 1.0 + rel)), 4)


Builder = Callable[[Knobs, str], list[Part]]


def words(text: str) -> tuple[str, ...]:
    """ "a, b c, d" -> ("a", "b c", "d"): word lists are written as one comma-separated string."""
    return tuple(w.strip() for w in text.split(",") if w.strip())


@dataclass(frozen=True)
class Kind:
    """A variant of a family. `nouns` name it outright ("lamppost"); `words` select it when they qualify the
    family's noun ("street" lamp). Its slot defaults and binding rules override the family's."""

    name: str
    nouns: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    slots: Mapping[str, str] = field(default_factory=dict)
    main_slots: tuple[str, ...] | None = None
    colour_slot: str | None = None


def kind(
    name: str,
    nouns: str = "",
    words_: str = "",
    slots: Mapping[str, str] | None = None,
    main: tuple[str, ...] | None = None,
    colour: str | None = None,
) -> Kind:
    return Kind(name, words(nouns), words(words_), dict(slots or {}), main, colour)


@dataclass(frozen=True)
class Family:
    name: str
    nouns: tuple[str, ...]  # the name first, then synonyms and plurals the singular rules miss
    slots: Mapping[str, str]  # slot -> default "material[:colour]"
    make: Builder
    kinds: tuple[Kind, ...]  # the first is the default
    part_words: Mapping[str, str] = field(default_factory=dict)  # "blade" -> "primary"
    main_slots: tuple[str, ...] = ("primary",)  # where an unqualified material word goes
    colour_slot: str = "primary"  # where an unqualified colour word goes
    faceted: bool = False  # flat-shaded at every tier (rocks, gems)
    built: bool = False  # architecture: "stone" means dressed stone blocks, not a boulder's surface

    def kind(self, name: str | None) -> Kind:
        return next((k for k in self.kinds if k.name == name), self.kinds[0])

    def defaults(self, chosen: Kind) -> dict[str, str]:
        return {**self.slots, **chosen.slots}

    def main(self, chosen: Kind) -> tuple[str, ...]:
        return chosen.main_slots or self.main_slots

    def colour(self, chosen: Kind) -> str:
        return chosen.colour_slot or self.colour_slot

    def parts(self, knobs: Knobs, chosen: Kind) -> list[Part]:
        parts = self.make(knobs, chosen.name)
        undeclared = {p.slot for p in parts} - set(self.defaults(chosen))
        if undeclared:
            raise ValueError(f"{self.name}/{chosen.name} uses undeclared slots {sorted(undeclared)}")
        return parts


FAMILIES: dict[str, Family] = {}


def family(
    name: str,
    nouns: str,
    slots: Mapping[str, str],
    *,
    kinds: Sequence[Kind] = (),
    part_words: Mapping[str, str] | None = None,
    main: tuple[str, ...] = ("primary",),
    colour: str = "primary",
    faceted: bool = False,
    built: bool = False,
) -> Callable[[Builder], Builder]:
    """Register the decorated builder as a family (its default kind is named after the family unless given)."""

    def register(make: Builder) -> Builder:
        if name in FAMILIES:
            raise ValueError(f"family {name!r} is defined twice")
        all_kinds = tuple(kinds) or (Kind(name),)
        FAMILIES[name] = Family(
            name, (name, *words(nouns)), dict(slots), make, all_kinds, dict(part_words or {}), main, colour, faceted,
            built,
        )  # fmt: skip
        return make

    return register
