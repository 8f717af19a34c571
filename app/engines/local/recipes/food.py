"""Food: fruit and vegetables, bakes and sweets, fast food. Sizes are real (a donut is 10 cm across)."""

# ruff: noqa: E501
# fmt: off

from __future__ import annotations

from math import cos, radians, sin

from app.engines.local.parts import Part, box, capsule, cyl, extrude, hemi, lathe, rbox, sphere, torus, tube
from app.engines.local.recipes.model import Knobs, family, kind
from app.engines.local.recipes.shapes import around, turn


@family("apple", "apples, red apple, green apple, fruit, fruits, pear, pears, peach, plum, orange, oranges, lemon, lime fruit", {"primary": "apple skin", "secondary": "bark", "foliage": "leaves"},
        kinds=[kind("apple"), kind("pear", nouns="pear, pears", slots={"primary": "apple skin:lime"}), kind("orange", nouns="orange, oranges, tangerine, mandarin", slots={"primary": "plastic:orange"}),
               kind("lemon", nouns="lemon, lemons", slots={"primary": "plastic:yellow"})],
        part_words={"stem": "secondary", "leaf": "foliage"})
def apple(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.045, 0.055)
    if kind == "pear":
        prof = [(0, 0.006, 1), (r * 0.5, 0.0), (r * 0.95, r * 0.5), (r, r * 1.0), (r * 0.6, r * 1.6), (r * 0.45, r * 2.1), (0.005, r * 2.3, 1)]
    elif kind in ("orange", "lemon"):
        stretch = 1.3 if kind == "lemon" else 0.95
        return [sphere("primary", r, at=(0, r * stretch, 0), scale=(1, stretch, 1)) if kind == "orange" else sphere("primary", r, at=(0, r, 0), scale=(1, 1, stretch)),
                cyl("secondary", 0.004, 0.006, at=(0, r * 2 * (stretch if kind == "orange" else 1) - 0.002, 0))]
    else:
        prof = [(0, 0.008, 1), (r * 0.3, 0.0), (r * 0.8, r * 0.15), (r, r * 0.65), (r * 0.95, r * 1.2), (r * 0.65, r * 1.55), (r * 0.22, r * 1.5), (0, r * 1.35, 1)]
    top = prof[-1][1]
    return [
        lathe("primary", prof),
        tube("secondary", [(0, top, 0), (0.002, top + 0.015, 0), (0.008, top + 0.028, 0)], 0.003),
        extrude("foliage", [(0, 0, 1), (0.01, 0.007), (0.025, 0.008), (0.04, 0, 1), (0.025, -0.007), (0.01, -0.006)], 0.002, at=(0.004, top + 0.018, 0), rot=(30, 0, 20), smooth=True),
    ][: 3 if k.chance(0.7) else 2]


@family("banana", "bananas, bunch of bananas, plantain", {"primary": "plastic:yellow", "secondary": "bark"}, part_words={"stem": "secondary"})
def banana(k: Knobs, kind: str) -> list[Part]:
    n = k.pick([1, 1, 3])
    parts = []
    for i in range(n):
        length, bend = k.u(0.16, 0.2), k.u(0.04, 0.06)
        path = [(length * (t - 0.5), bend * (1 - (2 * t - 1) ** 2) + 0.02, (i - (n - 1) / 2) * 0.035) for t in (0, 0.2, 0.4, 0.6, 0.8, 1.0)]
        parts.append(tube("primary", path, (0.006, 0.016, 0.019, 0.019, 0.015, 0.006)))
        parts.append(cyl("secondary", 0.005, 0.02, at=path[-1], rot=(0, 0, -60)))
    return parts


@family("carrot", "carrots, parsnip, radish", {"primary": "pumpkin", "foliage": "leaves"}, part_words={"leaves": "foliage", "greens": "foliage"})
def carrot(k: Knobs, kind: str) -> list[Part]:
    length, r = k.u(0.16, 0.22), k.u(0.018, 0.024)
    return [lathe("primary", [(0, 0, 1), (r * 0.3, length * 0.15), (r * 0.8, length * 0.7), (r, length, 1), (0, length, 1)], at=(-length / 2, r, 0), rot=(0, 0, -90)),
            *[tube("foliage", [(length / 2, r, 0), (length / 2 + 0.03, r + 0.02 * s, 0.01 * s), (length / 2 + 0.08, r + 0.04 * s + 0.02, 0.02 * s)], 0.003) for s in (-1, 0, 1)],
            *[torus("primary", r * 0.6 + r * 0.3 * t, 0.0015, at=(-length / 2 + length * t, r, 0), rot=(0, 0, 90)) for t in (0.4, 0.6, 0.8)]]


