"""Names, dates, units and service numbers as the matcher reads them, with real spellings."""

import iuliia
import pytest
import translitua
from hypothesis import given
from hypothesis import strategies as st

from parley.engines.match import DateError, fold, given_key, parse_date, patronymic_key
from parley.engines.match.normalise import consonant_key, service_key, unit_key

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("spellings", [
    ["Наталія", "Наталья", "Natalia", "Nataliia", "Nataliya", "Natalya", "Natal'ya"],
    ["Юрій", "Юрий", "Yuriy", "Yurii", "Iurii", "Yury", "Yuri", "Jurij"],
    ["Шевченко", "Shevchenko", "Ševčenko", "Schewtschenko"],
    ["Щербак", "Shcherbak", "Ščerbak", "Scherbak"],
    ["Ковальов", "Ковалёв", "Ковалев", "Kovalyov", "Kovalev", "Kovalëv", "Koval'ov"],
    ["Гончаренко", "Honcharenko", "Goncharenko"],
    ["Мар'яна", "Марʼяна", "Maryana", "Mariana"],
    ["Кравець", "Kravets", "Kravetz"],
    ["Ганна-Марія", "Ганна Марія", "hanna-mariia", "HANNA MARIIA"],
    ["Євген", "Yevhen", "Ievgen"],
    ["Федір", "Fedir"],
    ["Фёдор", "Fyodor", "Fedor", "Fiodor"],
])
def test_the_spellings_of_one_name_fold_to_one_key(spellings):
    assert {fold(spelling) for spelling in spellings} == {fold(spellings[0])}


@pytest.mark.parametrize("one, other", [
    ("Олександр", "Александр"), ("Oleksandr", "Alexander"), ("Олександр", "Aleksandr"),
    ("Олексій", "Алексей"), ("Oleksii", "Alexey"), ("Андрій", "Андрей"), ("Andrii", "Andrew"),
    ("Микола", "Николай"), ("Mykola", "Nikolai"), ("Федір", "Фёдор"), ("Ганна", "Анна"),
    ("Hanna", "Anna"), ("Олена", "Елена"), ("Olena", "Yelena"), ("Юлія", "Julia"),
    ("Євген", "Евгений"), ("Yevhen", "Evgeny"), ("Ігор", "Игорь"), ("Ihor", "Igor"),
    ("Петро", "Пётр"), ("Petro", "Pyotr"), ("Василь", "Василий"), ("Дмитро", "Dmitry"),
    ("Олександр Іванович", "Александр"),
])
def test_ukrainian_and_russian_forms_of_a_given_name_are_one_name(one, other):
    assert given_key(one) == given_key(other)


@pytest.mark.parametrize("one, other", [
    ("Олександр", "Олексій"), ("Олександр", "Олександра"), ("Іван", "Іванна"),
    ("Юрій", "Георгій"), ("Микола", "Михайло"), ("Наталія", "Надія"),
])
def test_different_names_stay_different(one, other):
    assert given_key(one) != given_key(other)


@pytest.mark.parametrize("patronymics", [
    ["Олександрович", "Александрович", "Oleksandrovych", "Aleksandrovich", "Олександрівна",
     "Александровна"],
    ["Олексійович", "Алексеевич", "Oleksiiovych", "Alekseyevich", "Олексіївна", "Алексеевна"],
    ["Миколайович", "Николаевич", "Mykolaiovych", "Nikolaevich", "Миколаївна", "Николаевна"],
    ["Андрійович", "Андреевич", "Andriyovych", "Andreevich"],
    ["Юрійович", "Юрьевич", "Iuriiovych", "Yuryevich"],
    ["Сергійович", "Сергеевич", "Serhiyovych", "Sergeevich"],
    ["Петрович", "Petrovich", "Петрівна", "Петровна"],
    ["Ілліч", "Ильич", "Ilyich", "Іллівна"],
])
def test_the_forms_of_a_patronymic_are_one_father(patronymics):
    assert {patronymic_key(p) for p in patronymics} == {patronymic_key(patronymics[0])}


def test_a_patronymic_names_the_father_by_his_given_name():
    assert patronymic_key("Олексійович") == given_key("Олексій") == given_key("Alexei")
    assert patronymic_key("Миколайович") == given_key("Nikolai")


def test_vowel_changes_between_the_languages_keep_the_consonant_key():
    assert consonant_key("Біленко") == consonant_key("Беленко") == consonant_key("Bilenko")
    assert consonant_key("Олександр") == consonant_key("Alexander")


