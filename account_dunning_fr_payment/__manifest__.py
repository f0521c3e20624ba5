{
    "name": "French Dunning - Online payment",
    "summary": "Pay the next instalment of a payment plan online from the customer portal",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "account_dunning_fr contributors",
    "website": "https://github.com/account-dunning-fr/account_dunning_fr",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["account_dunning_fr", "account_payment"],
    "auto_install": True,
    "installable": True,
}
