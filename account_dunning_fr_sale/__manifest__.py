{
    "name": "French Dunning - Sales",
    "summary": "Payment status of the customer on quotations and orders, optional credit hold",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "account_dunning_fr contributors",
    "website": "https://github.com/account-dunning-fr/account_dunning_fr",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["account_dunning_fr", "sale"],
    "data": [
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "account_dunning_fr_sale/static/tests/tours/*.js",
        ],
    },
    "auto_install": True,
    "installable": True,
}
