"""Prompt interpretation: which family and kind, which materials on which slots, whole-object style words.

Deliberately small and rule-based (the engine must be deterministic and instant):
- the object is the *head noun*: the rightmost family noun in the first phrase (before a preposition or comma),
  longest phrases first, so compound nouns are one noun ("fire hydrant", "rubber duck", "coffee table") and a noun
  used as a modifier loses to the noun it modifies ("desk globe" is a globe); plurals and possessives are folded;
- the *kind* (the variant of the form) comes from the noun itself ("lamppost", "speedboat") or from qualifying words
  ("street" lamp, "rowing" boat), nearest the head noun first;
- a noun with no recipe of its own lands on its closest family through the family map ("harpsichord" -> piano),
  and only then on the generic form;
- adjectives queue up and bind at the next noun they describe: a part noun or "-ed" word ("iron-banded" -> the band
  slot), or the head noun (-> the family's main slots); leftovers bind to the main slots at the end
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
from app.engines.local.recipes import FAMILIES, GENERIC, RELATED, Family, Kind


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# words that end the head noun's phrase ("a lamp on a table": the lamp), and words that never name the object
BREAKS = _word_set(
    "with of on in for to from and having featuring under beside near by atop inside holding without against "
    "over across through behind above below between at into onto around along like shaped as that which who "
    "where sitting standing lying floating flying hanging ,"
)
STOPWORDS = _word_set(
    "a an the some one two three four five very made model 3d object style styled its it is this has have set "
    "piece render realistic detailed simple cute nice beautiful stylized stylised game asset prop toy lowpoly "
    "pair pile stack bunch lots"
)
# words that may follow the object without being one ("a box full of", "a teapot, please")
POSTNOMINAL = _word_set(
    "full empty open closed broken half please thanks thank you plz pls thing things design version"
)
_TOKEN = re.compile(r"[^\W_]+|,")


@dataclass(frozen=True, slots=True)
class Entry:
    """What a noun phrase names: a family, maybe one of its kinds, and whether it only resembles the family."""

    family: str
    kind: str | None = None
    related: bool = False


@dataclass(slots=True)
class SlotChoice:
    """What the prompt said about one slot (None = keep the recipe default)."""

    material: str | None = None
    colour: tuple[str, RGB] | None = None
    modifiers: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Interpretation:
    family: Family
    kind: Kind
    slots: dict[str, SlotChoice]
    global_modifiers: list[str]  # apply to every slot (e.g. "rusty": every metal)
    low_poly: bool
    scale: tuple[float, float]  # (xz, y)
    notes: list[str]


def normalise(text: str) -> list[str]:
    """Lower-case word tokens; "low-poly" in any spelling becomes one token, hyphens and possessives ("miner's")
    split off, commas kept."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"low[\s_-]*poly(gon)?", " lowpoly ", text)
    text = re.sub(r"(\w)'s\b", r"\1", text)
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
def vocabulary() -> tuple[dict[tuple[str, ...], Entry], int]:
    """Every noun phrase -> its entry (kind nouns first, then family nouns, then the family map), and the longest
    phrase's length."""
    words: dict[tuple[str, ...], Entry] = {}
    for fam in FAMILIES.values():
        for k in fam.kinds:
            for noun in k.nouns:
                words.setdefault(tuple(normalise(noun)), Entry(fam.name, k.name))
    for fam in FAMILIES.values():
        for noun in fam.nouns:
            words.setdefault(tuple(normalise(noun)), Entry(fam.name))
    for noun, target in RELATED.items():
        name, _, kind_name = target.partition(":")
        words.setdefault(tuple(normalise(noun)), Entry(name, kind_name or None, related=True))
    return words, max(len(k) for k in words)


@lru_cache(maxsize=1)
def _material_phrases() -> dict[tuple[str, ...], str]:
    return {tuple(normalise(k)): v for k, v in MATERIAL_WORDS.items()}


def _lookup(tokens: list[str], i: int) -> tuple[Entry, int] | None:
    """Longest noun phrase starting at token i -> (entry, length)."""
    words, longest = vocabulary()
    for n in range(min(longest, len(tokens) - i), 0, -1):
        head, last = tokens[i : i + n - 1], tokens[i + n - 1]
        if "," in head:
            continue
        for form in singular(last):
            hit = words.get((*head, form))
            if hit:
                return hit, n
    return None


def find_head(tokens: list[str]) -> tuple[Entry, int, int] | None:
    """(entry, start, end) of the head noun, or None."""
    matches: list[tuple[Entry, int, int]] = []
    i = 0
    while i < len(tokens):
        hit = _lookup(tokens, i)
        if hit:
            matches.append((hit[0], i, i + hit[1]))
            i += hit[1]
        else:
            i += 1
    if not matches:
        return None
    # the head phrase ends at the first break after a noun: "a gold and ruby ring" is one phrase (nothing before
    # its "and" is a noun), "a lamp on a table" is two
    first_break = next(
        (
            k
            for k, t in enumerate(tokens)
            if t in BREAKS and not any(s <= k < e for _, s, e in matches) and any(e <= k for _, _, e in matches)
        ),
        len(tokens),
    )
    head = [m for m in matches if m[2] <= first_break][-1]
    # a known noun followed by an unknown one is a modifier of it ("a stone gargoyle" is a gargoyle, not a rock)
    for t in tokens[head[2] : first_break]:
        if t.endswith(("ing", "ed")):  # "a signpost pointing two ways", "a car parked": the phrase is over
            break
        if _unknown(t):
            return None
    return head


