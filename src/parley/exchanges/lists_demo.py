"""Realistic person lists for the demo and the tests, generated deterministically.

The same people are written the way each side writes them: Kyiv in Ukrainian Cyrillic or the
national Latin table (Олександр, Oleksandr), Moscow in Russian Cyrillic (Александр); patronymics
in both forms, some surnames russified, dates in four formats, unit numbers written three ways,
typos, names swapped, and the same person twice in one list. Pure Python, no Django.
"""

import csv
import io
import random
from dataclasses import dataclass

COLUMNS = ["record_id", "family_name", "given_name", "patronymic", "date_of_birth",
           "place_of_birth", "military_unit", "service_number", "rank", "category", "sex",
           "date_of_capture", "place_of_capture", "health"]

# (Ukrainian, Russian, Latin of the Ukrainian national table, other Latin spellings)
MEN = [
    ("Олександр", "Александр", "Oleksandr", "Aleksandr"), ("Сергій", "Сергей", "Serhii", "Sergey"),
    ("Андрій", "Андрей", "Andrii", "Andriy"), ("Дмитро", "Дмитрий", "Dmytro", "Dmitry"),
    ("Микола", "Николай", "Mykola", "Nikolai"), ("Володимир", "Владимир", "Volodymyr",
                                                "Vladimir"),
    ("Юрій", "Юрий", "Yurii", "Yuriy"), ("Іван", "Иван", "Ivan", "Ivan"),
    ("Віталій", "Виталий", "Vitalii", "Vitaliy"), ("Олег", "Олег", "Oleh", "Oleg"),
    ("Максим", "Максим", "Maksym", "Maxim"), ("Богдан", "Богдан", "Bohdan", "Bogdan"),
    ("Євген", "Евгений", "Yevhen", "Evgeny"), ("Павло", "Павел", "Pavlo", "Pavel"),
    ("Василь", "Василий", "Vasyl", "Vasily"), ("Михайло", "Михаил", "Mykhailo", "Mikhail"),
    ("Олексій", "Алексей", "Oleksii", "Alexey"), ("Ігор", "Игорь", "Ihor", "Igor"),
    ("Роман", "Роман", "Roman", "Roman"), ("Віктор", "Виктор", "Viktor", "Victor"),
    ("Григорій", "Григорий", "Hryhorii", "Grigory"), ("Петро", "Пётр", "Petro", "Pyotr"),
]
WOMEN = [
    ("Наталія", "Наталья", "Nataliia", "Natalia"), ("Олена", "Елена", "Olena", "Elena"),
    ("Ірина", "Ирина", "Iryna", "Irina"), ("Тетяна", "Татьяна", "Tetiana", "Tatiana"),
]
# Father's given name -> (Ukrainian patronymic, Russian patronymic), for men.
PATRONYMICS = [
    ("Олександрович", "Александрович"), ("Сергійович", "Сергеевич"), ("Андрійович", "Андреевич"),
    ("Миколайович", "Николаевич"), ("Володимирович", "Владимирович"), ("Юрійович", "Юрьевич"),
    ("Іванович", "Иванович"), ("Васильович", "Васильевич"), ("Петрович", "Петрович"),
    ("Михайлович", "Михайлович"), ("Вікторович", "Викторович"), ("Григорович", "Григорьевич"),
]
# Ukrainian surnames and the russified form Moscow's lists sometimes use.
UA_SURNAMES = [
    ("Коваленко", "Коваленко"), ("Шевченко", "Шевченко"), ("Бондаренко", "Бондаренко"),
    ("Мельник", "Мельник"), ("Ткаченко", "Ткаченко"), ("Кравченко", "Кравченко"),
    ("Олійник", "Олейник"), ("Шевчук", "Шевчук"), ("Поліщук", "Полищук"), ("Бойко", "Бойко"),
    ("Савченко", "Савченко"), ("Ковальчук", "Ковальчук"), ("Марченко", "Марченко"),
    ("Руденко", "Руденко"), ("Мороз", "Мороз"), ("Лисенко", "Лысенко"), ("Петренко", "Петренко"),
    ("Кузьменко", "Кузьменко"), ("Павленко", "Павленко"), ("Гончаренко", "Гончаренко"),
    ("Ковальов", "Ковалёв"), ("Білик", "Белик"), ("Сидоренко", "Сидоренко"),
    ("Зінченко", "Зинченко"), ("Литвиненко", "Литвиненко"), ("Гнатюк", "Гнатюк"),
    ("Захарченко", "Захарченко"), ("Левченко", "Левченко"), ("Федоренко", "Федоренко"),
    ("Дорошенко", "Дорошенко"), ("Приходько", "Приходько"), ("Семенюк", "Семенюк"),
    ("Головко", "Головко"), ("Гриценко", "Гриценко"), ("Клименко", "Клименко"),
    ("Остапчук", "Остапчук"), ("Ярошенко", "Ярошенко"), ("Вакуленко", "Вакуленко"),
]
RU_SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов",
               "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев",
               "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев", "Орлов",
               "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв", "Борисов"]
