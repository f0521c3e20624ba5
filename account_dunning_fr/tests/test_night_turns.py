"""The night's threads take turns in the Python-heavy parts of a batch
(tools/turns.py): never two at once, a thread alone never waits, a turn
held too long is not waited for forever, and the claims, the summaries and
the email bodies are made in turns."""

import threading
import time
from unittest.mock import patch

from odoo.tests import tagged

from ..tools import turns
from ..tools.turns import python_turn
from .common import DunningCase


class RecordingTurn:
    """The turns' lock, which says whether the calling thread holds it."""

    def __init__(self):
        self.lock = threading.RLock()
        self.owner = None
        self.depth = 0
        self.taken = 0

    def acquire(self, timeout=-1):
        acquired = self.lock.acquire(timeout=timeout)
        if acquired:
            self.owner = threading.get_ident()
            self.depth += 1
            self.taken += 1
        return acquired

    def release(self):
        self.depth -= 1
        if not self.depth:
            self.owner = None
        self.lock.release()

    def held(self):
        return self.owner == threading.get_ident()


@tagged("post_install", "-at_install")
class TestNightTurns(DunningCase):
    def _in_thread(self, target):
        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        return thread

    def test_two_threads_are_never_in_their_turns_at_once(self):
        spans = {"a": [], "b": []}

        def work(name):
            for _round in range(3):
                with python_turn():
                    entered = time.monotonic()
                    time.sleep(0.02)
                    spans[name].append((entered, time.monotonic()))

        threads = [self._in_thread(lambda name=name: work(name)) for name in spans]
        for thread in threads:
            thread.join(5)
        self.assertEqual([len(spans["a"]), len(spans["b"])], [3, 3])
        for a_start, a_end in spans["a"]:
            for b_start, b_end in spans["b"]:
                self.assertTrue(
                    a_end <= b_start or b_end <= a_start,
                    "turns overlap: %s and %s" % ((a_start, a_end), (b_start, b_end)),
                )

    def test_a_thread_alone_never_waits_even_in_a_turn_within_a_turn(self):
        started = time.monotonic()
        with patch.object(turns, "TURN_TIMEOUT", 2.0):
            with python_turn():
                with python_turn():
                    pass
            with python_turn():
                pass
        self.assertLess(time.monotonic() - started, 0.5)

    def test_a_turn_held_too_long_is_waited_for_until_the_timeout_only(self):
        holding, release = threading.Event(), threading.Event()

        def hold():
            with python_turn():
                holding.set()
                release.wait(10)

        holder = self._in_thread(hold)
        try:
            self.assertTrue(holding.wait(5))
            started = time.monotonic()
            with patch.object(turns, "TURN_TIMEOUT", 0.3):
                with python_turn():
                    waited = time.monotonic() - started
        finally:
            release.set()
            holder.join(5)
        self.assertGreaterEqual(waited, 0.25, "it waited for its turn")
        self.assertLess(waited, 5, "not for the holder's 10 seconds")
        # The lock is free again, and the thread that went on without it
        # did not release it for the holder.
        self.assertTrue(turns._TURN.acquire(timeout=1))
        turns._TURN.release()

    def test_the_claims_the_summaries_and_the_bodies_are_made_in_turns(self):
        for days_late, customer in ((1, self.customer), (20, self.customer_2)):
            self._invoice(customer, 300.0, days_late=days_late)
        turn = RecordingTurn()
        Action = self.registry["account.dunning.action"]
        Sender = self.registry["account.dunning.sender"]
        seen = []

        def in_turn(cls, name):
            method = getattr(cls, name)

            def spy(*args, **kwargs):
                seen.append((name, turn.held()))
                return method(*args, **kwargs)

            return patch.object(cls, name, spy)

        with (
            patch.object(turns, "_TURN", turn),
            in_turn(Action, "_build_claims"),
            in_turn(Sender, "_get_summary_html"),
            in_turn(Sender, "_render_bodies"),
        ):
            self._cron()
        actions = self.env["account.dunning.action"].search(
            [("partner_id", "in", (self.customer | self.customer_2).ids)]
        )
        self.assertEqual(len(actions), 2)
        self.assertEqual(set(actions.mapped("state")), {"sent"})
        self.assertEqual(
            {name for name, _held in seen},
            {"_build_claims", "_get_summary_html", "_render_bodies"},
        )
        self.assertTrue(all(held for _name, held in seen), seen)
        self.assertFalse(turn.depth, "every turn given back")
        self.assertGreaterEqual(turn.taken, 3)
