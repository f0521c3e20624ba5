{
    "name": "French Dunning - Spreadsheet dashboard",
    "summary": "A Collections dashboard in the Dashboards app: DSO trend, overdue ageing, "
    "recovery rate, cash-in forecast, late payers",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "account_dunning_fr contributors",
    "website": "https://github.com/account-dunning-fr/account_dunning_fr",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["account_dunning_fr_insight", "spreadsheet_dashboard"],
    "data": [
        "data/dashboards.xml",
    ],
    "auto_install": True,
    "installable": True,
}
