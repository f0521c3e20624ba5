from odoo import fields, models

from ..core import sizing


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_jobs_per_worker = fields.Integer(
        "Dunning jobs per worker",
        default=sizing.JOBS_PER_WORKER,
        config_parameter="account_dunning_fr_queue.jobs_per_worker",
        help="The night is split into this many jobs per worker of the dunning channel, "
        "so that every worker stays busy until the end.",
    )
    dunning_job_min_customers = fields.Integer(
        "Minimum customers per job",
        default=sizing.MIN_CUSTOMERS,
        config_parameter="account_dunning_fr_queue.job_min_customers",
    )
    dunning_job_max_customers = fields.Integer(
        "Maximum customers per job",
        default=sizing.MAX_CUSTOMERS,
        config_parameter="account_dunning_fr_queue.job_max_customers",
    )
    dunning_queue_workers = fields.Integer(
        "Dunning workers",
        default=2,
        config_parameter="account_dunning_fr_queue.workers",
        help="Used only when the capacity of the root.dunning channel is not found in the "
        "server's configuration (ODOO_QUEUE_JOB_CHANNELS or [queue_job] channels).",
    )
