{
    "name": "French Dunning - Job queue",
    "summary": "The daily dunning run as OCA queue_job jobs, spread over several workers",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "account_dunning_fr contributors",
    "website": "https://github.com/account-dunning-fr/account_dunning_fr",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["account_dunning_fr", "queue_job"],
    "data": [
        "data/queue_job_data.xml",
        "data/ir_cron_data.xml",
        "views/account_dunning_run_views.xml",
    ],
    "auto_install": True,
    "installable": True,
    "uninstall_hook": "uninstall_hook",
}
