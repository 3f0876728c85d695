"""link_lists with real names: each variation on top of a background of ordinary records."""

import pytest

from parley.engines.match import REVIEW_HIGH, REVIEW_LOW, link_lists

pytestmark = pytest.mark.unit

PERSON_UA = {"record_id": "UA-X", "family_name": "Шевчук", "given_name": "Олександр",
             "patronymic": "Олексійович", "date_of_birth": "12.03.1990",
             "military_unit": "в/ч А1234", "service_number": "АВ 123456", "sex": "ч"}
PERSON_RU = {"record_id": "RU-X", "family_name": "Шевчук", "given_name": "Александр",
             "patronymic": "Алексеевич", "date_of_birth": "1990-03-12",
             "military_unit": "А-1234", "service_number": "AB123456", "sex": "м"}


def linked_ids(a, b, **kwargs):
    linkage = link_lists(a, b, **kwargs)
    return {(a[p.index_a]["record_id"], b[p.index_b]["record_id"]) for p in linkage.pairs}


def pair_of(linkage, a, b, id_a, id_b):
    for pair in linkage.pairs:
        if (a[pair.index_a]["record_id"], b[pair.index_b]["record_id"]) == (id_a, id_b):
            return pair
    return None


def test_the_background_links_each_man_to_himself(background):
    a, b = background
    assert linked_ids(a, b) == {(f"UA-{n:04d}", f"RU-{n:04d}") for n in range(len(a))}


@pytest.mark.parametrize("changes", [
    {},
    {"family_name": "Shevchuk", "given_name": "Aleksandr", "patronymic": "Alekseevich"},
    {"family_name": "Shevchuk", "given_name": "Alexander", "patronymic": "Alekseyevich"},
    {"given_name": "Oleksandr", "patronymic": "Oleksiiovych", "family_name": "Shevchuk"},
    {"family_name": "Шевчюк"},  # a typo
    {"family_name": "Александр", "given_name": "Шевчук"},  # names swapped
    {"date_of_birth": "03.12.1990"},  # day and month swapped
    {"date_of_birth": "12 марта 1990 г."},
    {"date_of_birth": "1990"},  # year only
    {"date_of_birth": ""},
    {"patronymic": ""},
    {"date_of_birth": "12.03.1991"},  # a wrong digit
])
def test_one_man_written_two_ways_is_linked(background, changes):
    a, b = background
    a = a + [PERSON_UA]
    b = b + [PERSON_RU | changes]

    linkage = link_lists(a, b)

    pair = pair_of(linkage, a, b, "UA-X", "RU-X")
    assert pair is not None
    assert pair.probability >= 0.5


def test_a_russified_surname_is_the_same_surname(background):
    a, b = background
    a = a + [PERSON_UA | {"family_name": "Ковальов"}]
    b = b + [PERSON_RU | {"family_name": "Ковалёв"}]

    assert ("UA-X", "RU-X") in linked_ids(a, b)


def test_the_compared_fields_say_what_agreed(background):
    a, b = background
    a = a + [PERSON_UA]
    b = b + [PERSON_RU | {"date_of_birth": "03.12.1990", "family_name": "Шевчюк",
                         "place_of_birth": "Харьков"}]

    pair = pair_of(link_lists(a, b), a, b, "UA-X", "RU-X")

    assert pair.fields["given_name"] == "agree"
    assert pair.fields["patronymic"] == "agree"
    assert pair.fields["date_of_birth"] == "close"
    assert pair.fields["family_name"] == "close"
    assert pair.fields["military_unit"] == "agree"
    assert pair.fields["service_number"] == "agree"
    assert pair.fields["place_of_birth"] == "missing"


NAMESAKE = PERSON_RU | {"record_id": "RU-NAMESAKE", "date_of_birth": "1984-07-21",
                       "military_unit": "", "service_number": ""}


