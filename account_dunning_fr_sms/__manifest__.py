{
    "name": "French Dunning - SMS",
    "summary": "SMS reminders for French Dunning, through Odoo's SMS module",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "account_dunning_fr contributors",
    "website": "https://github.com/account-dunning-fr/account_dunning_fr",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["account_dunning_fr", "sms"],
    "data": [
        "views/account_dunning_policy_views.xml",
        "views/account_dunning_action_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
