"""`parley match`: exact rows on success; exit 2, every problem, no file on bad input."""

import io
from pathlib import Path

import openpyxl
import pytest

from parley.cli import main

pytestmark = pytest.mark.unit

DATA = Path(__file__).parents[3] / "data" / "match"
EXPECTED = (
    b"record_id_a,record_id_b,probability\n"
    b"UA-001,RU-101,0.9998\n"
    b"UA-002,RU-102,0.9070\n"
    b"UA-003,RU-103,0.9999\n"
    b"UA-004,RU-104,1.0000\n"
    b"UA-006,RU-106,0.9998\n"
    b"UA-007,RU-107,1.0000\n"
    b"UA-008,RU-109,1.0000\n"
    b"UA-009,RU-110,1.0000\n"
)


def test_the_sample_lists_give_exactly_the_expected_pairs(tmp_path, capsys):
    out = tmp_path / "pairs.csv"

    code = main(["match", str(DATA / "sought.csv"), str(DATA / "held.csv"), "-o", str(out)])

    assert code == 0
    assert out.read_bytes() == EXPECTED
    assert capsys.readouterr().out == (
        f"8 pairs of 10 and 11 persons written to {out}; 1 uncertain pairs to review, "
        "1 records listed twice\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairs.csv"]


def test_a_threshold_keeps_only_the_surer_pairs(tmp_path):
    out = tmp_path / "pairs.csv"

    code = main(["match", str(DATA / "sought.csv"), str(DATA / "held.csv"), "-o", str(out),
                 "--threshold", "0.95"])

    assert code == 0
    assert out.read_bytes() == EXPECTED.replace(b"UA-002,RU-102,0.9070\n", b"")


def test_an_xlsx_list_gives_the_same_pairs(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in (DATA / "held.csv").read_text(encoding="utf-8").splitlines():
        sheet.append(line.split(","))
    held = tmp_path / "held.xlsx"
    workbook.save(held)
    out = tmp_path / "pairs.csv"

    assert main(["match", str(DATA / "sought.csv"), str(held), "-o", str(out)]) == 0
    assert out.read_bytes() == EXPECTED


def test_bad_rows_in_both_lists_exit_2_name_them_all_and_write_nothing(tmp_path, capsys):
    sought = tmp_path / "sought.csv"
    sought.write_text("record_id,family_name,date_of_birth\nUA-1,Шевчук,31.02.1990\n"
                      ",Бондар,1990\n", encoding="utf-8")
    held = tmp_path / "held.csv"
    held.write_text("family_name\nКовалёв\n", encoding="utf-8")
    out = tmp_path / "pairs.csv"

    code = main(["match", str(sought), str(held), "-o", str(out)])

    assert code == 2
    assert capsys.readouterr().err == (
        f"{sought}: row 2, date_of_birth: '31.02.1990': month 2 has no day 31\n"
        f"{sought}: row 3, record_id: is empty\n"
        f"{held}: row 1, record_id: the header has no record_id column\n"
        "nothing written: 3 problems in the input\n"
    )
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["held.csv", "sought.csv"]


def test_a_missing_file_and_a_missing_folder_are_problems_too(tmp_path, capsys):
    out = tmp_path / "nowhere" / "pairs.csv"

    code = main(["match", str(tmp_path / "none.csv"), str(DATA / "held.csv"), "-o", str(out)])

    assert code == 2
    assert capsys.readouterr().err == (
        f"{tmp_path / 'none.csv'}: cannot be read: No such file or directory\n"
        f"{out}: cannot be written: the folder {out.parent} does not exist\n"
        "nothing written: 2 problems in the input\n"
    )


def test_a_threshold_that_is_not_a_probability_is_refused(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["match", "a.csv", "b.csv", "-o", "p.csv", "--threshold", "1.5"])
    assert raised.value.code == 2
    assert "must be a probability from 0 to 1, not '1.5'" in capsys.readouterr().err


def test_an_existing_output_survives_bad_input(tmp_path):
    out = tmp_path / "pairs.csv"
    out.write_bytes(b"earlier\n")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(io.BytesIO(b"record_id,family_name\n,X\n").getvalue())

    assert main(["match", str(bad), str(DATA / "held.csv"), "-o", str(out)]) == 2
    assert out.read_bytes() == b"earlier\n"