UA_TOWNS = [("Запоріжжя", "Запорожье"), ("Харків", "Харьков"), ("Дніпро", "Днепр"),
            ("Маріуполь", "Мариуполь"), ("Херсон", "Херсон"), ("Миколаїв", "Николаев"),
            ("Київ", "Киев"), ("Полтава", "Полтава"), ("Суми", "Сумы"), ("Чернігів", "Чернигов")]
RU_TOWNS = ["Ростов-на-Дону", "Белгород", "Курск", "Воронеж", "Самара", "Пермь", "Омск",
            "Новосибирск", "Краснодар", "Саратов"]
CAPTURE_PLACES = [("Маріуполь", "Мариуполь"), ("Бахмут", "Артёмовск"), ("Авдіївка", "Авдеевка"),
                  ("Кліщіївка", "Клещеевка"), ("Роботине", "Работино"), ("Кринки", "Крынки")]
UA_RANKS = [("солдат", "рядовой"), ("старший солдат", "ефрейтор"), ("сержант", "сержант"),
            ("старший сержант", "старший сержант"), ("лейтенант", "лейтенант"),
            ("капітан", "капитан")]
RU_RANKS = ["рядовой", "ефрейтор", "младший сержант", "сержант", "лейтенант", "старший лейтенант"]
MONTHS_UK = ["січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня",
             "вересня", "жовтня", "листопада", "грудня"]

UA_LATIN = dict(zip("абвгґдежзийклмнопрстуфхцчшщьюяіїє'", [
    "a", "b", "v", "h", "g", "d", "e", "zh", "z", "y", "i", "k", "l", "m", "n", "o", "p", "r",
    "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "iu", "ia", "i", "i", "ie", ""],
    strict=True))


def ukrainian_latin(text: str) -> str:
    """Ukraine's national transliteration (2010), enough for the demo's names."""
    out = []
    for index, char in enumerate(text):
        lower = char.lower()
        latin = UA_LATIN.get(lower, lower)
        if index == 0 or not text[index - 1].isalpha():
            latin = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}.get(lower, latin)
        out.append(latin.capitalize() if char.isupper() else latin)
    return "".join(out)


@dataclass
class Truth:
    """One real person, before any side writes them down."""

    key: int
    family: tuple[str, str]
    given: tuple[str, str, str, str]
    patronymic: tuple[str, str]
    born: tuple[int, int, int]
    town: tuple[str, str]
    unit: str
    service_number: str
    rank: tuple[str, str]
    category: str
    sex: str
    captured: tuple[int, int, int]
    capture_place: tuple[str, str]
    seriously_wounded: bool