@family("watermelon", "watermelons, melon, melons, watermelon slice, slice of watermelon, cantaloupe", {"primary": "apple skin:green", "flesh": "apple skin:red", "rind": "paint:white", "seeds": "obsidian", "secondary": "bark"},
        part_words={"rind": "rind", "flesh": "flesh", "seeds": "seeds"})
def watermelon(k: Knobs, kind: str) -> list[Part]:
    if k.chance(0.5):
        r = k.u(0.14, 0.18)
        return [sphere("primary", r, at=(0, r * 0.85, 0), scale=(1.25, 0.85, 1)), cyl("secondary", 0.006, 0.01, at=(r * 1.2, r * 0.85, 0), rot=(0, 0, -90))]
    r = k.u(0.14, 0.18)
    w = k.u(0.03, 0.05)
    slice_ = [(r * cos(radians(a)), r * sin(radians(a))) for a in range(0, 181, 15)]
    inner = [(r * 0.85 * cos(radians(a)), r * 0.85 * sin(radians(a))) for a in range(0, 181, 15)]
    seeds = [(r * 0.55 * cos(radians(a)), r * 0.55 * sin(radians(a))) for a in range(30, 160, 25)]
    return [extrude("primary", slice_, w, at=(0, 0, 0)), extrude("flesh", inner, w + 0.004, at=(0, 0.01, 0)),
            *[sphere("seeds", 0.006, at=(x, y + 0.01, s * (w / 2 + 0.002)), scale=(0.6, 1, 0.4)) for x, y in seeds for s in (-1, 1)]]


@family("donut", "donuts, doughnut, doughnuts, bagel, cruller, glazed donut", {"primary": "dough", "frosting": "frosting", "accent": "plastic:yellow", "secondary": "plastic:cyan", "detail": "plastic:white"},
        part_words={"icing": "frosting", "frosting": "frosting", "glaze": "frosting", "sprinkles": "accent"}, colour="frosting")
def donut(k: Knobs, kind: str) -> list[Part]:
    R, r = k.u(0.04, 0.05), k.u(0.022, 0.028)
    parts = [torus("primary", R, r, at=(0, r * 0.85, 0), scale=(1, 0.85, 1)), torus("frosting", R, r * 1.02, at=(0, r * 1.1, 0), scale=(1, 0.6, 1))]
    for i in range(k.i(8, 16)):
        a, d = k.u(0, 360), R + k.u(-r * 0.6, r * 0.6)
        parts.append(capsule(("accent", "secondary", "detail")[i % 3], 0.0025, 0.012, at=(d * sin(radians(a)), r * 1.75, d * cos(radians(a))), rot=(90, k.u(0, 180), 0)))
    return parts


@family("cake", "cakes, birthday cake, wedding cake, gateau, torte, cheesecake, layer cake, chocolate cake", {"primary": "frosting", "secondary": "frosting:white", "accent": "apple skin", "detail": "wax", "flame": "flame"},
        part_words={"icing": "primary", "frosting": "primary", "cherries": "accent", "candles": "detail"})
def cake(k: Knobs, kind: str) -> list[Part]:
    tiers = k.i(1, 3)
    r, h = k.u(0.12, 0.16), k.u(0.07, 0.1)
    parts, y = [], 0.0
    for i in range(tiers):
        rr = r * (1 - 0.3 * i)
        parts += [cyl("primary", rr, h, at=(0, y, 0)), torus("secondary", rr, 0.01, at=(0, y + h, 0)), torus("secondary", rr, 0.007, at=(0, y + 0.006, 0))]
        y += h
    top = r * (1 - 0.3 * (tiers - 1))
    parts += [sphere("accent", 0.013, at=(x, y + 0.012, z)) for x, _, z, _ in around(k.i(5, 8), top * 0.75, 0)]
    candles = k.i(0, 5)
    parts += [cyl("detail", 0.004, 0.05, at=(x, y, z)) for x, _, z, _ in around(candles, top * 0.35, 0, 30)]
    parts += [lathe("flame", [(0, 0, 1), (0.005, 0.006), (0.004, 0.014), (0, 0.022, 1)], at=(x, y + 0.053, z)) for x, _, z, _ in around(candles, top * 0.35, 0, 30)]
    return parts


