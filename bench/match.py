"""Parley's matcher against Splink on generated person lists with a known truth, in the same run.

    .venv/bin/python bench/match.py [--a 100000 --b 85000] [--splink-a 20000 --splink-b 17000]
                                    [--seed 7] [--no-splink] [--keep DIR] [--calibration]

Generates two lists of prisoners of war (docs/formats.md §6 columns) as the two sides keep them:
list A (the side that seeks them) in Ukrainian, Cyrillic or the national 2010 romanisation; list B
(the side that holds them) in Russian forms of the names, Cyrillic or romanised by ICAO Doc 9303,
GOST R 52535.1, BGN/PCGN, the Wikipedia/press convention or English press spellings; surnames
sometimes russified (Ковальов -> Ковалёв, і -> и, -ський -> -ский); typos; names swapped;
patronymics missing or in the other language; dates in many formats with day/month swaps, wrong
digits, year only or missing; units written in many ways; service numbers; namesakes (same names,
another date of birth) and fathers and sons on the other list; some persons twice in one list. The
truth is each record's person id (never given to the matchers).

Each matcher runs as a whole process on the same CSV files:
- Parley: `parley match A.csv B.csv -o pairs.csv`;
- Splink (DuckDB backend, EM-trained, its standard NameComparison / DateOfBirthComparison /
  exact and Levenshtein comparisons, after the cleaning an analyst does: Cyrillic romanised by
  one table (iuliia's Wikipedia scheme), lower case, dates parsed by pandas day first), pairs
  with probability >= 0.5.
Prints precision, recall and F1 (a pair is right when both records are one person; recall counts
the persons on both lists that got a right pair), wall time, CPU time and peak memory (the child's
maximum resident set size) for each; with `--calibration`, the share of true pairs per band of
Parley's probability. Splink runs on lists of its own, smaller size when asked (it needs
minutes and gigabytes at 100 000 x 85 000).
"""

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import iuliia
import translitua

