"""The text torch-gpt trains on: an invented village chronicle, made by a small
grammar from a fixed seed. Nothing is downloaded, and the text is the same on
every machine and every run.

The world is consistent (each villager keeps one trade, home and habit), so a
model that learns who is who predicts the text better than one that only
learns spelling. `python3 corpus.py` prints a sample.
"""
import random

PEOPLE = [
    ("mira", "weaver", "the loom house"), ("tobin", "miller", "the mill"),
    ("asha", "baker", "the bakery"), ("oren", "smith", "the forge"),
    ("lisel", "healer", "the herb garden"), ("bram", "fisher", "the river dock"),
    ("kaia", "shepherd", "the high pasture"), ("dov", "carpenter", "the workshop"),
    ("nell", "brewer", "the brewhouse"), ("pell", "potter", "the kiln yard"),
    ("wren", "scribe", "the old library"), ("hask", "guard", "the north gate"),
    ("ilsa", "farmer", "the barley fields"), ("corin", "mason", "the quarry"),
    ("tamsin", "beekeeper", "the orchard"), ("ulric", "innkeeper", "the crooked inn"),
]
GOODS = {
    "weaver": ["cloth", "wool", "a blue shawl"], "miller": ["flour", "meal", "sacks of grain"],
    "baker": ["bread", "honey cakes", "rye loaves"], "smith": ["nails", "a new blade", "horseshoes"],
    "healer": ["a tonic", "salve", "willow bark tea"], "fisher": ["trout", "eels", "a basket of perch"],
    "shepherd": ["wool", "cheese", "a young lamb"], "carpenter": ["a chair", "planks", "a cart wheel"],
    "brewer": ["ale", "cider", "a cask of mead"], "potter": ["bowls", "a water jar", "roof tiles"],
    "scribe": ["a letter", "a map", "the tax roll"], "guard": ["news", "a warning", "the gate key"],
    "farmer": ["barley", "turnips", "eggs"], "mason": ["stone", "a millstone", "mortar"],
    "beekeeper": ["honey", "wax", "candles"], "innkeeper": ["stew", "a warm bed", "gossip"],
}
WEATHER = ["rain came from the west", "the morning was cold and clear", "fog lay on the river",
           "the wind turned north", "snow fell on the high pasture", "the sun was warm by noon",
           "a storm passed over the hills", "the air smelled of smoke and apples"]
SEASONS = ["spring", "summer", "autumn", "winter"]
FEELINGS = ["glad", "tired", "worried", "proud", "angry", "quiet", "hopeful"]
NUMBERS = ["two", "three", "four", "five", "six", "seven", "ten", "twelve"]


def _sentence(rng, day):
    (a, ta, pa), (b, tb, pb) = rng.sample(PEOPLE, 2)
    ga, gb = rng.choice(GOODS[ta]), rng.choice(GOODS[tb])
    form = rng.randrange(9)
    if form == 0:
        return f"{a} the {ta} walked to {pb} and traded {ga} for {gb}."
    if form == 1:
        return f"at {pa}, {a} made {ga} for {b} the {tb}."
    if form == 2:
        return f"{rng.choice(WEATHER)}, so {a} stayed at {pa}."
    if form == 3:
        return f"{b} said that {a} the {ta} was {rng.choice(FEELINGS)} today."
    if form == 4:
        return f"{a} owes {b} {rng.choice(NUMBERS)} coins for {gb}."
    if form == 5:
        return f"on day {day}, {a} the {ta} did not leave {pa}."
    if form == 6:
        return f"the {ta} and the {tb} argued about {ga} until dark."
    if form == 7:
        return f"{b} the {tb} asked {a} for {ga}, and {a} said yes."
    return f"everyone knows that {a} works at {pa} and {b} works at {pb}."


def make_text(n_chars=400_000, seed=7):
    """A chronicle of at least n_chars characters (lower-case ASCII)."""
    rng = random.Random(seed)
    parts, size, day = [], 0, 1
    while size < n_chars:
        season = SEASONS[(day // 30) % 4]
        head = f"day {day}, {season}.\n"
        body = " ".join(_sentence(rng, day) for _ in range(rng.randint(3, 7)))
        entry = head + body + "\n\n"
        parts.append(entry)
        size += len(entry)
        day += 1
    return "".join(parts)


if __name__ == "__main__":
    print(make_text(2000))
