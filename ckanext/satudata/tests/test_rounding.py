"""Report figures rounded half up (rounding.py), where round() gives half to even."""
from __future__ import annotations

import pytest

from ckanext.satudata.rounding import ratio


@pytest.mark.parametrize("numerator, denominator, places, expected", [
    (1, 8, 2, 0.13),        # round(1 / 8, 2) == 0.12
    (3, 8, 2, 0.38),        # round(3 / 8, 2) == 0.38 too: both agree away from the tie
    (1, 3, 2, 0.33),
    (2, 3, 2, 0.67),
    (100, 16, 1, 6.3),      # round(6.25, 1) == 6.2
    (100 * 2, 3, 1, 66.7),
    (5, 2, 0, 3.0),         # round(2.5) == 2
    (0, 4, 2, 0.0),
    (7, 7, 1, 1.0),
    (0.1 + 0.2, 1, 1, 0.3),  # floats by their decimal text
    (1, 0, 2, None),
    (0, 0, 1, None),
])
def test_half_up(numerator, denominator, places, expected):
    assert ratio(numerator, denominator, places) == expected


def test_the_reports_use_it():
    from ckanext.satudata.logic import epss, report

    assert epss._mean([0, 0, 1, 0, 0, 0, 0, 0]) == 0.13
    entry = epss._entry()
    entry.update(returns=1, _datasets=set(range(8)))
    assert epss._finish(entry)["returns_per_dataset"] == 0.13  # the Dasbor's 0,12 of the walk
    tally = {"steps": 16, "on_time": 1, "_delays": [1, 2]}
    assert report._finish(tally)["on_time_percent"] == 6.3
    assert tally["mean_delay_working_days"] == 1.5