def _date(parts: tuple[int, int, int], style: int) -> str:
    year, month, day = parts
    return [f"{year:04d}-{month:02d}-{day:02d}", f"{day:02d}.{month:02d}.{year:04d}",
            f"{day:02d}/{month:02d}/{year:04d}",
            f"{day} {MONTHS_UK[month - 1]} {year} р."][style]


def _unit(number: str, style: int) -> str:
    return [f"в/ч А{number}", f"A{number}", f"А-{number}", f"military unit A{number}"][style]


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 5:
        return text
    position = rng.randrange(1, len(text) - 1)
    return text[:position] + text[position + 1] + text[position] + text[position + 2:]


def ukrainians(rng: random.Random, count: int) -> list[Truth]:
    people = []
    for key in range(count):
        woman = rng.random() < 0.06
        civilian = woman or rng.random() < 0.05
        given = rng.choice(WOMEN if woman else MEN)
        patronymic = rng.choice(PATRONYMICS)
        if woman:
            patronymic = (patronymic[0][:-2] + "івна", patronymic[1][:-2] + "овна")
        family = rng.choice(UA_SURNAMES)
        people.append(Truth(
            key=key, family=family, given=given, patronymic=patronymic,
            born=(rng.randint(1968, 2004), rng.randint(1, 12), rng.randint(1, 28)),
            town=rng.choice(UA_TOWNS), unit=f"{rng.randint(1000, 9999)}",
            service_number=f"{rng.randint(100000, 999999)}", rank=rng.choice(UA_RANKS),
            category="detained_civilian" if civilian else "pow", sex="F" if woman else "M",
            captured=(rng.randint(2022, 2025), rng.randint(1, 12), rng.randint(1, 28)),
            capture_place=rng.choice(CAPTURE_PLACES), seriously_wounded=rng.random() < 0.08))
    return people


def russians(rng: random.Random, count: int) -> list[Truth]:
    people = []
    for key in range(count):
        given = rng.choice(MEN)
        patronymic = rng.choice(PATRONYMICS)
        family = rng.choice(RU_SURNAMES)
        rank = rng.choice(RU_RANKS)
        town = rng.choice(RU_TOWNS)
        people.append(Truth(
            key=key, family=(family, family), given=given, patronymic=patronymic,
            born=(rng.randint(1970, 2005), rng.randint(1, 12), rng.randint(1, 28)),
            town=(town, town), unit=f"{rng.randint(10000, 99999)}",
            service_number=f"{rng.choice('АВЕКМ')}-{rng.randint(100000, 999999)}",
            rank=(rank, rank), category="pow", sex="M",
            captured=(rng.randint(2023, 2025), rng.randint(1, 12), rng.randint(1, 28)),
            capture_place=rng.choice(CAPTURE_PLACES), seriously_wounded=rng.random() < 0.08))
    return people


def _row(rng, truth: Truth, *, record_id: str, language: str, latin_share: float,
         category: str | None = None) -> dict:
    """The person as one side writes them. `language` is the writer's: "uk" or "ru"."""
    uk = language == "uk"
    family = truth.family[0] if uk else truth.family[1]
    given = truth.given[0] if uk else truth.given[1]
    patronymic = truth.patronymic[0] if uk else truth.patronymic[1]
    if rng.random() < latin_share:
        family = ukrainian_latin(truth.family[0])
        given = truth.given[2] if rng.random() < 0.7 else truth.given[3]
        patronymic = ukrainian_latin(truth.patronymic[0])
    if rng.random() < 0.04:
        family = _typo(rng, family)
    if rng.random() < 0.03:
        family, given = given, family
    row = {
        "record_id": record_id, "family_name": family, "given_name": given,
        "patronymic": patronymic if rng.random() > 0.05 else "",
        "date_of_birth": _date(truth.born, rng.randrange(4) if uk else 1),
        "place_of_birth": truth.town[0] if uk else truth.town[1],
        "military_unit": _unit(truth.unit, rng.randrange(4)) if truth.category == "pow" else "",
        "service_number": truth.service_number if rng.random() > 0.2 else "",
        "rank": (truth.rank[0] if uk else truth.rank[1]) if truth.category == "pow" else "",
        "category": category or truth.category, "sex": truth.sex,
        "date_of_capture": _date(truth.captured, 0 if uk else 1),
        "place_of_capture": truth.capture_place[0] if uk else truth.capture_place[1],
        "health": "seriously wounded" if truth.seriously_wounded else "",
    }
    if rng.random() < 0.05:
        year, month, day = truth.born
        if day <= 12:
            row["date_of_birth"] = f"{month:02d}.{day:02d}.{year:04d}"
    return row


