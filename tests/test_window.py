from __future__ import annotations

import datetime as dt

import pytest

from pipeline.errors import InputError
from pipeline.window import Window, parse_window, window_for


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2027, 1, 31), Window(2027, 1)),  # last day of the January window
        (dt.date(2027, 2, 1), Window(2027, 7)),  # the day after: July
        (dt.date(2027, 7, 31), Window(2027, 7)),
        (dt.date(2027, 8, 1), Window(2028, 1)),  # the day after: next January
        (dt.date(2026, 11, 22), Window(2027, 1)),
        (dt.date(2027, 3, 10), Window(2027, 7)),
        (dt.date(2026, 12, 31), Window(2027, 1)),
        (dt.date(2027, 1, 1), Window(2027, 1)),
    ],
)
def test_window_rule(day: dt.date, expected: Window) -> None:
    assert window_for(day) == expected


def test_deadline_is_the_last_day_of_the_month() -> None:
    assert Window(2027, 1).deadline == dt.date(2027, 1, 31)
    assert Window(2027, 7).deadline == dt.date(2027, 7, 31)


def test_names_follow_the_design() -> None:
    window = Window(2027, 1)
    assert window.title("University of Example") == "University of Example/January/2027"
    assert window.file_stem("University of Example") == "University-of-Example_January_2027"


@pytest.mark.parametrize(
    ("institution", "stem"),
    [
        ("King's College  Example", "Kings-College-Example_July_2027"),
        ("Université de Ville / Campus", "Université-de-Ville-Campus_July_2027"),
        ("St. Example's Institute (Research)", "St-Examples-Institute-Research_July_2027"),
        ("A:B\\C", "A-B-C_July_2027"),
    ],
)
def test_file_names_are_safe(institution: str, stem: str) -> None:
    assert Window(2027, 7).file_stem(institution) == stem


@pytest.mark.parametrize("text", ["2027-03", "2027-1-5", "January 2027", "27-01"])
def test_bad_window_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="give YYYY-01 or YYYY-07"):
        parse_window(text)


def test_window_option_parses() -> None:
    assert parse_window("2027-07") == Window(2027, 7)
