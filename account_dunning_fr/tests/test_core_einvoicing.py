"""What an invoice's lifecycle statuses mean for dunning (core/einvoicing.py).

The codes and labels of XP Z12-014 (README of /work/shared/einvoicing);
the effect of each on dunning is this project's design. Statuses come in
any order (Annex B 1.2): the one dated last decides, a refusal, rejection
or cancellation stops for good, information never decides.
"""

import itertools
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

from odoo.tests import BaseCase, tagged

from ..core.cdar import parse_cdar
from ..core.einvoicing import (
    EinvoiceDunningState,
    dunning_state,
    effect_table,
    is_known_code,
    status_effect,
    status_label,
)

DATA = Path(__file__).parent / "data" / "cdar"


def status(code, when, reason_code=None, reason=None, requested_action=None):
    """A status as the Odoo layer will pass it: any object with these names."""
    if isinstance(when, date) and not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day, 10, 0)
    return SimpleNamespace(
        code=code,
        status_datetime=when,
        reason_code=reason_code,
        reason=reason,
        requested_action=requested_action,
    )


DISPUTE = status("207", date(2026, 12, 3), "PU_ERR", "Prix unitaire erroné", "CNP")


@tagged("post_install", "-at_install")
class TestCoreEinvoicing(BaseCase):
    # The table

    def test_the_table_lists_the_readmes_codes_with_the_standards_labels(self):
        self.assertEqual(
            [(code, label, effect) for code, label, effect, _meaning in effect_table()],
            [
                ("200", "Déposée", "info"),
                ("201", "Émise par la plateforme", "info"),
                ("202", "Reçue par la plateforme", "info"),
                ("203", "Mise à disposition", "proof"),
                ("204", "Prise en charge", "info"),
                ("205", "Approuvée", "resume"),
                ("206", "Approuvée partiellement", "review"),
                ("207", "En litige", "pause"),
                ("208", "Suspendue", "pause"),
                ("209", "Complétée", "resume"),
                ("210", "Refusée", "stop"),
                ("211", "Paiement transmis", "hold"),
                ("212", "Encaissée", "seller"),
                ("213", "Rejetée", "stop"),
                ("220", "Annulée", "stop"),
                ("225", "Affacturée", "factor"),
                ("226", "Affacturée confidentiel", "factor"),
                ("227", "Changement de compte à payer", "factor"),
            ],
        )
        for row in effect_table():
            self.assertTrue(row[3].endswith("."), row)

    def test_codes_the_readme_does_not_list_are_unknown(self):
        # 214-219, 221-224 and 228 exist in the schematron's list but have
        # no label in our sources: none is invented.
        for code in ("214", "219", "221", "224", "228", "299", "501", "", None):
            self.assertFalse(is_known_code(code), code)
        self.assertTrue(is_known_code(" 207 "))
        self.assertEqual(status_label("220"), "Annulée")
        self.assertEqual(status_effect("211"), "hold")
        with self.assertRaises(KeyError):
            status_label("221")

    # Deciding

    def test_no_status_chases_normally(self):
        self.assertEqual(dunning_state([], date(2026, 12, 1), 5), EinvoiceDunningState())
        self.assertEqual(dunning_state([], date(2026, 12, 1), 5).effect, "none")

    def test_payment_sent_holds_until_the_end_of_the_hold_days(self):
        paid = [status("211", date(2026, 12, 1))]
        # 1 December + 5 days = 6 December, the last day held.
        held = dunning_state(paid, date(2026, 12, 6), 5)
        self.assertEqual(
            held,
            EinvoiceDunningState(
                effect="hold",
                code="211",
                since=date(2026, 12, 1),
                until=date(2026, 12, 6),
                payment_announced_on=date(2026, 12, 1),
            ),
        )
        self.assertEqual(dunning_state(paid, date(2026, 12, 1), 5).effect, "hold")
        # 7 December: the payment never came, dunning resumes, and the
        # reminder can say the payment announced on 1 December was not received.
        resumed = dunning_state(paid, date(2026, 12, 7), 5)
        self.assertEqual(
            resumed,
            EinvoiceDunningState(
                effect="none",
                code="211",
                since=date(2026, 12, 1),
                until=date(2026, 12, 6),
                payment_announced_on=date(2026, 12, 1),
            ),
        )

    def test_zero_hold_days_hold_the_status_day_only(self):
        paid = [status("211", date(2026, 12, 1))]
        self.assertEqual(dunning_state(paid, date(2026, 12, 1), 0).effect, "hold")
        self.assertEqual(dunning_state(paid, date(2026, 12, 2), 0).effect, "none")
        with self.assertRaises(ValueError):
            dunning_state(paid, date(2026, 12, 2), -1)

    def test_a_dispute_dated_after_a_payment_notice_pauses(self):
        statuses = [status("211", date(2026, 12, 1)), DISPUTE]
        self.assertEqual(
            dunning_state(statuses, date(2026, 12, 4), 5),
            EinvoiceDunningState(
                effect="pause",
                code="207",
                since=date(2026, 12, 3),
                reason_code="PU_ERR",
                reason="Prix unitaire erroné",
                requested_action="CNP",
                payment_announced_on=date(2026, 12, 1),
            ),
        )
        # Still paused long after the hold would have ended.
        self.assertEqual(dunning_state(statuses, date(2027, 3, 1), 5).effect, "pause")

    def test_a_payment_notice_dated_after_a_dispute_holds(self):
        statuses = [DISPUTE, status("211", date(2026, 12, 10))]
        state = dunning_state(statuses, date(2026, 12, 11), 5)
        self.assertEqual((state.effect, state.until), ("hold", date(2026, 12, 15)))

    def test_the_order_of_arrival_does_not_matter(self):
        statuses = [
            status("203", date(2026, 11, 2)),
            status("205", date(2026, 11, 5)),
            status("211", date(2026, 12, 1)),
            DISPUTE,
            status("204", date(2026, 12, 5)),
        ]
        expected = dunning_state(statuses, date(2026, 12, 20), 5)
        self.assertEqual((expected.effect, expected.code), ("pause", "207"))
        for order in itertools.permutations(statuses):
            self.assertEqual(dunning_state(order, date(2026, 12, 20), 5), expected)
        self.assertEqual(dunning_state(reversed(statuses), date(2026, 12, 20), 5), expected)

    def test_approval_dated_after_a_dispute_resumes(self):
        approved = status("205", date(2026, 12, 8))
        state = dunning_state([DISPUTE, approved], date(2026, 12, 9), 5)
        self.assertEqual(
            state,
            EinvoiceDunningState(effect="none", code="205", since=date(2026, 12, 8)),
        )

    def test_approval_dated_before_a_dispute_does_not_resume(self):
        # Received after it (listed last) but dated 1 December, before the 3rd.
        approved = status("205", date(2026, 12, 1))
        state = dunning_state([DISPUTE, approved], date(2026, 12, 9), 5)
        self.assertEqual((state.effect, state.code), ("pause", "207"))

    def test_later_in_the_same_day_decides(self):
        morning = status("207", datetime(2026, 12, 3, 9, 0), "PU_ERR")
        afternoon = status("205", datetime(2026, 12, 3, 16, 0))
        self.assertEqual(dunning_state([afternoon, morning], date(2026, 12, 3), 5).code, "205")

    def test_a_status_time_with_its_zone_is_dated_in_utc(self):
        # 00:30 in Paris on 3 December (UTC+1 in winter) is 23:30 UTC on the 2nd.
        paris = timezone(timedelta(hours=1))
        disputed = status("207", datetime(2026, 12, 3, 0, 30, tzinfo=paris), "PU_ERR")
        approved = status("205", datetime(2026, 12, 2, 23, 45))
        state = dunning_state([disputed, approved], date(2026, 12, 4), 5)
        self.assertEqual((state.code, state.effect), ("205", "none"))
        self.assertEqual(dunning_state([disputed], date(2026, 12, 4), 5).since, date(2026, 12, 2))

    def test_at_the_same_instant_the_most_cautious_status_wins(self):
        moment = datetime(2026, 12, 3, 10, 0)
        approved, disputed = status("205", moment), status("207", moment, "PU_ERR")
        self.assertEqual(dunning_state([approved, disputed], date(2026, 12, 4), 5).code, "207")
        self.assertEqual(dunning_state([disputed, approved], date(2026, 12, 4), 5).code, "207")

    def test_suspended_until_completed(self):
        suspended = status("208", date(2026, 12, 2), "JUSTIF_ABS", None, "PIN")
        state = dunning_state([suspended], date(2026, 12, 20), 5)
        self.assertEqual(
            (state.effect, state.code, state.requested_action), ("pause", "208", "PIN")
        )
        completed = status("209", date(2026, 12, 10))
        state = dunning_state([suspended, completed], date(2026, 12, 20), 5)
        self.assertEqual(
            (state.effect, state.code, state.since), ("none", "209", date(2026, 12, 10))
        )

    def test_partial_approval_is_held_for_review(self):
        partial = status("206", date(2026, 12, 2), "QTE_ERR", "Quantité", "CNP")
        state = dunning_state([status("205", date(2026, 11, 30)), partial], date(2026, 12, 20), 5)
        self.assertEqual(
            state,
            EinvoiceDunningState(
                effect="review",
                code="206",
                since=date(2026, 12, 2),
                reason_code="QTE_ERR",
                reason="Quantité",
                requested_action="CNP",
            ),
        )
        self.assertFalse(state.blocks_claims)

    def test_refused_then_approved_stays_stopped(self):
        # The buyer does not book a refused invoice: the seller must issue a
        # credit note or a corrected invoice, and never chases this one again.
        refused = status("210", date(2026, 12, 2), "DOUBLON", "Déjà reçue", "CNF")
        approved = status("205", date(2026, 12, 9))
        state = dunning_state(
            [refused, approved, status("211", date(2026, 12, 10))], date(2026, 12, 11), 5
        )
        self.assertEqual(
            state,
            EinvoiceDunningState(
                effect="stop",
                code="210",
                since=date(2026, 12, 2),
                reason_code="DOUBLON",
                reason="Déjà reçue",
                requested_action="CNF",
                payment_announced_on=date(2026, 12, 10),
                blocks_claims=True,
            ),
        )

    def test_rejected_or_cancelled_stops_whatever_its_date(self):
        rejected = status("213", date(2026, 11, 20), "CALCUL_ERR")
        cancelled = status("220", date(2026, 12, 5))
        later = [status("205", date(2026, 12, 8)), status("209", date(2026, 12, 9))]
        state = dunning_state([*later, rejected], date(2026, 12, 10), 5)
        self.assertEqual((state.effect, state.code, state.blocks_claims), ("stop", "213", True))
        state = dunning_state([*later, cancelled], date(2026, 12, 10), 5)
        self.assertEqual(
            (state.effect, state.code, state.since), ("stop", "220", date(2026, 12, 5))
        )
        # Of two stops, the first one, which ended the chase, is reported.
        state = dunning_state([cancelled, rejected], date(2026, 12, 10), 5)
        self.assertEqual((state.code, state.since), ("213", date(2026, 11, 20)))

    def test_taken_over_after_a_dispute_keeps_the_pause(self):
        # 204 "Prise en charge" says the buyer's workflow has the invoice,
        # not that the dispute is settled.
        state = dunning_state([DISPUTE, status("204", date(2026, 12, 8))], date(2026, 12, 9), 5)
        self.assertEqual((state.effect, state.code), ("pause", "207"))

    def test_information_cashed_and_factoring_never_decide(self):
        for code in ("200", "201", "202", "203", "204", "212", "225", "226", "227"):
            later = status(code, date(2026, 12, 8))
            state = dunning_state([DISPUTE, later], date(2026, 12, 9), 5)
            self.assertEqual((state.effect, state.code), ("pause", "207"), code)
            self.assertEqual(dunning_state([later], date(2026, 12, 9), 5).effect, "none", code)

    def test_made_available_gives_the_proof_of_receipt(self):
        statuses = [
            status("203", datetime(2026, 11, 2, 16, 25)),
            status("203", datetime(2026, 11, 4, 9, 0)),
            DISPUTE,
        ]
        state = dunning_state(statuses, date(2026, 12, 9), 5)
        self.assertEqual((state.received_on, state.effect), (date(2026, 11, 4), "pause"))

    def test_statuses_without_a_date_or_with_an_unknown_code_are_ignored(self):
        statuses = [DISPUTE, status("205", None), status("221", date(2026, 12, 9))]
        self.assertEqual(dunning_state(statuses, date(2026, 12, 10), 5).code, "207")

    # End to end, with the standard's use case 1

    def test_use_case_1_read_from_its_messages(self):
        statuses = [
            s for path in sorted(DATA.glob("UC1_*.xml")) for s in parse_cdar(path.read_bytes())
        ]
        self.assertEqual(len(statuses), 9)
        # 211 on 30 July 2025 + 3 days: held to 2 August; the 212 of
        # 2 August is the seller's own and decides nothing.
        held = dunning_state(statuses, date(2025, 8, 2), 3)
        self.assertEqual(
            held,
            EinvoiceDunningState(
                effect="hold",
                code="211",
                since=date(2025, 7, 30),
                until=date(2025, 8, 2),
                payment_announced_on=date(2025, 7, 30),
                received_on=date(2025, 7, 1),
            ),
        )
        self.assertEqual(dunning_state(statuses, date(2025, 8, 3), 3).effect, "none")