def test_a_namesake_born_on_another_day_is_not_certain_and_goes_to_review(background):
    """Same family, given and father's names, another date of birth, nothing else known: on
    short lists without namesakes the model cannot rule it out, so a person decides."""
    a, b = background
    a = a + [PERSON_UA]
    b = b + [NAMESAKE]

    linkage = link_lists(a, b)

    certain = {(p.index_a, p.index_b) for p in linkage.pairs if p.probability >= REVIEW_HIGH}
    reviewed = [p for p in linkage.candidates if b[p.index_b]["record_id"] == "RU-NAMESAKE"]
    assert (len(a) - 1, len(b) - 1) not in certain
    assert [a[p.index_a]["record_id"] for p in reviewed] == ["UA-X"]
    assert reviewed[0].fields["date_of_birth"] == "disagree"


def test_of_a_man_and_his_namesake_the_man_is_linked(background):
    a, b = background
    namesake = PERSON_RU | {"record_id": "RU-NAMESAKE", "date_of_birth": "1984-07-21",
                            "military_unit": "", "service_number": ""}
    a = a + [PERSON_UA]
    b = b + [namesake, PERSON_RU]

    linked = linked_ids(a, b)

    assert ("UA-X", "RU-X") in linked
    assert not any(pair[1] == "RU-NAMESAKE" for pair in linked)


def test_a_father_is_not_his_son(background):
    a, b = background
    son = {"record_id": "UA-SON", "family_name": "Мельничук", "given_name": "Петро",
           "patronymic": "Петрович", "date_of_birth": "14.05.1999"}
    father = {"record_id": "RU-FATHER", "family_name": "Мельничук", "given_name": "Пётр",
              "patronymic": "Иванович", "date_of_birth": "1971-02-03"}
    a = a + [son]
    b = b + [father]

    assert not any(pair[0] == "UA-SON" or pair[1] == "RU-FATHER" for pair in linked_ids(a, b))


def test_a_man_listed_twice_is_one_cluster_and_linked_once(background):
    a, b = background
    a = a + [PERSON_UA]
    twice = [PERSON_RU, PERSON_RU | {"record_id": "RU-X2", "family_name": "Shevchuk",
                                     "given_name": "Aleksandr", "patronymic": ""}]
    b = b + twice

    linkage = link_lists(a, b)

    assert [[b[i]["record_id"] for i in cluster] for cluster in linkage.duplicates_b] == [
        ["RU-X", "RU-X2"]]
    assert linkage.duplicates_a == []
    mine = [p for p in linkage.pairs if a[p.index_a]["record_id"] == "UA-X"]
    assert len(mine) == 1
    assert b[mine[0].index_b]["record_id"] in {"RU-X", "RU-X2"}


def test_the_pairs_are_one_to_one(background):
    a, b = background
    linkage = link_lists(a, b)

    assert len({p.index_a for p in linkage.pairs}) == len(linkage.pairs)
    assert len({p.index_b for p in linkage.pairs}) == len(linkage.pairs)


def test_below_the_threshold_a_pair_is_only_offered_for_review(background):
    a, b = background
    a = a + [PERSON_UA]
    b = b + [NAMESAKE]

    loose, strict = link_lists(a, b, threshold=0.5), link_lists(a, b, threshold=0.95)

    def ids(pairs):
        return {(a[p.index_a]["record_id"], b[p.index_b]["record_id"]) for p in pairs}

    assert ("UA-X", "RU-NAMESAKE") in ids(loose.pairs) - ids(strict.pairs)
    assert ("UA-X", "RU-NAMESAKE") in ids(strict.candidates)
    assert all(p.probability >= 0.95 for p in strict.pairs)
    assert all(REVIEW_LOW <= p.probability < REVIEW_HIGH for p in strict.candidates)


def test_an_initial_is_close_to_the_name(background):
    a, b = background
    a = a + [{"record_id": "UA-T", "family_name": "Вакуленко", "given_name": "Тарас",
              "date_of_birth": "14.02.1988"}]
    b = b + [{"record_id": "RU-T", "family_name": "Вакуленко", "given_name": "Т.",
              "date_of_birth": "1988-02-14"}]

    linkage = link_lists(a, b)

    pair = pair_of(linkage, a, b, "UA-T", "RU-T")
    assert pair.fields["given_name"] == "close"


def test_empty_lists_link_nothing():
    linkage = link_lists([], [PERSON_RU])
    assert (linkage.pairs, linkage.candidates, linkage.duplicates_a) == ([], [], [])
