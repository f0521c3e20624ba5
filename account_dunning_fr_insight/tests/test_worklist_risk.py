"""The collector's worklist with each customer's payer risk."""

from odoo.tests import tagged

from odoo.addons.account_dunning_fr.tests.common import DunningCase


@tagged("post_install", "-at_install")
class TestWorklistRisk(DunningCase):
    def test_worklist_sorts_by_expected_loss(self):
        for partner, amount in ((self.customer, 1000.0), (self.customer_2, 300.0)):
            invoice = self._invoice(partner, amount, days_late=45)
            self._set_level(invoice, self.level_call, days_ago=15)
        self._run()
        Profile = self.env["account.dunning.payer.profile"]
        for partner, score in ((self.customer, 10), (self.customer_2, 80)):
            profile = Profile.search(
                [("partner_id", "=", partner.id), ("company_id", "=", self.company.id)]
            ) or Profile.create({"partner_id": partner.id, "company_id": self.company.id})
            profile.risk_score = score
        self.env.flush_all()
        rows = self.env["account.dunning.worklist"].search(
            [("partner_id", "in", (self.customer | self.customer_2).ids)],
            order="expected_loss desc",
        )
        # 300 x 80 % = 240 at stake before 1000 x 10 % = 100.
        self.assertEqual(rows.partner_id.ids, [self.customer_2.id, self.customer.id])
        self.assertEqual(rows.mapped("risk_score"), [80, 10])
        self.assertEqual(rows.mapped("expected_loss"), [240.0, 100.0])