@family("cupcake", "cupcakes, muffin, muffins, fairy cake", {"primary": "paper:pink", "frosting": "frosting", "accent": "apple skin", "sponge": "cake sponge"},
        part_words={"icing": "frosting", "frosting": "frosting", "cherry": "accent", "wrapper": "primary", "case": "primary"}, colour="frosting")
def cupcake(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.028, 0.034), k.u(0.035, 0.045)
    swirls = k.i(2, 4)
    parts = [lathe("primary", [(0, 0, 1), (r * 0.8, 0, 1), (r, h, 1), (0, h, 1)], segments=16), hemi("sponge", r * 1.05, at=(0, h, 0), scale=(1, 0.5, 1))]
    parts += [torus("frosting", r * (0.85 - 0.22 * i), r * (0.3 - 0.05 * i), at=(0, h + r * 0.35 + r * 0.38 * i, 0)) for i in range(swirls)]
    if k.chance(0.7):
        parts.append(sphere("accent", r * 0.25, at=(0, h + r * 0.4 + r * 0.38 * swirls, 0)))
    return parts


@family("pizza", "pizzas, pizza slice, slice of pizza, pepperoni pizza, margherita", {"primary": "bread crust", "sauce": "apple skin", "cheese": "cheese", "topping": "meat:red", "foliage": "leaves"},
        part_words={"pepperoni": "topping", "cheese": "cheese", "sauce": "sauce", "crust": "primary", "basil": "foliage", "toppings": "topping"})
def pizza(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.14, 0.18)
    slices_missing = k.pick([0, 0, 1, 2])
    sweep = 360 - 45 * slices_missing
    parts = [lathe("primary", [(0, 0, 1), (r, 0, 1), (r * 1.02, 0.012), (r * 0.97, 0.02), (r * 0.9, 0.012, 1), (0, 0.012, 1)], sweep=sweep),
             lathe("cheese", [(0, 0.012, 1), (r * 0.9, 0.012, 1), (r * 0.88, 0.016, 1), (0, 0.016, 1)], sweep=sweep)]
    for _i in range(k.i(6, 12)):
        a, d = k.u(0, sweep - 10), k.u(0.2, 0.8) * r
        parts.append(cyl("topping", 0.014, 0.004, at=(d * sin(radians(a)), 0.015, d * cos(radians(a)))))
    return parts


@family("burger", "burgers, hamburger, hamburgers, cheeseburger, cheeseburgers, veggie burger, sandwich burger", {"primary": "bread crust", "meat": "meat", "cheese": "cheese", "foliage": "leaves", "tomato": "apple skin", "seeds": "paper"},
        part_words={"bun": "primary", "patty": "meat", "cheese": "cheese", "lettuce": "foliage", "tomato": "tomato", "sesame": "seeds"})
def burger(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.055, 0.065)
    patties = k.pick([1, 1, 2])
    parts = [cyl("primary", r, 0.02, r_top=r * 0.98)]
    y = 0.02
    for _ in range(patties):
        parts += [cyl("meat", r * 1.05, 0.016, at=(0, y, 0)), box("cheese", (r * 1.8, 0.004, r * 1.8), at=(0, y + 0.018, 0), rot=(0, k.u(0, 90), 0))]
        y += 0.02
    parts += [cyl("foliage", r * 1.08, 0.006, at=(0, y, 0)), cyl("tomato", r * 0.9, 0.006, at=(0, y + 0.006, 0))]
    y += 0.012
    parts.append(hemi("primary", r, at=(0, y, 0), scale=(1, 0.75, 1)))
    parts += [sphere("seeds", 0.003, at=(r * 0.6 * sin(radians(a)), y + r * 0.55, r * 0.6 * cos(radians(a))), scale=(1, 0.5, 1.6)) for a in range(0, 360, 40)]
    return parts


