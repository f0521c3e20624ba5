"""The night's jobs sized from the workers (core/sizing.py)."""

from unittest import TestCase

from ..core import sizing


class TestJobSizes(TestCase):
    def test_three_jobs_per_worker_the_last_round_half_size(self):
        # 1,780 customers, 2 workers: 6 jobs; the last two (one a worker)
        # half the others: 4 x + 2 x / 2 = 1,780, x = 356: halves of 178,
        # the 1,424 left in 4 jobs of 356.
        sizes = sizing.job_sizes(1780, 2)
        self.assertEqual(sizes, [356, 356, 356, 356, 178, 178])
        self.assertEqual(sum(sizes), 1780)
        # Four a worker, as the setting may ask: 8 jobs, 6 x + 2 x / 2 =
        # 1,780, x = 254.3: halves of 127, the 1,526 left in 6 jobs of 255
        # or 254.
        self.assertEqual(
            sizing.job_sizes(1780, 2, per_worker=4), [255, 255, 254, 254, 254, 254, 127, 127]
        )

    def test_one_worker_gets_equal_jobs(self):
        # Nobody to wait for: no half job at the end.
        self.assertEqual(sizing.job_sizes(1777, 1), [445, 444, 444, 444])

    def test_the_ceiling_makes_more_jobs_at_scale(self):
        # 17,800 customers, 2 workers: 6 jobs would be 2,967 customers each;
        # the ceiling (500) makes 36, whose whole ones would be 17,800 / 35 =
        # 508.6 > 500: 37 jobs, 35 of 495 or 494 and 2 of 247.
        sizes = sizing.job_sizes(17800, 2)
        self.assertEqual(len(sizes), 37)
        self.assertEqual((max(sizes), sizes[-2:], sum(sizes)), (495, [247, 247], 17800))
        self.assertEqual(min(sizes[:-2]), 494)

    def test_the_floor_makes_fewer_jobs_for_a_small_night(self):
        # 60 customers, 4 workers: 12 jobs of 5 would each cost more than
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

    def test_equal_customers_are_split_by_the_sizes_in_their_order(self):
        self.assertEqual(
            sizing.weighted_split([1, 2, 3, 4, 5], [7] * 5, [2, 2, 1]), [[1, 2], [3, 4], [5]]
        )
        self.assertEqual(sizing.weighted_split([], [], [2]), [])

    def test_a_heavy_customer_shortens_its_job(self):
        # A customer weighs 5 + 2 a line: 1 line 7, 10 lines 25.
        self.assertEqual((sizing.customer_weight(1), sizing.customer_weight(10)), (7, 25))
        # Weights 25, 7, 7, 7, 7 = 53 in jobs of 3 and 2 customers: shares
        # of 53 x 3/5 = 31.8 and 21.2. Middles of the weights: 12.5, 28.5
        # (in the first share), 35.5, 42.5, 49.5 (in the second).
        self.assertEqual(
            sizing.weighted_split(["a", "b", "c", "d", "e"], [25, 7, 7, 7, 7], [3, 2]),
            [["a", "b"], ["c", "d", "e"]],
        )
        # Two jobs of the benchmark's kind: 127 light customers (1 line, 7
        # each: 889) then one of 924 lines (1,853) and 126 light ones (882),
        # in jobs of 127 and 127: shares of 1,812; the heavy one's middle
        # (889 + 926.5) falls in the second, with the last 126.
        items = list(range(254))
        weights = [7] * 127 + [1853] + [7] * 126
        self.assertEqual(
            [len(job) for job in sizing.weighted_split(items, weights, [127, 127])], [127, 127]
        )
        # Twelve light ones (84) then one of 28 lines (61): 145 in shares of
        # 145 x 7/13 = 78.1 and 66.9; the light ones' middles 3.5, 10.5, ...
        # the eleventh's 73.5 the last in the first share; the twelfth's
        # (80.5) and the heavy one's (84 + 30.5) in the second.
        self.assertEqual(
            sizing.weighted_split(list(range(13)), [7] * 12 + [61], [7, 6]),
            [list(range(11)), [11, 12]],
        )

    def test_no_job_gets_more_customers_than_the_cap(self):
        # Equal weights in 2 shares of 5, at most 3 a job: two more jobs.
        self.assertEqual(
            sizing.weighted_split(list(range(10)), [5] * 10, [5, 5], cap=3),
            [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]],
        )
        # Weights 100, 5, 5, 5, 5 = 120 in shares of 72 and 48: the heavy
        # one alone in the first (middle 50), the others' middles (102.5 to
        # 117.5) in the second, which takes 2: a third job for the last.
        self.assertEqual(
            sizing.weighted_split(list(range(5)), [100, 5, 5, 5, 5], [3, 2], cap=2),
            [[0], [1, 2], [3, 4]],
        )

    def test_channel_capacity_from_the_configuration(self):
        self.assertEqual(sizing.channel_capacity("root:4,root.dunning:2"), 2)
        self.assertEqual(sizing.channel_capacity("root:3"), 3)
        self.assertEqual(sizing.channel_capacity("root:4, root.dunning:3:throttle=1"), 3)
        self.assertIsNone(sizing.channel_capacity(""))
        self.assertIsNone(sizing.channel_capacity(None))