# (Ukrainian, Russian, English press spelling): given names of men and women.
MEN = [
    ("Олександр", "Александр", "Alexander"), ("Андрій", "Андрей", "Andrew"),
    ("Сергій", "Сергей", "Sergey"), ("Дмитро", "Дмитрий", "Dmitry"), ("Юрій", "Юрий", "Yuri"),
    ("Олексій", "Алексей", "Alexei"), ("Микола", "Николай", "Nikolai"), ("Іван", "Иван", "Ivan"),
    ("Василь", "Василий", "Vasily"), ("Володимир", "Владимир", "Vladimir"),
    ("Віктор", "Виктор", "Victor"), ("Ігор", "Игорь", "Igor"), ("Олег", "Олег", "Oleg"),
    ("Петро", "Пётр", "Peter"), ("Михайло", "Михаил", "Mikhail"), ("Максим", "Максим", "Maxim"),
    ("Євген", "Евгений", "Eugene"), ("Богдан", "Богдан", "Bogdan"), ("Роман", "Роман", "Roman"),
    ("Павло", "Павел", "Pavel"), ("Віталій", "Виталий", "Vitaly"), ("Артем", "Артём", "Artyom"),
    ("Денис", "Денис", "Denis"), ("Тарас", "Тарас", "Taras"), ("Ярослав", "Ярослав", "Yaroslav"),
    ("Анатолій", "Анатолий", "Anatoly"), ("Валерій", "Валерий", "Valery"),
    ("Григорій", "Григорий", "Gregory"), ("Костянтин", "Константин", "Konstantin"),
    ("Владислав", "Владислав", "Vladislav"), ("Руслан", "Руслан", "Ruslan"),
    ("Степан", "Степан", "Stepan"), ("Федір", "Фёдор", "Fyodor"), ("Кирило", "Кирилл", "Kirill"),
    ("Ілля", "Илья", "Ilya"), ("Геннадій", "Геннадий", "Gennady"), ("Леонід", "Леонид", "Leonid"),
    ("Вадим", "Вадим", "Vadim"), ("Станіслав", "Станислав", "Stanislav"),
    ("Назар", "Назар", "Nazar"), ("Орест", "Орест", "Orest"), ("Арсен", "Арсен", "Arsen"),
]
WOMEN = [
    ("Наталія", "Наталья", "Natalia"), ("Олена", "Елена", "Elena"),
    ("Тетяна", "Татьяна", "Tatiana"),
    ("Ольга", "Ольга", "Olga"), ("Юлія", "Юлия", "Julia"), ("Ірина", "Ирина", "Irina"),
    ("Оксана", "Оксана", "Oxana"), ("Марія", "Мария", "Maria"), ("Ганна", "Анна", "Anna"),
    ("Світлана", "Светлана", "Svetlana"), ("Катерина", "Екатерина", "Ekaterina"),
    ("Вікторія", "Виктория", "Victoria"), ("Анастасія", "Анастасия", "Anastasia"),
    ("Людмила", "Людмила", "Lyudmila"), ("Галина", "Галина", "Galina"),
]
SPECIAL_PATRONYMICS = {
    # father's Ukrainian name: (uk male, uk female); Russian name: (ru male, ru female)
    "Микола": ("Миколайович", "Миколаївна"), "Ілля": ("Ілліч", "Іллівна"),
    "Петро": ("Петрович", "Петрівна"), "Павло": ("Павлович", "Павлівна"),
    "Дмитро": ("Дмитрович", "Дмитрівна"), "Кирило": ("Кирилович", "Кирилівна"),
    "Михайло": ("Михайлович", "Михайлівна"), "Ігор": ("Ігорович", "Ігорівна"),
    "Федір": ("Федорович", "Федорівна"),
    "Николай": ("Николаевич", "Николаевна"), "Илья": ("Ильич", "Ильинична"),
    "Пётр": ("Петрович", "Петровна"), "Павел": ("Павлович", "Павловна"),
    "Дмитрий": ("Дмитриевич", "Дмитриевна"), "Игорь": ("Игоревич", "Игоревна"),
    "Михаил": ("Михайлович", "Михайловна"), "Фёдор": ("Фёдорович", "Фёдоровна"),
    "Кирилл": ("Кириллович", "Кирилловна"),
}
SURNAME_ROOTS = (
    "Коваль Бондар Ткач Шевч Кравч Мельн Олійн Лис Савч Руд Марч Гриц Павл Сидор Мороз Петр Бойк "
    "Гонч Кушн Литв Ковалевськ Остап Тимош Стець Гуц Дяч Семен Мазур Панч Гаврил Луц Кириленк "
    "Захарч Мирон Ярош Пономар Федор Степан Мартин Дорош Богдан Іванч Кузьм Голуб Вовк Зінч "
    "Білик Гнат Кухар Собол Швець Гордій Сушк Карп Демч Дмитр Ничипор Кравец Бабич Приход Чорн "
    "Кондрат Левч Жук Пилип Осадч Юрч Щерб Гуменюк Марк Тарас Назар Яцен Рибалк Лук'ян Ігнат "
    "Кисіль Волош Нестер Гречан Бєлоус Фесен Денис Климч Герасим Ґудз Їжак Ясин Прокоп Соловй "
    "Горобц Журавл Ластовч Сорок Ворон Лебед Вакул Ганж Дудар Слюсар Кулик Качур Головч Ковальч"
).split()
SUFFIXES = ["енко", "ук", "чук", "юк", "ко", "ишин", "ець", "ський", "ович", "ан", "ов", "ьов",
            "ін", "ар", "ій", "ак", "ик"]
