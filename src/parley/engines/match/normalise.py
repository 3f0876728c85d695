"""One spelling for a name however it was written, and one reading of dates, units and numbers.

A name is reduced to a *fold*: a lower-case Latin skeleton in which the official romanisations
of Ukrainian (national table of 2010) and Russian (ICAO Doc 9303, GOST R 52535.1, BGN/PCGN, ISO 9
/ GOST 7.79 with diacritics), the English press spellings and the Cyrillic originals meet:
Наталія, Наталья, Natalia, Nataliia, Nataliya and Natalya all fold to ``natalia``; Ковальов,
Ковалёв, Kovalyov and Kovalev to ``kovalev``. The fold is deliberately lossy (г/х/ґ and h/g,
и/і/ы/й and y/i/j, doubled letters, soft signs and apostrophes): the comparison needs the same
key for the same person's name, and the other fields tell namesakes apart.

Given names and patronymics go one step further, to a canonical name through the table in
`names` (Олександр = Александр = Alexander; Олексійович = Алексеевич).
"""

import re
import unicodedata
from functools import cache

from .names import FEMALE, MALE

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ё": "io",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
    # Latin letters with diacritics of ISO 9 / GOST 7.79 and scientific transliteration, whose
    # base letter alone would lose the sound (š is sh, not s).
    "š": "sh", "č": "ch", "ž": "zh", "ŝ": "shch", "ë": "io", "ě": "ie", "ê": "ie", "â": "ia",
    "û": "iu", "ŭ": "u", "ǵ": "g", "ĥ": "kh", "ł": "l", "ś": "s", "ć": "ts", "ź": "z", "ń": "n",
}
_TRANSLATE = str.maketrans(_CYRILLIC)
# A soft or hard sign before a vowel is heard as a glide (Наталья, Ковальов, Natal'ya): the
# same i that the Ukrainian and Latin spellings write.
_SIGN_BEFORE_VOWEL = re.compile(r"[ьъ'’ʼ`´ʹʺ′″\"](?=[аеёиоуыэюяєіїaeiouyё])")
_NOT_LETTER = re.compile(r"[^a-z]+")
# Applied in order, on lower-case Latin; capitals are single sounds of their own:
# S = ш/щ, C = ч, Z = ж, X = х.
_LATIN_FOLDS = [
    # х is x in the scientific system; a Latin x inside a name is the ks of Alexander.
    (re.compile(r"^x"), "X"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"shch|shtch|szcz"), "S"),
    (re.compile(r"tsch"), "C"),
    (re.compile(r"sch"), "S"),
    (re.compile(r"tch|ch|cz"), "C"),
    (re.compile(r"zh|ż|rz"), "Z"),
    (re.compile(r"sh|sz"), "S"),
    (re.compile(r"kh"), "X"),
    # ц: ts (ICAO), tc (GOST R 52535.1), tz (German), c (ISO 9).
    (re.compile(r"ts|tc|tz"), "c"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"w"), "v"),
    (re.compile(r"q|ck"), "k"),
    (re.compile(r"h"), "g"),
    (re.compile(r"[jy]"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
    # ICAO Doc 9303 writes ъ as ie: Подъячев is Podieiachev there, Podyachev elsewhere.
    (re.compile(r"iei(?=[aeou])"), "i"),
    # Є, Ye, Ie and Russian Е meet at e; Ё, Yo, Io and ьо after a consonant meet at e too
    # (Ковалёв is as often written Ковалев).
    (re.compile(r"ie"), "e"),
    (re.compile(r"(?<=[^aeiou])io"), "e"),
    (re.compile(r"(.)\1+"), r"\1"),
]
_VOWELS = re.compile(r"[aeiou]")


@cache
def fold(text: str) -> str:
    """The Latin skeleton of a name (spaces, hyphens and punctuation dropped)."""
    lowered = unicodedata.normalize("NFC", text).lower()
    lowered = _SIGN_BEFORE_VOWEL.sub("і", lowered).translate(_TRANSLATE)
    ascii_only = "".join(
        ch for ch in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(ch)
    )
    folded = _NOT_LETTER.sub("", ascii_only)
    for pattern, replacement in _LATIN_FOLDS:
        folded = pattern.sub(replacement, folded)
    return folded


@cache
def consonant_key(text: str) -> str:
    """The fold without vowels: the coarse key that blocks Біленко with Беленко and Oleksandr
    with Alexander. Empty when the name is empty."""
    return _VOWELS.sub("", fold(text))


def _canonical_tables() -> tuple[dict[str, str], dict[str, str]]:
    parent: dict[int, int] = {}

    def find(line: int) -> int:
        while parent.setdefault(line, line) != line:
            line = parent[line]
        return line

    owner: dict[str, int] = {}
    lines = [(number, line.split()) for number, line in enumerate(MALE + FEMALE)]
    for number, words in lines:
        for word in words:
            key = fold(word)
            if key in owner:
                parent[find(number)] = find(owner[key])
            else:
                owner[key] = number
    canonical_of_line = {number: fold(words[0]) for number, words in lines}
    given = {key: canonical_of_line[find(line)] for key, line in owner.items()}
    stems: dict[str, str] = {}
    for number, words in lines[: len(MALE)]:
        for word in words:
            stems.setdefault(_stem(fold(word)), canonical_of_line[find(number)])
    return given, stems


_PATRONYMIC_SUFFIX = re.compile(r"(?:ovic|evic|ivic|ovna|evna|ivna|icna|inicna|ic)$".replace(
    "c", "C"))
_TRAILING_VOWELS = re.compile(r"[aeiou]+$")


def _stem(folded: str) -> str:
    return _TRAILING_VOWELS.sub("", folded) or folded


@cache
def given_key(text: str) -> str:
    """The canonical given name (Олександр, Александр, Alexander -> one key); the fold of the
    first name when the table does not know it. Only the first of several given names counts."""
    first = text.split()[0] if text.split() else ""
    folded = fold(first)
    return _GIVEN.get(folded, folded)


@cache
def patronymic_key(text: str) -> str:
    """The canonical name of the father (Олексійович, Алексеевич, Oleksiyovych -> the key of
    Олексій); the stem when the table does not know it."""
    folded = fold(text)
    stem = _stem(_PATRONYMIC_SUFFIX.sub("", folded)) if len(folded) > 3 else folded
    return _STEMS.get(stem, stem)


_GIVEN, _STEMS = _canonical_tables()


# --- Dates ----------------------------------------------------------------------------------

MONTHS = {
    # English, Ukrainian (nominative and genitive), Russian (nominative and genitive), by stem.
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
    "січ": 1, "лют": 2, "берез": 3, "квіт": 4, "трав": 5, "черв": 6, "лип": 7, "серп": 8,
    "верес": 9, "жовт": 10, "листоп": 11, "груд": 12,
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}
_MONTH_STEMS = sorted(MONTHS, key=len, reverse=True)
_TOKENS = re.compile(r"\d+|[^\W\d_]+")
# Two-digit years: 00-29 are 2000-2029, 30-99 are 1930-1999 (dates of birth and capture).
TWO_DIGIT_PIVOT = 30
_YEAR_WORDS = {"р", "г", "рік", "год", "року", "года", "y", "yr"}
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class DateError(ValueError):
    pass


def _month_of(word: str) -> int | None:
    word = word.lower()
    for stem in _MONTH_STEMS:
        if word.startswith(stem) and (len(stem) > 2 or word in {"май", "мая", "мае"}):
            return MONTHS[stem]
    return None


def _year(digits: str) -> int:
    value = int(digits)
    if len(digits) == 2:
        return 2000 + value if value < TWO_DIGIT_PIVOT else 1900 + value
    if len(digits) != 4:
        raise DateError(f"{digits!r} is not a year")
    return value


@cache
def parse_date(text: str) -> tuple[int, int, int]:
    """(year, month, day) with 0 for a part not given. Accepts ISO (1990-03-12, also with a
    time), 12.03.1990, 12/03/90, 12-03-1990, "12 March 1990", "March 12, 1990", "12 березня
    1990 р.", "12 марта 1990 г.", 03.1990, 1990-03 and 1990. Day first when both could be the
    day; month first only when the first number cannot be a month (03/25/1990). Raises
    DateError naming what is wrong."""
    value = text.strip()
    if "T" in value and value[:4].isdigit():
        value = value.split("T", 1)[0]
    tokens = _TOKENS.findall(value)
    numbers: list[str] = []
    month_word: int | None = None
    for token in tokens:
        if token.isdigit():
            numbers.append(token)
        elif token.lower() in _YEAR_WORDS:
            continue
        elif (month := _month_of(token)) is not None and month_word is None:
            month_word = month
        else:
            raise DateError(f"{text!r} is not a date ({token!r} is not a month)")
    if month_word is not None:
        years = [n for n in numbers if len(n) == 4]
        days = [n for n in numbers if len(n) <= 2]
        if len(years) != 1 or len(days) > 1 or len(numbers) != len(years) + len(days):
            raise DateError(f"{text!r} is not a date")
        return _checked(text, int(years[0]), month_word, int(days[0]) if days else 0)
    if len(numbers) == 1 and len(numbers[0]) == 8 and numbers[0][:2] in {"19", "20"}:
        n = numbers[0]
        return _checked(text, int(n[:4]), int(n[4:6]), int(n[6:]))
    if len(numbers) == 1 and len(numbers[0]) == 4:
        return _checked(text, int(numbers[0]), 0, 0)
    if len(numbers) == 2:
        first, second = numbers
        if len(first) == 4:
            return _checked(text, int(first), int(second), 0)
        if len(second) == 4:
            return _checked(text, int(second), int(first), 0)
    if len(numbers) == 3:
        first, second, third = numbers
        if len(first) == 4:
            return _checked(text, int(first), int(second), int(third))
        year = _year(third)
        day, month = int(first), int(second)
        if month > 12 and day <= 12:
            day, month = month, day
        return _checked(text, year, month, day)
    raise DateError(f"{text!r} is not a date")


def _checked(text: str, year: int, month: int, day: int) -> tuple[int, int, int]:
    if not 1900 <= year <= 2100:
        raise DateError(f"{text!r}: the year {year} is out of range")
    if not 0 <= month <= 12 or (day and not month):
        raise DateError(f"{text!r}: there is no month {month}")
    if day and not 1 <= day <= _DAYS_IN_MONTH[month - 1]:
        raise DateError(f"{text!r}: month {month} has no day {day}")
    return year, month, day


# --- Units and service numbers ----------------------------------------------------------------

# Cyrillic capitals that look like Latin ones: А1234 and A1234 are one unit.
_HOMOGLYPHS = str.maketrans("АВЕКМНОРСТУХІ", "ABEKMHOPCTYXI")
_UNIT_WORDS = re.compile(
    r"в\s*/\s*ч|військова\s+частина|войсковая\s+часть|military\s+unit|unit|mil\.?\s*unit|"
    r"v/ch|w/ch|в\.ч\.|вч",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


@cache
def unit_key(text: str) -> str:
    """The number of a military unit (в/ч А1234, A1234, А-1234, military unit 1234 -> 1234);
    the letter prefix is dropped because one side writes it and the other does not."""
    digits = _DIGITS.findall(_UNIT_WORDS.sub(" ", text))
    return "".join(digits)


@cache
def service_key(text: str) -> str:
    """A service number without spaces, dashes or look-alike Cyrillic capitals."""
    return _NOT_ALPHANUMERIC.sub("", text.upper().translate(_HOMOGLYPHS))