def _unknown(token: str) -> bool:
    """A word the engine reads as nothing (neither an object, a colour, a material, nor a style or filler word)."""
    return token not in _known_words() and not token.isdigit() and not any(f in _known_words() for f in singular(token))


@lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    words, _ = vocabulary()
    materials = {w for k in MATERIAL_WORDS for w in normalise(k)}
    nouns = {w for phrase in words for w in phrase}
    return frozenset(
        set(COLOURS)
        | set(MODIFIERS)
        | set(SIZE_WORDS)
        | set(PART_WORDS)
        | STOPWORDS
        | LOW_POLY_WORDS
        | BREAKS
        | materials
        | nouns
        | POSTNOMINAL
    )


def choose_kind(fam: Family, entry: Entry, tokens: list[str], head: tuple[int, int]) -> Kind:
    """The kind the noun names, else the one whose qualifier stands nearest the head noun (its own phrase first)."""
    if entry.kind:
        return fam.kind(entry.kind)
    end = next((k for k in range(head[1], len(tokens)) if tokens[k] in BREAKS), len(tokens))
    best: tuple[tuple[int, int], Kind] | None = None
    for k in fam.kinds:
        for qualifier in k.words:
            q = tuple(normalise(qualifier))
            for i in range(len(tokens) - len(q) + 1):
                window = tuple(tokens[i : i + len(q)])
                if window != q and not (len(q) == 1 and q[0] in singular(tokens[i])):
                    continue
                outside = 0 if i < end else 1  # the head noun's own phrase beats the rest of the prompt
                rank = (outside, abs(i - head[0]))
                if best is None or rank < best[0]:
                    best = (rank, k)
    return best[1] if best else fam.kinds[0]


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
        if t not in known and t not in materials and t not in POSTNOMINAL and not t.isdigit():
            return t
    return None


def interpret(prompt: str) -> Interpretation:
    tokens = normalise(prompt)
    notes: list[str] = []
    found = find_head(tokens)
    if found:
        entry, start, end = found
        fam = FAMILIES[entry.family]
        chosen = choose_kind(fam, entry, tokens, (start, end))
        if entry.related:
            said = " ".join(tokens[start:end])
            notes.append(f"no recipe for '{said}': built the closest family, {fam.name}")
        if chosen is not fam.kinds[0]:
            notes.append(f"kind: {chosen.name}")
        head = (start, end)
    else:
        fam, head = GENERIC, (-1, -1)
        chosen = fam.kinds[0]
        noun = _unknown_noun(tokens)
        notes.append(
            f"unknown object '{noun}': used the generic form" if noun else "no object named: used the generic form"
        )
    return _bind(tokens, fam, chosen, head, notes)


def _bind(tokens: list[str], fam: Family, chosen: Kind, head: tuple[int, int], notes: list[str]) -> Interpretation:
    slots: dict[str, SlotChoice] = {}
    global_mods: list[str] = []
    low_poly = False
    sx = sy = 1.0
    pending = SlotChoice()
    phrases = _material_phrases()
    defaults, main, colour_slot = fam.defaults(chosen), fam.main(chosen), fam.colour(chosen)

    def bind(target: list[str] | None, what: str) -> None:
        nonlocal pending
        if pending.material is None and pending.colour is None and not pending.modifiers:
            return
        if target is None:  # default: materials -> main slots, a bare colour -> the colour slot
            target = list(main) if pending.material else [colour_slot]
        target = [s for s in target if s in defaults]
        if not target:
            said = " ".join(
                filter(None, [pending.colour[0] if pending.colour else None, pending.material, *pending.modifiers])
            )
            notes.append(f"ignored '{said}' for '{what}': a {fam.name} has no such part")
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
            bind(None, fam.name)
            i = head[1]
            continue
        mat = next((phrases[tuple(tokens[i : i + n])] for n in (3, 2, 1) if tuple(tokens[i : i + n]) in phrases), None)
        mat_len = next((n for n in (3, 2, 1) if tuple(tokens[i : i + n]) in phrases), 1)
        colour_word = next((f for f in singular(t) if f in COLOURS), None)
        part_slot = next(
            (fam.part_words.get(f) or PART_WORDS.get(f) for f in singular(t) if f in fam.part_words or f in PART_WORDS),
            None,
        )
        if t in LOW_POLY_WORDS:
            low_poly = True
        elif t in SIZE_WORDS:
            sx, sy = sx * SIZE_WORDS[t][0], sy * SIZE_WORDS[t][1]
        elif part_slot and (pending.material or pending.colour or pending.modifiers):
            bind([part_slot], t)
        elif part_slot and t in fam.part_words and (mat or colour_word):
            # "cup of coffee", "ruby ring": the word names the part and its material or colour at once
            if mat:
                pending.material = mat
            elif colour_word:
                pending.colour = (colour_word, COLOURS[colour_word])
            bind([part_slot], t)
        elif part_slot and mat is None:
            pass  # a part named with nothing to say about it
        elif t == "and" and pending.material:  # "a gold and ruby ring": the first group is complete
            bind(None, fam.name)
        elif mat is not None and (mat_len > 1 or t not in MODIFIERS):
            if pending.material and pending.material != mat:
                bind(None, fam.name)  # two materials in a row: the first one is done
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
    bind(None, fam.name)
    if low_poly:
        notes.append("low-poly style: coarse tessellation, flat shading")
    return Interpretation(fam, chosen, slots, global_mods, low_poly, (round(sx, 4), round(sy, 4)), notes)