PLACES = [
    ("Харків", "Харьков"), ("Київ", "Киев"), ("Запоріжжя", "Запорожье"), ("Дніпро", "Днепр"),
    ("Одеса", "Одесса"), ("Львів", "Львов"), ("Миколаїв", "Николаев"), ("Херсон", "Херсон"),
    ("Полтава", "Полтава"), ("Чернігів", "Чернигов"), ("Суми", "Сумы"), ("Житомир", "Житомир"),
    ("Вінниця", "Винница"), ("Маріуполь", "Мариуполь"), ("Краматорськ", "Краматорск"),
    ("Кривий Ріг", "Кривой Рог"), ("Черкаси", "Черкассы"), ("Рівне", "Ровно"),
    ("Тернопіль", "Тернополь"), ("Ізюм", "Изюм"), ("Бахмут", "Бахмут"), ("Бердянськ", "Бердянск"),
]
RANKS = [("солдат", "солдат"), ("старший солдат", "ефрейтор"),
         ("молодший сержант", "младший сержант"),
         ("сержант", "сержант"), ("старший сержант", "старший сержант"), ("лейтенант", "лейтенант"),
         ("капітан", "капитан"), ("майор", "майор")]
RU_MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
             "сентября", "октября", "ноября", "декабря"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]
RU_SCHEMAS = [iuliia.ICAO_DOC_9303, iuliia.GOST_52535, iuliia.BGN_PCGN, iuliia.WIKIPEDIA,
              iuliia.MVD_782, iuliia.SCIENTIFIC]
UK_TABLES = [translitua.UkrainianKMU, translitua.UkrainianKMU, translitua.UkrainianPassport2007,
             translitua.UkrainianBGN, translitua.UkrainianSimple]
HEADER = ["record_id", "family_name", "given_name", "patronymic", "date_of_birth",
          "place_of_birth", "military_unit", "service_number", "rank", "sex",
          "date_of_capture", "place_of_capture", "category", "health"]


def patronymic(father: str, *, female: bool, russian: bool) -> str:
    if father in SPECIAL_PATRONYMICS:
        return SPECIAL_PATRONYMICS[father][female]
    if russian:
        for ending, male, fem in (("ий", "ьевич", "ьевна"), ("ей", "еевич", "еевна"),
                                  ("ь", "евич", "евна"), ("й", "евич", "евна")):
            if father.endswith(ending):
                return father[: -len(ending)] + (fem if female else male)
        return father + ("овна" if female else "ович")
    for ending, male, fem in (("ій", "ійович", "іївна"), ("ь", "ьович", "івна"),
                              ("о", "ович", "івна"), ("а", "ович", "івна")):
        if father.endswith(ending):
            return father[: -len(ending)] + (fem if female else male)
    return father + ("івна" if female else "ович")


def russify(surname: str, rng: random.Random) -> str:
    """A Ukrainian surname as a Russian clerk may write it."""
    out = surname
    for uk, ru in (("ьов", "ёв" if rng.random() < 0.5 else "ев"), ("ський", "ский"), ("ій", "ий"),
                   ("ї", "и"), ("є", "е"), ("ґ", "г"), ("'", "ь"), ("Ї", "И"), ("Є", "Е"),
                   ("Ґ", "Г")):
        out = out.replace(uk, ru)
    out = out.replace("и", "ы") if rng.random() < 0.3 else out
    return out.replace("і", "и").replace("І", "И")


