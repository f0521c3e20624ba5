"""The fixtures' day near midnight (common.seconds_before_the_day_is_safe)."""

from datetime import datetime
from unittest.mock import patch

import freezegun

from odoo.tests import BaseCase, tagged

from . import common


@tagged("post_install", "-at_install")
class TestDayOfTheFixtures(BaseCase):
    def test_far_from_midnight_a_class_starts_at_once(self):
        for now in (datetime(2026, 12, 6, 0, 0, 5), datetime(2026, 12, 6, 23, 55)):
            self.assertEqual(common.seconds_before_the_day_is_safe(now), 0)

    def test_close_to_midnight_a_class_waits_for_the_next_day(self):
        # 23:58:30: 90 s to midnight, and 1 s more to be past it.
        self.assertEqual(
            common.seconds_before_the_day_is_safe(datetime(2026, 12, 6, 23, 58, 30)), 91
        )
        # New Year's Eve at 23:59:59.5.
        self.assertEqual(
            common.seconds_before_the_day_is_safe(datetime(2026, 12, 31, 23, 59, 59, 500000)),
            1.5,
        )

    def _wait_of_a_class_started_at(self, now):
        class Started(common.LatePaymentCase):
            pass

        with freezegun.freeze_time(now), patch.object(common.time, "sleep") as sleep:
            Started._keep_one_day()
        return [call.args[0] for call in sleep.call_args_list]

    def test_a_class_started_before_midnight_sleeps_past_it(self):
        self.assertEqual(self._wait_of_a_class_started_at(datetime(2026, 12, 6, 23, 57)), [181])

    def test_a_class_started_in_the_day_does_not_sleep(self):
        self.assertEqual(self._wait_of_a_class_started_at(datetime(2026, 12, 6, 14, 0)), [])
