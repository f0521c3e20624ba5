"""18.0.1.4.0: the claim lines' currencies are read from their reminder, no
longer stored: their columns (and foreign keys) go."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        ALTER TABLE account_dunning_action_line
            DROP COLUMN IF EXISTS company_currency_id,
            DROP COLUMN IF EXISTS claim_currency_id
        """
    )