def typo(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(4)
    latin = all(ord(ch) < 0x400 for ch in text)
    letters = "aeiklmnorstuv" if latin else "абвгдеиклмнопрсту"
    if kind == 0:
        return text[:i] + text[i + 1:]
    if kind == 1:
        return text[:i] + rng.choice(letters) + text[i:]
    if kind == 2:
        return text[:i] + rng.choice(letters) + text[i + 1:]
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


class Person:
    def __init__(self, pid: int, rng: random.Random, surname: str | None = None,
                 father: tuple[str, str, str] | None = None, born: int | None = None) -> None:
        self.pid = pid
        self.female = rng.random() < 0.06
        self.given = rng.choice(WOMEN if self.female else MEN)
        self.father = father or rng.choice(MEN)
        self.surname = surname or (rng.choice(SURNAME_ROOTS) + rng.choice(SUFFIXES))
        if self.female and self.surname.endswith(("ов", "ьов", "ін")):
            self.surname += "а"
        if self.female and self.surname.endswith("ський"):
            self.surname = self.surname[:-2] + "а"
        year = born or rng.randint(1965, 2006)
        self.dob = (year, rng.randint(1, 12), rng.randint(1, 28))
        self.place = rng.choice(PLACES)
        self.unit = rng.randint(1000, 9999)
        letters = "АВСЕКМНОРТ"
        self.service = f"{rng.choice(letters)}{rng.choice(letters)}{rng.randint(0, 999999):06d}"
        self.rank = rng.choice(RANKS)
        self.capture = (2022 + rng.randint(0, 3), rng.randint(1, 12), rng.randint(1, 28))
        self.captured_at = rng.choice(PLACES)


def uk_latin(text: str, rng: random.Random) -> str:
    return translitua.translit(text, rng.choice(UK_TABLES))


def ru_latin(text: str, rng: random.Random) -> str:
    return rng.choice(RU_SCHEMAS).translate(text)


def date_text(date: tuple[int, int, int], style: str, rng: random.Random) -> str:
    y, m, d = date
    if style == "uk":
        return rng.choice([f"{d:02d}.{m:02d}.{y}", f"{d:02d}.{m:02d}.{y}", f"{y}-{m:02d}-{d:02d}"])
    return rng.choice([
        f"{y}-{m:02d}-{d:02d}", f"{d:02d}.{m:02d}.{y}", f"{d:02d}/{m:02d}/{y % 100:02d}",
        f"{d} {RU_MONTHS[m - 1]} {y} г.", f"{d} {EN_MONTHS[m - 1]} {y}", f"{d:02d}.{m:02d}.{y}",
    ])


def damaged_date(date: tuple[int, int, int], rng: random.Random
                 ) -> tuple[tuple[int, int, int], str]:
    """The date as a clerk wrote it: mostly right, sometimes day and month swapped, a digit wrong,
    only the year, or nothing."""
    y, m, d = date
    roll = rng.random()
    if roll < 0.04 and d <= 12:
        return (y, d, m), "full"
    if roll < 0.07:
        tens = (d // 10) * 10
        d2 = tens + rng.choice([x for x in range(10) if x != d % 10 and tens + x >= 1])
        return (y, m, min(d2, 28)), "full"
    if roll < 0.09:
        return (y + rng.choice([-1, 1]), m, d), "full"
    if roll < 0.13:
        return date, "year"
    if roll < 0.15:
        return date, "none"
    return date, "full"


def record(person: Person, rid: str, side: str, rng: random.Random) -> dict[str, str]:
    russian = side == "B"
    given = person.given[1] if russian else person.given[0]
    father = person.father[1] if russian else person.father[0]
    surname = russify(person.surname, rng) if russian and rng.random() < 0.5 else person.surname
    latin = rng.random() < (0.35 if russian else 0.15)
    if russian and latin:
        surname = russify(person.surname, rng)
    patr = patronymic(father, female=person.female, russian=russian)
    if russian and rng.random() < 0.1:
        given, patr = person.given[0], patronymic(person.father[0], female=person.female,
                                                  russian=False)
    if latin:
        convert = ru_latin if russian else uk_latin
        surname, given, patr = convert(surname, rng), convert(given, rng), convert(patr, rng)
        if russian and rng.random() < 0.3:
            given = person.given[2]
    if rng.random() < 0.08:
        surname = typo(surname, rng)
    if rng.random() < 0.03:
        given = typo(given, rng)
    if rng.random() < 0.15:
        patr = ""
    if rng.random() < 0.04:
        surname, given = given, surname
    dob, precision = damaged_date(person.dob, rng) if russian else (person.dob, "full")
    if not russian and rng.random() < 0.03:
        precision = "year"
    if precision == "full":
        dob_text = date_text(dob, "ru" if russian else "uk", rng)
    elif precision == "year":
        dob_text = str(dob[0])
    else:
        dob_text = ""
    unit = ""
    if rng.random() < 0.6:
        unit = rng.choice([f"в/ч А{person.unit}", f"А{person.unit}", f"A{person.unit}",
                           f"А-{person.unit}", f"military unit {person.unit}", f"{person.unit}"])
    service = person.service if rng.random() < 0.5 else ""
    if service and rng.random() < 0.03:
        service = typo(service, rng)
    if service and rng.random() < 0.5:
        service = service[:2] + " " + service[2:]
    place = person.place[1] if russian else person.place[0]
    captured_at = person.captured_at[1] if russian else person.captured_at[0]
    rank = person.rank[1] if russian else person.rank[0]
    if rng.random() < 0.1:
        rank = rng.choice(RANKS)[1 if russian else 0]
    capture = ""
    if rng.random() < 0.6:
        capture = date_text(person.capture, "ru" if russian else "uk", rng)
    return {
        "record_id": rid, "family_name": surname, "given_name": given, "patronymic": patr,
        "date_of_birth": dob_text, "place_of_birth": place if rng.random() < 0.7 else "",
        "military_unit": unit, "service_number": service, "rank": rank,
        "sex": ("ж" if person.female else "ч") if not russian else ("ж" if person.female else "м"),
        "date_of_capture": capture, "place_of_capture": captured_at if rng.random() < 0.5 else "",
        "category": "prisoner of war", "health": "",
    }


def generate(size_a: int, size_b: int, seed: int) -> tuple[list[dict], list[dict], dict, dict]:
    """Lists A and B and each record's person id. About 70 % of B's persons are on A; A and B
    each list about 2 % of their persons twice; namesakes and fathers and sons of persons on
    one list are on the other."""
    rng = random.Random(seed)
    both = int(size_b * 0.68)
    persons: list[Person] = [Person(i, rng) for i in range(both)]
    only_a: list[Person] = []
    only_b: list[Person] = []
    next_id = both

    def new(**kwargs) -> Person:
        nonlocal next_id
        next_id += 1
        return Person(next_id, rng, **kwargs)

    while len(only_b) < size_b * 0.30:
        roll = rng.random()
        model = rng.choice(persons)
        if roll < 0.08:  # a namesake of a person on both lists: same names, another birthday
            twin = new(surname=model.surname, father=model.father)
            twin.given, twin.female = model.given, model.female
            only_b.append(twin)
        elif roll < 0.13:  # the father of a person on both lists
            father = new(surname=model.surname, born=model.dob[0] - rng.randint(20, 32))
            father.given, father.female = model.father, False
            only_b.append(father)
        else:
            only_b.append(new())
    while len(only_a) < size_a - both - int(size_a * 0.02):
        roll = rng.random()
        model = rng.choice(persons)
        if roll < 0.06:
            twin = new(surname=model.surname, father=model.father)
            twin.given, twin.female = model.given, model.female
            only_a.append(twin)
        elif roll < 0.10:  # a son named after his father, who is on both lists
            son = new(surname=model.surname, father=model.given,
                      born=min(model.dob[0] + rng.randint(20, 30), 2006))
            son.given, son.female = model.given if rng.random() < 0.5 else rng.choice(MEN), False
            only_a.append(son)
        else:
            only_a.append(new())
    truth_a: dict[str, int] = {}
    truth_b: dict[str, int] = {}

    def listed(people: list[Person], side: str, target: int, truth: dict) -> list[dict]:
        rows = []
        for person in people:
            rid = f"{side}{len(rows) + 1:07d}"
            rows.append(record(person, rid, side, rng))
            truth[rid] = person.pid
        twice = rng.sample(people, k=max(0, target - len(rows)))
        for person in twice:
            rid = f"{side}{len(rows) + 1:07d}"
            rows.append(record(person, rid, side, rng))
            truth[rid] = person.pid
        rng.shuffle(rows)
        return rows

    a = listed(persons + only_a, "A", size_a, truth_a)
    b = listed(persons[: both] + only_b, "B", size_b, truth_b)
    return a, b, truth_a, truth_b


def write_csv(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def score(pairs_csv: Path, truth_a: dict, truth_b: dict) -> tuple[float, float, float, int]:
    with pairs_csv.open(encoding="utf-8") as handle:
        pairs = [(row["record_id_a"], row["record_id_b"]) for row in csv.DictReader(handle)]
    right = [(a, b) for a, b in pairs if truth_a[a] == truth_b[b]]
    found = {truth_a[a] for a, _ in right}
    persons_on_both = set(truth_a.values()) & set(truth_b.values())
    precision = len(right) / len(pairs) if pairs else 0.0
    recall = len(found) / len(persons_on_both)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, len(pairs)


CALIBRATION_BANDS = [(0.05, 0.2), (0.2, 0.4), (0.4, 0.5), (0.5, 0.8), (0.8, 0.95), (0.95, 0.99),
                     (0.99, 1.01)]


def calibration(pairs_csv: Path, truth_a: dict, truth_b: dict) -> None:
    """Per band of probability: how many pairs, their mean probability, and the share that
    are truly one person."""
    with pairs_csv.open(encoding="utf-8") as handle:
        rows = [(float(r["probability"]), truth_a[r["record_id_a"]] == truth_b[r["record_id_b"]])
                for r in csv.DictReader(handle)]
    print(f"{'probability':>11} {'pairs':>6} {'mean p':>6} {'true':>6}")
    for low, high in CALIBRATION_BANDS:
        band = [(p, right) for p, right in rows if low <= p < high]
        if band:
            mean = sum(p for p, _ in band) / len(band)
            share = sum(right for _, right in band) / len(band)
            print(f"{low:.2f}-{min(high, 1.0):.2f} {len(band):>6} {mean:>6.3f} {share:>6.1%}")


def run(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, all threads) and peak resident memory (GB)
    of the command as a child process. On a shared machine the CPU time is the steadier
    figure."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{command[0]} failed with status {status}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024 / 1024


def splink_main(path_a: str, path_b: str, out: str) -> None:
    """The Splink side, run as its own process."""
    import logging

    import pandas as pd
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    logging.getLogger("splink").setLevel(logging.WARNING)

    def cleaned(path: str) -> pd.DataFrame:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in ("family_name", "given_name", "patronymic", "place_of_birth"):
            frame[column] = frame[column].map(iuliia.WIKIPEDIA.translate).str.lower()
            frame[column] = frame[column].str.strip().replace("", None)
        frame["date_of_birth"] = pd.to_datetime(
            frame["date_of_birth"], dayfirst=True, errors="coerce", format="mixed"
        ).dt.strftime("%Y-%m-%d")
        frame["military_unit"] = frame["military_unit"].str.extract(r"(\d+)")[0]
        frame["service_number"] = frame["service_number"].str.replace(" ", "").replace("", None)
        frame["unique_id"] = frame["record_id"]
        return frame[["unique_id", "family_name", "given_name", "patronymic", "date_of_birth",
                      "place_of_birth", "military_unit", "service_number"]]

    db_api = DuckDBAPI()
    frame_a, frame_b = cleaned(path_a), cleaned(path_b)
    left = db_api.register(frame_a, dataset_display_name="list_a")
    right = db_api.register(frame_b, dataset_display_name="list_b")
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("family_name"),
            cl.NameComparison("given_name"),
            cl.NameComparison("patronymic"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
            cl.LevenshteinAtThresholds("place_of_birth", 2),
            cl.ExactMatch("military_unit"),
            cl.LevenshteinAtThresholds("service_number", 1),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("family_name"),
            block_on("given_name", "date_of_birth"),
            block_on("service_number"),
            block_on("substr(family_name, 1, 3)", "date_of_birth"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker([left, right], settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("family_name", "given_name", "date_of_birth")], recall=0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("family_name"))
    predictions = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    left_is_a = predictions["unique_id_l"].isin(set(frame_a["unique_id"]))
    a_ids = predictions["unique_id_l"].where(left_is_a, predictions["unique_id_r"])
    b_ids = predictions["unique_id_r"].where(left_is_a, predictions["unique_id_l"])
    pd.DataFrame({"record_id_a": a_ids, "record_id_b": b_ids,
                  "probability": predictions["match_probability"].round(4)}).to_csv(
        out, index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", type=int, default=100_000, help="records in list A")
    parser.add_argument("--b", type=int, default=85_000, help="records in list B")
    parser.add_argument("--splink-a", type=int, default=20_000,
                        help="records in list A of the Splink comparison (0: same as --a)")
    parser.add_argument("--splink-b", type=int, default=17_000,
                        help="records in list B of the Splink comparison (0: same as --b)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument("--keep", help="write the lists and pairs into this folder")
    parser.add_argument("--calibration", action="store_true",
                        help="also run Parley at threshold 0.05 on the first size and print "
                             "the share of true pairs per band of probability")
    parser.add_argument("--splink-only", nargs=3, metavar=("A", "B", "OUT"), help=argparse.SUPPRESS)
    ns = parser.parse_args()
    if ns.splink_only:
        splink_main(*ns.splink_only)
        return
    folder = Path(ns.keep) if ns.keep else Path(tempfile.mkdtemp(prefix="parley-match-"))
    folder.mkdir(parents=True, exist_ok=True)
    parley = str(Path(sys.executable).with_name("parley"))
    sizes = [(ns.a, ns.b)]
    if not ns.no_splink:
        splink_sizes = (ns.splink_a or ns.a, ns.splink_b or ns.b)
        if splink_sizes != sizes[0]:
            sizes.insert(0, splink_sizes)
    print(f"{'matcher':8} {'A':>8} {'B':>8} {'pairs':>8} {'precision':>9} {'recall':>7} "
          f"{'F1':>6} {'wall s':>7} {'CPU s':>7} {'peak GB':>7}")
    for size_a, size_b in sizes:
        a, b, truth_a, truth_b = generate(size_a, size_b, ns.seed)
        path_a, path_b = folder / f"a-{size_a}.csv", folder / f"b-{size_b}.csv"
        write_csv(a, path_a)
        write_csv(b, path_b)
        runs = [("parley", [parley, "match", str(path_a), str(path_b), "-o"])]
        if not ns.no_splink and (size_a, size_b) == splink_sizes:
            runs.append(("splink", [sys.executable, __file__, "--splink-only", str(path_a),
                                    str(path_b)]))
        for name, command in runs:
            out = folder / f"pairs-{name}-{size_a}x{size_b}.csv"
            wall, cpu, peak = run([*command, str(out)])
            precision, recall, f1, count = score(out, truth_a, truth_b)
            print(f"{name:8} {size_a:>8} {size_b:>8} {count:>8} {precision:>9.4f} {recall:>7.4f} "
                  f"{f1:>6.4f} {wall:>7.1f} {cpu:>7.1f} {peak:>7.2f}", flush=True)
        if ns.calibration and (size_a, size_b) == sizes[0]:
            out = folder / f"pairs-parley-{size_a}x{size_b}-0.05.csv"
            run([parley, "match", str(path_a), str(path_b), "-o", str(out), "--threshold", "0.05"])
            calibration(out, truth_a, truth_b)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if ns.keep:
        print(f"files in {folder}")
    else:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
