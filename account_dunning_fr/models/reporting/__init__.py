from . import account_dunning_ratio_mixin, account_dunning_sql_view
