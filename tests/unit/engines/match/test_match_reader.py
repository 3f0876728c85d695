"""read_person_list: CSV and XLSX, every column kept, every bad row reported at once."""

import datetime as dt
import io

import openpyxl
import pytest

from parley.engines.match import PersonListError, read_person_list

pytestmark = pytest.mark.unit

GOOD = (
    "record_id,family_name,given_name,patronymic,date_of_birth,military_unit,note\n"
    "UA-1,Шевчук,Олександр,Олексійович,12.03.1990,в/ч А1234,поранений\n"
    "UA-2,Kovalenko,Nataliia,,1985,,\n"
)


def test_a_csv_list_reads_every_column_as_text():
    rows = read_person_list(GOOD.encode(), filename="list.csv")

    assert rows == [
        {"record_id": "UA-1", "family_name": "Шевчук", "given_name": "Олександр",
         "patronymic": "Олексійович", "date_of_birth": "12.03.1990",
         "military_unit": "в/ч А1234", "note": "поранений"},
        {"record_id": "UA-2", "family_name": "Kovalenko", "given_name": "Nataliia",
         "patronymic": "", "date_of_birth": "1985", "military_unit": "", "note": ""},
    ]


def test_a_byte_order_mark_and_spaces_are_dropped(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes("\ufeffrecord_id , family_name\n UA-1 , Шевчук \n".encode())

    assert read_person_list(path, filename=path.name) == [
        {"record_id": "UA-1", "family_name": "Шевчук"}]


def test_an_xlsx_list_reads_like_the_csv_with_dates_as_dates():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["record_id", "family_name", "given_name", "date_of_birth", "service_number"])
    sheet.append(["RU-1", "Ковалёв", "Александр", dt.datetime(1990, 3, 12), 123456])
    sheet.append(["RU-2", "Петров", "Иван", "12 марта 1990 г.", None])
    data = io.BytesIO()
    workbook.save(data)

    rows = read_person_list(data.getvalue(), filename="list.xlsx")

    assert rows == [
        {"record_id": "RU-1", "family_name": "Ковалёв", "given_name": "Александр",
         "date_of_birth": "1990-03-12", "service_number": "123456"},
        {"record_id": "RU-2", "family_name": "Петров", "given_name": "Иван",
         "date_of_birth": "12 марта 1990 г.", "service_number": ""},
    ]


def test_every_bad_row_is_reported_with_its_field_and_reason():
    text = (
        "record_id,family_name,given_name,date_of_birth,date_of_capture\n"
        "UA-1,Шевчук,Олександр,31.02.1990,\n"
        ",Бондар,Іван,1990,\n"
        "UA-1,Ткачук,Петро,,2023-13-01\n"
        "UA-4,,,1990,\n"
        "\n"
        "UA-5,Мельник,Олег,1990,,surplus\n"
    )

    with pytest.raises(PersonListError) as raised:
        read_person_list(text.encode(), filename="list.csv")

    assert raised.value.rows == [
        (2, "date_of_birth", "'31.02.1990': month 2 has no day 31"),
        (3, "record_id", "is empty"),
        (4, "record_id", "'UA-1' is already row 2"),
        (4, "date_of_capture", "'2023-13-01': there is no month 13"),
        (5, "family_name", "neither a family name nor a given name"),
        (7, None, "has 6 cells, the header 5"),
    ]
    assert str(raised.value).splitlines()[0] == (
        "row 2, date_of_birth: '31.02.1990': month 2 has no day 31")


def test_a_list_without_record_ids_is_refused():
    with pytest.raises(PersonListError) as raised:
        read_person_list(b"family_name,given_name\n", filename="list.csv")
    assert raised.value.rows == [(1, "record_id", "the header has no record_id column")]


def test_a_list_without_names_is_refused():
    with pytest.raises(PersonListError) as raised:
        read_person_list(b"record_id,date_of_birth\nUA-1,1990\n", filename="list.csv")
    assert raised.value.rows == [
        (1, None, "the header has neither family_name nor given_name"),
        (2, "family_name", "neither a family name nor a given name"),
    ]


def test_text_that_is_not_utf8_is_refused_with_its_line():
    data = "record_id,family_name\nUA-1,Шевчук\n".encode() + "UA-2,Бондар\n".encode("cp1251")

    with pytest.raises(PersonListError) as raised:
        read_person_list(data, filename="list.csv")
    assert raised.value.rows == [(3, None, "is not UTF-8 text")]


def test_a_broken_workbook_is_refused():
    with pytest.raises(PersonListError) as raised:
        read_person_list(b"not a workbook", filename="list.xlsx")
    assert raised.value.rows[0][:2] == (0, None)
    assert raised.value.rows[0][2].startswith("is not a readable workbook")
