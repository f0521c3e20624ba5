from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestDunningPolicy(DunningCase):
    def test_default_french_b2b_policy_levels(self):
        levels = self.policy._get_sorted_levels()
        self.assertEqual(levels.mapped("delay_days"), [-5, 1, 15, 30, 45, 60])
        self.assertEqual(
            [(lvl.automatic, lvl.formal_notice, lvl.litigation) for lvl in levels],
            [
                (True, False, False),
                (True, False, False),
                (True, False, False),
                (True, False, False),
                (False, True, False),
                (False, False, True),
            ],
        )
        self.assertTrue(self.level_2.send_letter and self.level_2.send_email)
        self.assertTrue(self.level_call.create_activity)

    def test_the_highest_level_is_the_furthest_in_escalation(self):
        # Delays 30 (reminder 3, a call) and 45 (formal notice): the notice
        # is further whatever the order; the courtesy level (-5) the least.
        Level = self.env["account.dunning.level"]
        levels = self.level_notice | self.level_call | self.level_courtesy | self.level_1
        self.assertEqual(levels._get_highest(), self.level_notice)
        self.assertEqual((self.level_courtesy | self.level_1)._get_highest(), self.level_1)
        self.assertFalse(Level._get_highest())
        ranks = levels._ranks()
        ids = [self.level_1.id, self.level_litigation.id, self.level_notice.id]
        ranks.update(self.level_litigation._ranks())
        self.assertEqual(Level._highest_id(ids, ranks), self.level_litigation.id)
        self.assertEqual(Level._highest_id([self.level_call.id] * 2, ranks), self.level_call.id)
        self.assertIsNone(Level._highest_id([], ranks))

    def test_two_levels_cannot_share_a_delay(self):
        with self.assertRaisesRegex(ValidationError, "share the same delay"):
            self.env["account.dunning.level"].create(
                {
                    "policy_id": self.policy.id,
                    "name": "Duplicate",
                    "delay_days": 15,
                    "mail_template_id": self.level_2.mail_template_id.id,
                }
            )

    def test_email_level_needs_a_template(self):
        with self.assertRaisesRegex(ValidationError, "choose its template"):
            self.env["account.dunning.level"].create(
                {"policy_id": self.policy.id, "name": "No template", "delay_days": 90}
            )

    def test_level_needs_a_channel(self):
        with self.assertRaisesRegex(ValidationError, "at least one channel"):
            self.env["account.dunning.level"].create(
                {
                    "policy_id": self.policy.id,
                    "name": "Silent",
                    "delay_days": 90,
                    "send_email": False,
                }
            )

    def test_minimum_gap_is_at_least_one_day(self):
        with self.assertRaises(ValidationError):
            self.policy.min_gap_days = 0

    def test_one_default_policy_per_regime(self):
        with self.assertRaises(ValidationError):
            self.policy.copy({"name": "Second default", "is_default": True})

    def test_new_company_gets_the_default_policies(self):
        company = self.env["res.company"].create({"name": "Filiale Bordeaux"})
        policies = self.env["account.dunning.policy"].search([("company_id", "=", company.id)])
        self.assertEqual(sorted(policies.mapped("regime")), ["b2b", "b2c", "public"])
        b2b = policies.filtered(lambda p: p.regime == "b2b")
        self.assertEqual(b2b.level_ids.mapped("delay_days"), [-5, 1, 15, 30, 45, 60])
        self.assertEqual(b2b.level_ids.company_id, company)

    def test_partner_policy_follows_kind_of_customer(self):
        person = self.env["res.partner"].create({"name": "Jeanne Petit", "is_company": False})
        mairie = self._customer("Mairie de Lyon", dunning_public_buyer=True)
        self.assertEqual(self.customer._get_dunning_policy(), self.policy)
        self.assertEqual(
            person._get_dunning_policy(), self.env.ref("account_dunning_fr.policy_b2c")
        )
        self.assertEqual(
            mairie._get_dunning_policy(), self.env.ref("account_dunning_fr.policy_public")
        )
        own = self.policy.copy({"name": "VIP", "is_default": False})
        self.customer.dunning_policy_id = own
        self.assertEqual(self.customer._get_dunning_policy(), own)
        # All at once, from a cold cache: a contact takes its company's.
        contact = self.env["res.partner"].create(
            {"name": "Service comptable", "parent_id": self.customer.id, "type": "invoice"}
        )
        self.env.invalidate_all()
        partners = self.customer | person | mairie | contact
        self.assertEqual(
            partners._get_dunning_policies(self.company),
            {
                self.customer.id: own,
                person.id: self.env.ref("account_dunning_fr.policy_b2c"),
                mairie.id: self.env.ref("account_dunning_fr.policy_public"),
                contact.id: own,
            },
        )
        self.assertEqual(
            [partner.dunning_regime for partner in partners], ["b2b", "b2c", "public", "b2b"]
        )
        # The customer's own policy is this company's: another company
        # applies its own default for the kind.
        other = self.env["res.company"].create({"name": "Filiale Lille"})
        other_b2b = self.env["account.dunning.policy"].search(
            [("company_id", "=", other.id), ("regime", "=", "b2b"), ("is_default", "=", True)]
        )
        self.assertEqual(partners.sudo()._get_dunning_policies(other)[self.customer.id], other_b2b)
