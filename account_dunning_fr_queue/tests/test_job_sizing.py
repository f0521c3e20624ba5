"""The night's jobs sized from the workers (core/sizing.py)."""

from unittest import TestCase

from ..core import sizing


class TestJobSizes(TestCase):
    def test_four_jobs_per_worker_the_last_round_half_size(self):
        # 1,780 customers, 2 workers: 8 jobs; the last two (one a worker)
        # half the others: 6 x + 2 x / 2 = 1,780, x = 254.3: halves of 127,
        # the 1,526 left in 6 jobs of 255 or 254.
        sizes = sizing.job_sizes(1780, 2)
        self.assertEqual(sizes, [255, 255, 254, 254, 254, 254, 127, 127])
        self.assertEqual(sum(sizes), 1780)

    def test_one_worker_gets_equal_jobs(self):
        # Nobody to wait for: no half job at the end.
        self.assertEqual(sizing.job_sizes(1777, 1), [445, 444, 444, 444])

    def test_the_ceiling_makes_more_jobs_at_scale(self):
        # 17,800 customers, 2 workers: 8 jobs would be 2,225 customers each;
        # the ceiling (500) makes 36, whose whole ones would be 17,800 / 35 =
        # 508.6 > 500: 37 jobs, 35 of 495 or 494 and 2 of 247.
        sizes = sizing.job_sizes(17800, 2)
        self.assertEqual(len(sizes), 37)
        self.assertEqual((max(sizes), sizes[-2:], sum(sizes)), (495, [247, 247], 17800))
        self.assertEqual(min(sizes[:-2]), 494)

    def test_the_floor_makes_fewer_jobs_for_a_small_night(self):
        # 60 customers, 4 workers: 16 jobs of 4 would each cost more than
        # their work; floor 25: 3 jobs of 20 (balanced, each under the floor
        # rather than a last one of 10).
        self.assertEqual(sizing.job_sizes(60, 4), [20, 20, 20])
        self.assertEqual(sizing.job_sizes(10, 4), [10])
        self.assertEqual(sizing.job_sizes(0, 2), [])

    def test_a_ceiling_below_the_floor_wins(self):
        # 3 jobs for 2 workers: a single round, no half jobs.
        self.assertEqual(sizing.job_sizes(5, 2, ceiling=2), [2, 2, 1])
        self.assertEqual(sizing.job_sizes(100, 2), [33, 33, 17, 17])

    def test_one_worker_and_settings(self):
        self.assertEqual(sizing.job_sizes(1000, 1, per_worker=2, floor=1), [500, 500])
        self.assertEqual(sizing.job_sizes(1000, 1, per_worker=2, ceiling=300), [250] * 4)
        # 0 jobs a worker (a setting left empty): one job, no division by zero.
        self.assertEqual(sizing.job_sizes(100, 2, per_worker=0), [100])

    def test_split_keeps_the_order(self):
        self.assertEqual(sizing.split(list(range(5)), [2, 2, 1]), [[0, 1], [2, 3], [4]])

    def test_channel_capacity_from_the_configuration(self):
        self.assertEqual(sizing.channel_capacity("root:4,root.dunning:2"), 2)
        self.assertEqual(sizing.channel_capacity("root:3"), 3)
        self.assertEqual(sizing.channel_capacity("root:4, root.dunning:3:throttle=1"), 3)
        self.assertIsNone(sizing.channel_capacity(""))
        self.assertIsNone(sizing.channel_capacity(None))