@family("ice cream", "ice creams, ice cream cone, ice-cream, icecream, gelato, ice cream cone, sundae, soft serve, popsicle, ice lolly", {"primary": "waffle", "scoop": "frosting", "second": "frosting:white", "accent": "apple skin"},
        kinds=[kind("cone"), kind("popsicle", nouns="popsicle, ice lolly, ice pop, lolly", slots={"scoop": "frosting:orange", "primary": "wood"})],
        part_words={"cone": "primary", "scoop": "scoop", "cherry": "accent"}, colour="scoop")
def ice_cream(k: Knobs, kind: str) -> list[Part]:
    if kind == "popsicle":
        return [rbox("scoop", (0.05, k.u(0.08, 0.1), 0.02), 0.012, at=(0, 0.1, 0)), box("primary", (0.012, 0.06, 0.004), at=(0, 0.03, 0))]
    h, r = k.u(0.11, 0.14), k.u(0.03, 0.036)
    scoops = k.i(1, 3)
    parts = [lathe("primary", [(0, 0, 1), (r, h, 1), (r * 1.1, h + 0.006, 1), (0, h + 0.006, 1)])]
    for i in range(scoops):
        parts.append(sphere("scoop" if i % 2 == 0 else "second", r * 1.1, at=(0, h + r * (0.6 + 1.4 * i), 0)))
    if k.chance(0.5):
        parts.append(sphere("accent", r * 0.3, at=(0, h + r * (0.6 + 1.4 * (scoops - 1)) + r * 1.2, 0)))
    return parts


@family("hot dog", "hot dogs, hotdog, hotdogs, corn dog, frankfurter, sausage in a bun", {"primary": "bread crust", "sausage": "meat:red", "sauce": "paint:yellow", "ketchup": "apple skin"},
        part_words={"bun": "primary", "sausage": "sausage", "mustard": "sauce", "ketchup": "ketchup"})
def hot_dog(k: Knobs, kind: str) -> list[Part]:
    length = k.u(0.15, 0.2)
    parts = [*[capsule("primary", 0.022, length, at=(-length / 2, 0.022, s * 0.016), rot=(0, 0, -90), scale=(1, 1, 0.8)) for s in (-1, 1)],
             capsule("sausage", 0.014, length * 1.15, at=(-length * 0.575, 0.034, 0), rot=(0, 0, -90))]
    parts.append(tube("sauce", [(-length * 0.4 + length * 0.8 * t / 8, 0.049, 0.007 * ((-1) ** t)) for t in range(9)], 0.003))
    return parts


@family("bread", "breads, loaf, loaf of bread, baguette, baguettes, bun, buns, roll, croissant, sourdough", {"primary": "bread crust", "secondary": "dough"},
        kinds=[kind("loaf"), kind("baguette", nouns="baguette, baguettes, french bread, french stick"), kind("croissant", nouns="croissant, croissants")],
        part_words={"crust": "primary"})
def bread(k: Knobs, kind: str) -> list[Part]:
    if kind == "baguette":
        length = k.u(0.55, 0.7)
        return [capsule("primary", 0.035, length, at=(-length / 2, 0.035, 0), rot=(0, 0, -90), scale=(1, 0.9, 1)),
                *[capsule("secondary", 0.008, 0.06, at=(x, 0.064, 0.0), rot=turn(("z", -90), ("y", 30))) for x in (-0.18, -0.06, 0.06, 0.18)]]
    if kind == "croissant":
        s, curl = k.u(0.85, 1.15), k.u(0.02, 0.045)
        return [tube("primary", [(-0.08 * s, 0.015, curl), (-0.05 * s, 0.03, 0.0), (0, 0.035, -0.02), (0.05 * s, 0.03, 0.0), (0.08 * s, 0.015, curl)], (0.01, 0.025, 0.032 * s, 0.025, 0.01))]
    length, w = k.u(0.22, 0.3), k.u(0.11, 0.14)
    parts = [capsule("primary", w / 2, length, at=(-length / 2, w * 0.4, 0), rot=(0, 0, -90), scale=(1, 0.85, 1))]
    parts += [capsule("secondary", 0.01, w * 0.8, at=(x, w * 0.82, -w * 0.4), rot=(90, 0, 0)) for x in (-length * 0.2, 0.0, length * 0.2)[: k.i(2, 3)]]
    return parts


