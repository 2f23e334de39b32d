"""spreadsheet.safe_cell: formula triggers quoted, numbers left alone."""
import pytest

from ckanext.satudata.spreadsheet import safe_cell, safe_row


@pytest.mark.parametrize("value", [
    '=HYPERLINK("http://x","klik")', "+SUM(A1:A2)", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1",
    "=1", "-", "+", "-abc", "=cmd|' /C calc'!A0", "+62 812",
])
def test_formula_triggers_are_quoted(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", [
    -5, -5.5, 0, 1200, None, True, "-5", "+62812345", "-1,5", "-1.5", "-1.5e3", ".5",
    "Bangil", "", "a=b", "1-2", "'=already quoted",
])
def test_numbers_and_plain_text_are_untouched(value):
    assert safe_cell(value) == value


def test_safe_row():
    assert safe_row(["=1", -5, "x"]) == ["'=1", -5, "x"]
