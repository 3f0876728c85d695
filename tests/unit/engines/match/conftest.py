"""A background of ordinary records for the linkage tests: two lists of the same 240 men, the
Ukrainian side's in Ukrainian Cyrillic, the Russian side's in Russian forms, Cyrillic or romanised
(ICAO Doc 9303), so that the weights learned by EM are those of a real pair of lists. The
records a test is about are added to these."""

import itertools
import random

import iuliia
import pytest

UKRAINIAN_RUSSIAN_GIVEN = [
    ("Олександр", "Александр"), ("Андрій", "Андрей"), ("Сергій", "Сергей"),
    ("Дмитро", "Дмитрий"), ("Іван", "Иван"), ("Микола", "Николай"), ("Василь", "Василий"),
    ("Віктор", "Виктор"), ("Олег", "Олег"), ("Петро", "Пётр"), ("Михайло", "Михаил"),
    ("Роман", "Роман"),
]
PATRONYMICS = [
    ("Олександрович", "Александрович"), ("Андрійович", "Андреевич"), ("Іванович", "Иванович"),
    ("Миколайович", "Николаевич"), ("Петрович", "Петрович"), ("Сергійович", "Сергеевич"),
]
SURNAMES = [
    ("Бондаренко", "Бондаренко"), ("Ткачук", "Ткачук"), ("Мельник", "Мельник"),
    ("Ковальов", "Ковалёв"), ("Олійник", "Олейник"), ("Лисенко", "Лысенко"),
    ("Гончарук", "Гончарук"), ("Кравчишин", "Кравчишин"), ("Савчук", "Савчук"),
    ("Руденко", "Руденко"), ("Петрів", "Петров"), ("Яковенко", "Яковенко"),
    ("Гнатюк", "Гнатюк"), ("Дячук", "Дьячук"), ("Захарченко", "Захарченко"),
    ("Пономаренко", "Пономаренко"), ("Гаврилюк", "Гаврилюк"), ("Стецюк", "Стецюк"),
    ("Марченко", "Марченко"), ("Остапчук", "Остапчук"),
]


def _background() -> tuple[list[dict], list[dict]]:
    a, b = [], []
    dates = random.Random(1)
    combos = itertools.product(SURNAMES, UKRAINIAN_RUSSIAN_GIVEN)
    for number, (surname, given) in enumerate(combos):
        patronymic = PATRONYMICS[number % len(PATRONYMICS)]
        year, month, day = dates.randint(1965, 2005), dates.randint(1, 12), dates.randint(1, 28)
        a.append({"record_id": f"UA-{number:04d}", "family_name": surname[0],
                  "given_name": given[0], "patronymic": patronymic[0],
                  "date_of_birth": f"{day:02d}.{month:02d}.{year}"})
        names = (surname[1], given[1], patronymic[1])
        if number % 3 == 0:
            names = tuple(iuliia.ICAO_DOC_9303.translate(name) for name in names)
        b.append({"record_id": f"RU-{number:04d}", "family_name": names[0],
                  "given_name": names[1], "patronymic": names[2],
                  "date_of_birth": f"{year}-{month:02d}-{day:02d}"})
    return a, b


@pytest.fixture
def background() -> tuple[list[dict], list[dict]]:
    return _background()