@family("cheese", "cheeses, wedge of cheese, cheese wedge, cheese wheel, swiss cheese, cheddar", {"primary": "cheese", "rind": "cheese:amber"}, part_words={"rind": "rind"})
def cheese(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.12, 0.16), k.u(0.06, 0.08)
    sweep = k.u(35, 60)
    parts = [lathe("primary", [(0, 0, 1), (r, 0, 1), (r, h, 1), (0, h, 1)], sweep=sweep), lathe("rind", [(r - 0.002, 0, 1), (r + 0.003, 0, 1), (r + 0.003, h, 1), (r - 0.002, h, 1)], closed=True, sweep=sweep)]
    parts += [sphere("rind", 0.008, at=(r * f * sin(radians(sweep * g)), h * j, r * f * cos(radians(sweep * g))), scale=(1, 1, 1)) for f, g, j in ((0.5, 0.4, 1.0), (0.75, 0.6, 0.5), (0.3, 0.8, 1.0))]
    return parts


@family("egg", "eggs, chicken egg, easter egg, boiled egg, egg cup", {"primary": "porcelain:cream", "secondary": "paint:blue"},
        kinds=[kind("egg"), kind("easter", nouns="easter egg, painted egg, chocolate egg", words_="easter, painted, decorated", slots={"primary": "paint:pink", "secondary": "paint:yellow"})],
        part_words={"stripes": "secondary", "pattern": "secondary"})
def egg(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.022, 0.028)
    parts = [lathe("primary", [(0, 0, 1), (r * 0.7, r * 0.2), (r, r * 0.9), (r * 0.82, r * 1.7), (r * 0.4, r * 2.25), (0, r * 2.4, 1)])]
    if kind == "easter":
        parts += [torus("secondary", r * (0.98 if y < 1.2 else 0.85), r * 0.08, at=(0, r * y, 0)) for y in (0.8, 1.2, 1.6)]
    return parts


@family("cookie", "cookies, biscuit, biscuits, chocolate chip cookie, gingerbread, gingerbread man, cracker", {"primary": "dough", "chips": "chocolate"}, part_words={"chips": "chips"})
def cookie(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.035, 0.045)
    return [cyl("primary", r, 0.01, r_top=r * 0.96), *[sphere("chips", 0.004, at=(r * f * sin(radians(a)), 0.01, r * f * cos(radians(a)))) for a, f in [(k.u(0, 360), k.u(0.1, 0.85)) for _ in range(k.i(5, 9))]]]


@family("lollipop", "lollipops, lolly, candy, candies, sweet, sweets, candy cane, swirl lollipop", {"primary": "frosting", "secondary": "frosting:white", "stick": "paper"},
        kinds=[kind("lollipop"), kind("candy cane", nouns="candy cane, candy canes", slots={"primary": "apple skin", "secondary": "frosting:white"})],
        part_words={"stick": "stick", "swirl": "secondary"})
def lollipop(k: Knobs, kind: str) -> list[Part]:
    if kind == "candy cane":
        h = k.u(0.2, 0.26)
        return [tube("primary", [(0, 0, 0), (0, h, 0), (0.02, h + 0.035, 0), (0.05, h + 0.035, 0), (0.065, h + 0.01, 0)], 0.009),
                *[torus("secondary", 0.0092, 0.0025, at=(0, h * t, 0), rot=(25, 0, 0)) for t in (0.1, 0.25, 0.4, 0.55, 0.7, 0.85)]]
    r, stick = k.u(0.035, 0.05), k.u(0.1, 0.14)
    return [cyl("stick", 0.003, stick), cyl("primary", r, 0.015, at=(0, stick + r, -0.0075), rot=(90, 0, 0)),
            tube("secondary", [(r * 0.9 * (t / 24) * cos(radians(t * 40)), stick + r + r * 0.9 * (t / 24) * sin(radians(t * 40)), 0.008) for t in range(25)], 0.003)]