UKRAINIAN_NAMES = ["Олександр", "Наталія", "Юрій", "Щербак", "Гончаренко", "Ковальчук",
                   "Євгенія", "Мар'яна", "Ігор", "Ґудзь", "Їжакевич", "Андрієнко", "Тетяна",
                   "Кирилович", "Ярославівна", "Дячук", "Соловйов", "Задорожний", "Зінченко"]
RUSSIAN_NAMES = ["Александр", "Наталья", "Юрий", "Щербаков", "Ковалёв", "Евгений",
                 "Алексеевич", "Татьяна", "Ильич", "Подъячев", "Воробьёв", "Дмитриевна",
                 "Жуков", "Цветаева", "Хрущёв", "Шевчук", "Игорь", "Соловьёв", "Емельянов"]
# Every table used in identity documents and lists. Not here: the scholarly systems that write
# х as h (UNGEGN 1987, GOST 7.79 A) or к as c (the alternative passport table of 2004), which
# clash with the Ukrainian h for г and the c for ц; their spellings come out "close", not equal.
UKRAINIAN_TABLES = [translitua.UkrainianKMU, translitua.UkrainianPassport2007,
                    translitua.UkrainianBGN, translitua.UkrainianSimple, translitua.UkrainianISO9,
                    translitua.UkrainianUNGEGN, translitua.UkrainianNational1996]
RUSSIAN_SCHEMAS = [iuliia.ICAO_DOC_9303, iuliia.GOST_52535, iuliia.BGN_PCGN, iuliia.WIKIPEDIA,
                   iuliia.MVD_782, iuliia.MVD_310, iuliia.SCIENTIFIC, iuliia.ALA_LC]


@given(st.sampled_from(UKRAINIAN_NAMES), st.sampled_from(UKRAINIAN_TABLES))
def test_every_ukrainian_romanisation_folds_like_the_cyrillic(name, table):
    assert fold(translitua.translit(name, table)) == fold(name)


@given(st.sampled_from(RUSSIAN_NAMES), st.sampled_from(RUSSIAN_SCHEMAS))
def test_every_russian_romanisation_folds_like_the_cyrillic(name, schema):
    assert fold(schema.translate(name)) == fold(name)


@given(st.text(alphabet="абвгґдеєжзиіїйклмнопрстуфхцчшщьюяАБВГЕЁЖЗИЙЫЭЪabcxyz'- ", max_size=30))
def test_the_fold_is_stable(text):
    folded = fold(text)
    assert fold(folded.lower()) == fold(folded) or folded == ""
    assert " " not in folded and "-" not in folded


@pytest.mark.parametrize("text, parts", [
    ("1990-03-12", (1990, 3, 12)), ("12.03.1990", (1990, 3, 12)), ("12/03/1990", (1990, 3, 12)),
    ("12-03-1990", (1990, 3, 12)), ("12/03/90", (1990, 3, 12)), ("12.03.05", (2005, 3, 12)),
    ("12 March 1990", (1990, 3, 12)), ("March 12, 1990", (1990, 3, 12)),
    ("12 Mar 1990", (1990, 3, 12)), ("12 березня 1990 р.", (1990, 3, 12)),
    ("12 марта 1990 г.", (1990, 3, 12)), ("1 мая 1985", (1985, 5, 1)),
    ("03/25/1990", (1990, 3, 25)), ("1990-03-12T00:00:00", (1990, 3, 12)),
    ("19900312", (1990, 3, 12)), ("03.1990", (1990, 3, 0)), ("1990-03", (1990, 3, 0)),
    ("березень 1990", (1990, 3, 0)), ("1990", (1990, 0, 0)), ("1990 р.", (1990, 0, 0)),
])
def test_dates_in_common_formats(text, parts):
    assert parse_date(text) == parts


@pytest.mark.parametrize("text, reason", [
    ("31.02.1990", "month 2 has no day 31"), ("13.13.1990", "there is no month 13"),
    ("1850", "the year 1850 is out of range"), ("вчора", "is not a date"),
    ("12 Foo 1990", "is not a month"), ("1.2.3.4", "is not a date"),
])
def test_dates_that_cannot_be_read_say_why(text, reason):
    with pytest.raises(DateError, match=reason):
        parse_date(text)


@pytest.mark.parametrize("text", ["в/ч А1234", "A1234", "А-1234", "military unit 1234",
                                  "в/ч 1234", "Військова частина А1234", "1234"])
def test_unit_numbers_written_many_ways(text):
    assert unit_key(text) == "1234"


def test_service_numbers_ignore_spaces_dashes_and_cyrillic_look_alikes():
    assert service_key("АВ 123456") == service_key("AB-123456") == service_key("ab123456")
    assert service_key("АВ 123456") != service_key("АВ 123457")
