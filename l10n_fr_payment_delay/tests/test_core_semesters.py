"""Calendar semesters of the French rate tables, by hand (core/semesters.py).

The rate of 1 January applies to January-June, the rate of 1 July to
July-December (C. com. L441-10 II, C. mon. fin. L313-2).
"""

from datetime import date

from odoo.tests import BaseCase, tagged

from ..core.semesters import (
    next_semester_start,
    semester_label,
    semester_start,
    split_by_semester,
)


@tagged("post_install", "-at_install")
class TestCoreSemesters(BaseCase):
    def test_semester_start(self):
        self.assertEqual(semester_start(date(2026, 1, 1)), date(2026, 1, 1))
        self.assertEqual(semester_start(date(2026, 6, 30)), date(2026, 1, 1))
        self.assertEqual(semester_start(date(2026, 7, 1)), date(2026, 7, 1))
        self.assertEqual(semester_start(date(2026, 12, 31)), date(2026, 7, 1))
        self.assertEqual(semester_start(date(2024, 2, 29)), date(2024, 1, 1))

    def test_next_semester_start(self):
        self.assertEqual(next_semester_start(date(2026, 1, 1)), date(2026, 7, 1))
        self.assertEqual(next_semester_start(date(2026, 6, 30)), date(2026, 7, 1))
        self.assertEqual(next_semester_start(date(2026, 7, 1)), date(2027, 1, 1))
        self.assertEqual(next_semester_start(date(2026, 12, 31)), date(2027, 1, 1))
        self.assertEqual(next_semester_start(date(2024, 2, 29)), date(2024, 7, 1))

    def test_semester_label(self):
        self.assertEqual(semester_label(date(2026, 1, 1)), "2026-H1")
        self.assertEqual(semester_label(date(2026, 6, 30)), "2026-H1")
        self.assertEqual(semester_label(date(2026, 7, 1)), "2026-H2")
        self.assertEqual(semester_label(date(2026, 12, 31)), "2026-H2")
        self.assertEqual(semester_label(date(2027, 1, 1)), "2027-H1")

    def test_split_inside_one_semester(self):
        self.assertEqual(
            split_by_semester(date(2026, 2, 1), date(2026, 5, 31)),
            [(date(2026, 2, 1), date(2026, 5, 31))],
        )
        # A whole semester, from its first to its last day: one period.
        self.assertEqual(
            split_by_semester(date(2026, 7, 1), date(2026, 12, 31)),
            [(date(2026, 7, 1), date(2026, 12, 31))],
        )
        # One day.
        self.assertEqual(
            split_by_semester(date(2026, 7, 1), date(2026, 7, 1)),
            [(date(2026, 7, 1), date(2026, 7, 1))],
        )

    def test_split_before_the_start_is_empty(self):
        self.assertEqual(split_by_semester(date(2026, 7, 2), date(2026, 7, 1)), [])

    def test_split_at_1_july(self):
        self.assertEqual(
            split_by_semester(date(2026, 6, 15), date(2026, 7, 10)),
            [(date(2026, 6, 15), date(2026, 6, 30)), (date(2026, 7, 1), date(2026, 7, 10))],
        )
        # 30 June to 1 July: one day in each semester.
        self.assertEqual(
            split_by_semester(date(2026, 6, 30), date(2026, 7, 1)),
            [(date(2026, 6, 30), date(2026, 6, 30)), (date(2026, 7, 1), date(2026, 7, 1))],
        )

    def test_split_at_1_january_in_a_leap_year(self):
        periods = split_by_semester(date(2023, 12, 20), date(2024, 7, 5))
        self.assertEqual(
            periods,
            [
                (date(2023, 12, 20), date(2023, 12, 31)),
                (date(2024, 1, 1), date(2024, 6, 30)),
                (date(2024, 7, 1), date(2024, 7, 5)),
            ],
        )
        # 12 days, a first half of 2024 of 182 days (29 February), 5 days.
        self.assertEqual([(end - start).days + 1 for start, end in periods], [12, 182, 5])

    def test_split_over_two_years(self):
        periods = split_by_semester(date(2025, 1, 1), date(2026, 12, 31))
        self.assertEqual(
            periods,
            [
                (date(2025, 1, 1), date(2025, 6, 30)),
                (date(2025, 7, 1), date(2025, 12, 31)),
                (date(2026, 1, 1), date(2026, 6, 30)),
                (date(2026, 7, 1), date(2026, 12, 31)),
            ],
        )
        # 181 days in a first half outside leap years, 184 in a second half.
        self.assertEqual([(end - start).days + 1 for start, end in periods], [181, 184, 181, 184])

    def test_split_at_cuts(self):
        # A cut (e.g. a partial payment on 10 May) starts a new period.
        self.assertEqual(
            split_by_semester(date(2026, 3, 1), date(2026, 8, 31), cuts=[date(2026, 5, 10)]),
            [
                (date(2026, 3, 1), date(2026, 5, 9)),
                (date(2026, 5, 10), date(2026, 6, 30)),
                (date(2026, 7, 1), date(2026, 8, 31)),
            ],
        )
        # A cut on 1 July is the semester's own cut, counted once.
        self.assertEqual(
            split_by_semester(date(2026, 6, 1), date(2026, 7, 31), cuts=[date(2026, 7, 1)]),
            [(date(2026, 6, 1), date(2026, 6, 30)), (date(2026, 7, 1), date(2026, 7, 31))],
        )

    def test_cuts_outside_the_range_are_ignored(self):
        # On the first day (nothing before it), before or after the range.
        cuts = [date(2026, 3, 1), date(2025, 1, 1), date(2027, 1, 1)]
        self.assertEqual(
            split_by_semester(date(2026, 3, 1), date(2026, 4, 30), cuts=cuts),
            [(date(2026, 3, 1), date(2026, 4, 30))],
        )
        # On the last day: that day alone.
        self.assertEqual(
            split_by_semester(date(2026, 3, 1), date(2026, 4, 30), cuts=[date(2026, 4, 30)]),
            [(date(2026, 3, 1), date(2026, 4, 29)), (date(2026, 4, 30), date(2026, 4, 30))],
        )