def csv_bytes(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


@dataclass
class DemoLists:
    """CSV files: what Russia holds and Ukraine seeks (Ukrainians), and the reverse."""

    russia_holds: bytes
    ukraine_seeks: bytes
    ukraine_holds: bytes
    russia_seeks: bytes


def generate(seed: int = 2026, *, ukrainians_held: int = 320, russians_held: int = 260
             ) -> DemoLists:
    rng = random.Random(seed)
    held_ua = ukrainians(rng, ukrainians_held)
    held_ru = russians(rng, russians_held)
    # Moscow's list of the Ukrainians it holds: Russian Cyrillic; some civilians listed as POWs.
    russia_holds = [_row(rng, t, record_id=f"RU-H-{t.key + 1:04d}", language="ru",
                         latin_share=0.0,
                         category="pow" if t.category != "pow" and t.key % 3 == 0 else None)
                    for t in held_ua]
    # Kyiv's list of the Ukrainians it seeks: most of them, plus some Moscow does not list, in
    # Ukrainian Cyrillic or Latin; a few written twice by two different offices.
    sought = [t for t in held_ua if rng.random() < 0.9]
    missing = ukrainians(random.Random(seed + 1), 40)
    for offset, truth in enumerate(missing):
        truth.key = 10_000 + offset
    ukraine_seeks = [_row(rng, t, record_id=f"UA-S-{index + 1:04d}", language="uk",
                          latin_share=0.2)
                     for index, t in enumerate(sought + missing)]
    # A family's office gives little: a Latin name and a year of birth; the matcher is unsure.
    for index in range(20, 36):
        row = ukraine_seeks[index]
        ukraine_seeks[index] = {
            "record_id": row["record_id"], "family_name": ukrainian_latin(
                sought[index].family[0]), "given_name": sought[index].given[3],
            "date_of_birth": str(sought[index].born[0] + (index % 2)),
            "category": row["category"], "sex": row["sex"]}
    # Namesakes: the same names as persons Moscow holds, other people altogether.
    for index, truth in enumerate(held_ua[40:46]):
        namesake = _row(rng, truth, record_id=f"UA-S-N{index + 1:02d}", language="uk",
                        latin_share=0.0)
        namesake.update({"date_of_birth": f"{truth.born[0] - 24}-01-01", "military_unit": "",
                         "service_number": "", "place_of_birth": "Львів"})
        ukraine_seeks.append(namesake)
    for index, truth in enumerate(sought[:6]):
        ukraine_seeks.append(_row(rng, truth, record_id=f"UA-S-D{index + 1:02d}", language="uk",
                                  latin_share=0.5))
    # Kyiv's list of the Russians it holds: Russian names as Kyiv writes them (Cyrillic, some in
    # Latin); Moscow's list of the Russians it seeks.
    ukraine_holds = [_row(rng, t, record_id=f"UA-H-{t.key + 1:04d}", language="ru",
                          latin_share=0.1) for t in held_ru]
    russia_seeks = [_row(rng, t, record_id=f"RU-S-{index + 1:04d}", language="ru",
                         latin_share=0.0)
                    for index, t in enumerate(t for t in held_ru if rng.random() < 0.85)]
    return DemoLists(csv_bytes(russia_holds), csv_bytes(ukraine_seeks),
                     csv_bytes(ukraine_holds), csv_bytes(russia_seeks))
