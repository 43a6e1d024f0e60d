"""Comparing names and wording as different writers spell them; pure and deterministic.

Shared by `briefer.evaluate` (is a predicted actor the gold one?) and `briefer.merge` (is this
actor of one source's briefing that actor of another's?), so both read a name the same way.

- `normalise_name`: diacritics dropped, case-folded, a possessive 's dropped, periods and
  apostrophes removed ("U.S." -> "us"), other punctuation made a space, runs of single letters
  joined ("u s" -> "us"), a leading "the" dropped.
- `fold_word` / `fold_name`: the same name under another romanisation. A small table of
  irregular pairs (`IRREGULAR`: Kiev/Kyiv...), then rules applied to each normalised word:
  a leading "ye" read as "e" (Yelena/Elena, Yevgeny/Evgeny); "ck" -> "k"; "y" -> "i" (so
  the endings -iy, -yy, -yi, -y and -ij agree: Zelensky, Zelenskyy, Zelenskiy); doubled
  letters made single (Odessa/Odesa); a final "-ov" read as "-iv" (Kharkov/Kharkiv,
  Lvov/Lviv). Both sides are folded, so a rule can only make two spellings agree, never
  tell two equal ones apart.
- `same_person`: two person names whose surnames (last words) agree once folded, and whose
  given names do not clash: one is missing, one is the other's initial, they agree once
  folded, or their consonants agree (Vladimir/Volodymyr, Aleksandr/Oleksandr, Dmitry/Dmytro).
  Consonants count only when there are three or more, so "Anna" and "Anne", or "Ian" and
  "Ion", stay different people; so do "Taras" and "Volodymyr" with one surname.
"""

from __future__ import annotations

import re
import unicodedata

#: Exonyms no rule derives (the vowels differ, not only the letters that spell them).
IRREGULAR = {
    "kiev": "kyiv",
    "chernobyl": "chornobyl",
    "nikolaev": "mykolaiv",
    "rovno": "rivne",
}

#: Words of four letters or more that say nothing about what a text is about.
_FUNCTION_WORDS = frozenset(
    """about after also been before could does from have into more most must only other over
    said says should some such than that their them then there these they this those under
    what when whether which while will with would""".split()  # noqa: SIM905
)
_VOWELS = re.compile(r"[aeiou]")


def normalise_name(name: str) -> str:
    """The comparable form of a name: 'The U.S. Government's' -> 'us government'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = re.sub(r"['\u2019\u2018`]s\b", "", text)
    text = re.sub(r"['\u2019\u2018`.]", "", text)
    words = re.sub(r"[\W_]+", " ", text).split()
    joined: list[str] = []
    for index, word in enumerate(words):
        if len(word) == 1 and index and len(words[index - 1]) == 1:
            joined[-1] += word  # an initialism spelt out: 'u s' -> 'us'
        else:
            joined.append(word)
    if joined[:1] == ["the"]:
        joined = joined[1:]
    return " ".join(joined)


def fold_word(word: str) -> str:
    """One normalised word as every romanisation above spells it: 'zelenskyy' -> 'zelenski'."""
    word = IRREGULAR.get(word, word)
    word = re.sub(r"^ye", "e", word)
    word = word.replace("ck", "k").replace("y", "i")
    word = re.sub(r"ij$", "i", word)
    word = re.sub(r"(.)\1+", r"\1", word)
    return re.sub(r"ov$", "iv", word)


def fold_name(name: str) -> str:
    """A whole name folded word by word: 'Vladimir Zelensky' -> 'vladimir zelenski'."""
    return " ".join(fold_word(word) for word in normalise_name(name).split())


def contains_as_words(a: str, b: str) -> bool:
    """Whether one normalised name equals or contains the other as whole words."""
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "


#: Words before a name that are titles or offices, not given names ("Mayor Taras X").
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "sir",
        "dame",
        "lord",
        "lady",
        "president",
        "prime",
        "minister",
        "premier",
        "chancellor",
        "mayor",
        "governor",
        "senator",
        "judge",
        "justice",
        "general",
        "colonel",
        "captain",
        "chief",
        "secretary",
        "deputy",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "bishop",
        "rev",
    ]
)


def same_person(a: str, b: str) -> bool:
    """Whether two person names name one person (rule: the module docstring)."""
    *given_a, surname_a = _folded_without_titles(a) or [""]
    *given_b, surname_b = _folded_without_titles(b) or [""]
    if not surname_a or surname_a != surname_b:
        return False
    if not given_a or not given_b:
        return True
    return any(_given_names_agree(x, y) for x in given_a for y in given_b)


def _folded_without_titles(name: str) -> list[str]:
    return [fold_word(word) for word in normalise_name(name).split() if word not in _TITLES]


def _given_names_agree(a: str, b: str) -> bool:
    if a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return True
    consonants = _VOWELS.sub("", a)
    return len(consonants) >= 3 and consonants == _VOWELS.sub("", b)


def content_words(text: str) -> set[str]:
    """What a text is about, for comparing two wordings: its words of four letters or more,
    less a few function words, each cut to its first five letters ('evacuated' -> 'evacu')."""
    words = normalise_name(text).split()
    return {w[:5] for w in words if len(w) >= 4 and w not in _FUNCTION_WORDS}
