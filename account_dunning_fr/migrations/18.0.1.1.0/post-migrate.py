"""18.0.1.1.0: levels per instalment, reminders dated from their sending,
lines on the journal items they list, claims in one currency."""


def migrate(cr, version):
    if not version:
        return
    # Each open instalment takes the level its invoice had reached.
    cr.execute(
        """
        UPDATE account_move_line aml
           SET dunning_level_id = m.dunning_level_id, dunning_last_date = m.dunning_last_date
          FROM account_move m, account_account acc
         WHERE aml.move_id = m.id AND acc.id = aml.account_id
           AND acc.account_type = 'asset_receivable' AND aml.balance > 0
           AND m.dunning_level_id IS NOT NULL AND aml.dunning_level_id IS NULL
        """
    )
    # A reminder counts from the day it was sent.
    cr.execute(
        """
        UPDATE account_dunning_action
           SET date_sent = COALESCE(sent_date::date, date)
         WHERE state = 'sent' AND date_sent IS NULL
        """
    )
    # Claims were in the company's currency.
    cr.execute(
        """
        UPDATE account_dunning_action act
           SET currency_id = c.currency_id
          FROM res_company c
         WHERE c.id = act.company_id
        """
    )
    # Lines listed an invoice: they now list its (first) receivable item.
    cr.execute(
        """
        UPDATE account_dunning_action_line line
           SET move_line_id = first_line.id, line_type = 'invoice'
          FROM (
                SELECT DISTINCT ON (aml.move_id) aml.move_id, aml.id
                  FROM account_move_line aml
                  JOIN account_account acc ON acc.id = aml.account_id
                 WHERE acc.account_type = 'asset_receivable' AND aml.balance > 0
              ORDER BY aml.move_id, aml.date_maturity, aml.id
               ) first_line
         WHERE first_line.move_id = line.move_id AND line.move_line_id IS NULL
        """
    )
