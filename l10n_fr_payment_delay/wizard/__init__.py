from . import l10n_fr_payment_delay_report
