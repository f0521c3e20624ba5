"""The night's jobs sized from the workers (core/sizing.py)."""

from unittest import TestCase

from ..core import sizing


class TestJobSizes(TestCase):
    def test_four_jobs_per_worker_of_equal_size(self):
        # 1,780 customers, 2 workers: 8 jobs of 222 or 223, none left alone.
        sizes = sizing.job_sizes(1780, 2)
        self.assertEqual(sizes, [223, 223, 223, 223, 222, 222, 222, 222])
        self.assertEqual(sum(sizes), 1780)

    def test_the_ceiling_makes_more_jobs_at_scale(self):
        # 17,800 customers, 2 workers: 8 jobs would be 2,225 customers each;
        # the ceiling (500) makes 36 of 494 or 495.
        sizes = sizing.job_sizes(17800, 2)
        self.assertEqual(len(sizes), 36)
        self.assertEqual((max(sizes), min(sizes), sum(sizes)), (495, 494, 17800))

    def test_the_floor_makes_fewer_jobs_for_a_small_night(self):
        # 60 customers, 4 workers: 16 jobs of 4 would each cost more than
        # their work; floor 25: 3 jobs of 20 (balanced, each under the floor
        # rather than a last one of 10).
        self.assertEqual(sizing.job_sizes(60, 4), [20, 20, 20])
        self.assertEqual(sizing.job_sizes(10, 4), [10])
        self.assertEqual(sizing.job_sizes(0, 2), [])

    def test_a_ceiling_below_the_floor_wins(self):
        self.assertEqual(sizing.job_sizes(5, 2, ceiling=2), [2, 2, 1])

    def test_one_worker_and_settings(self):
        self.assertEqual(sizing.job_sizes(1000, 1, per_worker=2, floor=1), [500, 500])
        self.assertEqual(sizing.job_sizes(1000, 1, per_worker=2, ceiling=300), [250] * 4)

    def test_split_keeps_the_order(self):
        self.assertEqual(sizing.split(list(range(5)), [2, 2, 1]), [[0, 1], [2, 3], [4]])

    def test_channel_capacity_from_the_configuration(self):
        self.assertEqual(sizing.channel_capacity("root:4,root.dunning:2"), 2)
        self.assertEqual(sizing.channel_capacity("root:3"), 3)
        self.assertEqual(sizing.channel_capacity("root:4, root.dunning:3:throttle=1"), 3)
        self.assertIsNone(sizing.channel_capacity(""))
        self.assertIsNone(sizing.channel_capacity(None))
