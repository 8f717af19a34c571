"""Prompt interpretation: which recipe, which materials on which slots, and whole-object style words.

Deliberately small and rule-based (the engine must be deterministic and instant):
- the category is the *head noun*: the rightmost recipe name/synonym in the first phrase (before a preposition or
  comma), multi-word synonyms first ("chest of drawers", "table lamp"), plurals folded;
- adjectives queue up and bind at the next noun they describe: a part noun or "-ed" word ("iron-banded" -> the
  band slot), or the head noun (-> the recipe's main slots); leftovers bind to the main slots at the end
  ("a chest, iron-banded wood" -> wood body).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from app.engines.local.materials import (
    COLOURS,
    LOW_POLY_WORDS,
    MATERIAL_WORDS,
    MODIFIERS,
    PART_WORDS,
    RGB,
    SIZE_WORDS,
)
from app.engines.local.recipes import GENERIC, RECIPES, Recipe, vocabulary

BREAKS = frozenset(
    {
        "with",
        "of",
        "on",
        "in",
        "for",
        "to",
        "from",
        "and",
        "having",
        "featuring",
        "under",
        "beside",
        "near",
        "by",
        "atop",
        "inside",
        "holding",
        "without",
        "against",
        ",",
    }
)
STOPWORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "some",
        "one",
        "two",
        "three",
        "very",
        "made",
        "model",
        "3d",
        "object",
        "style",
        "styled",
        "like",
        "its",
        "it",
        "is",
        "that",
        "this",
        "which",
        "has",
        "have",
        "set",
        "piece",
        "render",
        "realistic",
        "detailed",
        "simple",
        "cute",
        "nice",
        "beautiful",
        "stylized",
        "stylised",
        "game",
        "asset",
        "prop",
        "toy",
        "lowpoly",
    }
)
_TOKEN = re.compile(r"[^\W_]+|,")


@dataclass(slots=True)
class SlotChoice:
    """What the prompt said about one slot (None = keep the recipe default)."""

    material: str | None = None
    colour: tuple[str, RGB] | None = None
    modifiers: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Interpretation:
    recipe: Recipe
    slots: dict[str, SlotChoice]
    global_modifiers: list[str]  # apply to every slot (e.g. "rusty": every metal)
    low_poly: bool
    scale: tuple[float, float]  # (xz, y)
    notes: list[str]


def normalise(text: str) -> list[str]:
    """Lower-case word tokens; "low-poly" in any spelling becomes one token, hyphens split words, commas kept."""
    text = text.lower()
    text = re.sub(r"low[\s_-]*poly(gon)?", " lowpoly ", text)
    return _TOKEN.findall(text)


def singular(word: str) -> list[str]:
    """The word and its plausible singular forms (cheap rules: enough for object nouns)."""
    out = [word]
    if word.endswith("ies") and len(word) > 4:
        out.append(word[:-3] + "y")
    if word.endswith("ves") and len(word) > 4:
        out += [word[:-3] + "f", word[:-3] + "fe"]
    if word.endswith("es") and len(word) > 3:
        out.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        out.append(word[:-1])
    return out


@lru_cache(maxsize=1)
def _vocab() -> tuple[dict[tuple[str, ...], str], int]:
    words = {tuple(normalise(k)): v for k, v in vocabulary().items()}
    return words, max(len(k) for k in words)


@lru_cache(maxsize=1)
def _material_phrases() -> dict[tuple[str, ...], str]:
    return {tuple(normalise(k)): v for k, v in MATERIAL_WORDS.items()}


def _lookup_category(tokens: list[str], i: int) -> tuple[str, int] | None:
    """Longest recipe phrase starting at token i -> (recipe name, length)."""
    words, longest = _vocab()
    for n in range(min(longest, len(tokens) - i), 0, -1):
        head, last = tokens[i : i + n - 1], tokens[i + n - 1]
        if "," in head:
            continue
        for form in singular(last):
            hit = words.get((*head, form))
            if hit:
                return hit, n
    return None


def find_category(tokens: list[str]) -> tuple[str, int, int] | None:
    """(recipe, start, end) of the head noun, or None."""
    matches: list[tuple[str, int, int]] = []
    i = 0
    while i < len(tokens):
        hit = _lookup_category(tokens, i)
        if hit:
            matches.append((hit[0], i, i + hit[1]))
            i += hit[1]
        else:
            i += 1
    if not matches:
        return None
    first_break = next(
        (k for k, t in enumerate(tokens) if t in BREAKS and not any(s <= k < e for _, s, e in matches)), len(tokens)
    )
    in_head_phrase = [m for m in matches if m[2] <= first_break]
    return in_head_phrase[-1] if in_head_phrase else matches[0]


def _unknown_noun(tokens: list[str]) -> str | None:
    """The word the user most likely meant as the object: last unrecognised word of the first phrase."""
    first = []
    for t in tokens:
        if t in BREAKS:
            break
        first.append(t)
    known = set(COLOURS) | set(MODIFIERS) | set(SIZE_WORDS) | set(PART_WORDS) | STOPWORDS | LOW_POLY_WORDS
    materials = {w for k in MATERIAL_WORDS for w in normalise(k)}
    for t in reversed(first or tokens):
        if t not in known and t not in materials and not t.isdigit():
            return t
    return None


def interpret(prompt: str) -> Interpretation:
    tokens = normalise(prompt)
    notes: list[str] = []
    found = find_category(tokens)
    if found:
        recipe, head = RECIPES[found[0]], (found[1], found[2])
    else:
        recipe, head = GENERIC, (-1, -1)
        noun = _unknown_noun(tokens)
        notes.append(
            f"unknown object '{noun}': used the generic form" if noun else "no object named: used the generic form"
        )
    return _bind(tokens, recipe, head, notes)


def _bind(tokens: list[str], recipe: Recipe, head: tuple[int, int], notes: list[str]) -> Interpretation:
    slots: dict[str, SlotChoice] = {}
    global_mods: list[str] = []
    low_poly = False
    sx = sy = 1.0
    pending = SlotChoice()
    phrases = _material_phrases()

    def bind(target: list[str] | None, what: str) -> None:
        nonlocal pending
        if pending.material is None and pending.colour is None and not pending.modifiers:
            return
        if target is None:  # default: materials -> main slots, a bare colour -> the colour slot
            target = list(recipe.main_slots) if pending.material else [recipe.colour_slot]
        target = [s for s in target if s in recipe.slots]
        if not target:
            said = " ".join(
                filter(None, [pending.colour[0] if pending.colour else None, pending.material, *pending.modifiers])
            )
            notes.append(f"ignored '{said}' for '{what}': a {recipe.name} has no such part")
        for slot in target:
            choice = slots.setdefault(slot, SlotChoice())
            if pending.material:  # a colour said earlier for this slot survives ("a red chair made of plastic")
                choice.material = pending.material
            if pending.colour:
                choice.colour = pending.colour
            choice.modifiers += pending.modifiers
        pending = SlotChoice()

    i = 0
    while i < len(tokens):
        t = tokens[i]
        if i == head[0]:
            bind(None, recipe.name)
            i = head[1]
            continue
        mat = next((phrases[tuple(tokens[i : i + n])] for n in (3, 2, 1) if tuple(tokens[i : i + n]) in phrases), None)
        mat_len = next((n for n in (3, 2, 1) if tuple(tokens[i : i + n]) in phrases), 1)
        colour_word = next((f for f in singular(t) if f in COLOURS), None)
        part_slot = next(
            (
                recipe.part_words.get(f) or PART_WORDS.get(f)
                for f in singular(t)
                if f in recipe.part_words or f in PART_WORDS
            ),
            None,
        )
        if t in LOW_POLY_WORDS:
            low_poly = True
        elif t in SIZE_WORDS:
            sx, sy = sx * SIZE_WORDS[t][0], sy * SIZE_WORDS[t][1]
        elif part_slot and (pending.material or pending.colour or pending.modifiers):
            bind([part_slot], t)
        elif part_slot and t in recipe.part_words and (mat or colour_word):
            # "cup of coffee", "ruby ring": the word names the part and its material or colour at once
            if mat:
                pending.material = mat
            elif colour_word:
                pending.colour = (colour_word, COLOURS[colour_word])
            bind([part_slot], t)
        elif part_slot and mat is None:
            pass  # a part named with nothing to say about it
        elif t == "and" and pending.material:  # "a gold and ruby ring": the first group is complete
            bind(None, recipe.name)
        elif mat is not None and (mat_len > 1 or t not in MODIFIERS):
            if pending.material and pending.material != mat:
                bind(None, recipe.name)  # two materials in a row: the first one is done
            pending.material = mat
            i += mat_len
            continue
        elif t in COLOURS:
            pending.colour = (t, COLOURS[t])
        elif t in ("rusty", "rusted"):
            global_mods.append(t)
        elif t in MODIFIERS:
            pending.modifiers.append(t)
        i += 1
    bind(None, recipe.name)
    if low_poly:
        notes.append("low-poly style: coarse tessellation, flat shading")
    return Interpretation(recipe, slots, global_mods, low_poly, (round(sx, 4), round(sy, 4)), notes)
