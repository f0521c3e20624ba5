{
    "name": "French Dunning - Payer insight",
    "summary": "How each customer pays: payer figures, risk scores and segments, expected "
    "payment dates, the cash-in forecast, reminder effect, collection time and monthly DSO",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "account_dunning_fr contributors",
    "website": "https://github.com/account-dunning-fr/account_dunning_fr",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["account_dunning_fr"],
    "data": [
        "security/account_dunning_insight_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/account_dunning_cash_forecast_views.xml",
        "views/account_dunning_reminder_report_views.xml",
        "views/account_dunning_collection_report_views.xml",
        "views/account_dunning_dso_trend_views.xml",
        "views/account_dunning_insight_views.xml",
        "views/res_config_settings_views.xml",
        "views/account_dunning_insight_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "account_dunning_fr_insight/static/tests/tours/*.js",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "pre_init_hook": "pre_init_hook",
    "installable": True,
    "application": False,
}
