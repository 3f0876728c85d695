"""The matcher: person lists in Ukrainian, Russian and Latin spellings linked person to person.

Pure Python (no Django): `read_person_list` reads and checks a CSV or XLSX list, `link_lists`
links two lists (Fellegi-Sunter with weights learned by EM; see linkage.py and
docs/matching.md).
"""

from .errors import PersonListError
from .linkage import REVIEW_HIGH, REVIEW_LOW, Linkage, LinkedPair, link_lists
from .normalise import DateError, fold, given_key, parse_date, patronymic_key
from .reader import COLUMNS, read_person_list

__all__ = [
    "COLUMNS",
    "REVIEW_HIGH",
    "REVIEW_LOW",
    "DateError",
    "LinkedPair",
    "Linkage",
    "PersonListError",
    "fold",
    "given_key",
    "link_lists",
    "parse_date",
    "patronymic_key",
    "read_person_list",
]
