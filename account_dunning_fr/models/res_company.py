from odoo import api, models

DEFAULT_POLICY_XMLIDS = (
    "account_dunning_fr.policy_b2b",
    "account_dunning_fr.policy_b2c",
    "account_dunning_fr.policy_public",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._create_default_dunning_policies()
        return companies

    def _create_default_dunning_policies(self):
        """Give each company without a policy a copy of the default ones.

        The defaults are the policies shipped as data (noupdate) for the
        main company, so an accountant's edits to them are what new
        companies inherit.
        """
        Policy = self.env["account.dunning.policy"].sudo()
        sources = Policy.browse()
        for xmlid in DEFAULT_POLICY_XMLIDS:
            sources |= self.env.ref(xmlid, raise_if_not_found=False) or Policy
        if not sources:
            return
        with_policy = set(
            Policy.with_context(active_test=False)
            .search([("company_id", "in", self.ids)])
            .mapped("company_id")
            .ids
        )
        for company in self.filtered(lambda c: c.id not in with_policy):
            for source in sources:
                source.copy({"company_id": company.id, "name": source.name})
