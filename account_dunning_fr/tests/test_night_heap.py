"""The night's calls keep the objects alive before them out of Python's
full garbage collections (tools/heap.py), and give them back after."""

import gc
from unittest.mock import patch

from odoo.tests import tagged

from ..models.night.account_dunning_run import AccountDunningRun
from ..tools.heap import old_objects_frozen
from .common import DunningCase


def _in_generations(obj):
    """``obj`` is scanned by the collections (frozen objects are not)."""
    return any(tracked is obj for tracked in gc.get_objects())


@tagged("post_install", "-at_install")
class TestNightHeap(DunningCase):
    def setUp(self):
        super().setUp()
        # Something outside could have frozen objects already: the tests
        # compare with what they found, and need it to be nothing.
        if gc.get_freeze_count():
            gc.unfreeze()

    def test_the_objects_alive_before_are_frozen_during_the_block_only(self):
        before = ["alive before"]  # a list: tracked by the collector
        with old_objects_frozen():
            frozen = gc.get_freeze_count()
            self.assertGreater(frozen, 1000, "the registry's objects, not a handful")
            self.assertFalse(_in_generations(before), "frozen: out of the generations")
            made_inside = ["made inside"]
            self.assertTrue(_in_generations(made_inside), "what the night makes is collected")
        self.assertEqual(gc.get_freeze_count(), 0)
        self.assertTrue(_in_generations(before))

    def test_the_freeze_is_undone_when_the_block_raises(self):
        with self.assertRaisesRegex(ValueError, "3 a.m."):
            with old_objects_frozen():
                self.assertGreater(gc.get_freeze_count(), 0)
                raise ValueError("3 a.m.")
        self.assertEqual(gc.get_freeze_count(), 0)

    def test_a_freeze_made_by_someone_else_is_left_as_it_is(self):
        # Objects, not counts: a frozen object freed by reference counting
        # leaves the permanent generation, so the count may drop meanwhile.
        theirs = ["frozen by someone else"]
        gc.freeze()
        try:
            after_theirs = ["made after their freeze"]
            with old_objects_frozen():
                self.assertTrue(_in_generations(after_theirs), "not frozen again by us")
            self.assertFalse(_in_generations(theirs), "their objects stay frozen")
            self.assertGreater(gc.get_freeze_count(), 0)
        finally:
            gc.unfreeze()
        self.assertTrue(_in_generations(theirs))

    def test_each_call_of_the_night_runs_its_batches_frozen(self):
        self._invoice(self.customer, 300.0, days_late=1)
        frozen_in_batch = []
        process = AccountDunningRun._process_batch_safely

        def spy(run, *args, **kwargs):
            frozen_in_batch.append(gc.get_freeze_count())
            return process(run, *args, **kwargs)

        with patch.object(
            AccountDunningRun, "_process_batch_safely", autospec=True, side_effect=spy
        ):
            self._cron()
        self.assertEqual(len(frozen_in_batch), 1)
        self.assertGreater(frozen_in_batch[0], 1000)
        self.assertEqual(gc.get_freeze_count(), 0, "given back after the call")
        self.assertEqual(self._actions(self.customer).amount_due, 300.0)
