from odoo import fields, models


class QueueJob(models.Model):
    """What a dunning job judged, kept on the job itself: the jobs of one
    run work at once, each in its own transaction, and the run's row cannot
    take their counts as they go (two jobs writing it would make one fail
    and start again); the finishing job adds them up."""

    _inherit = "queue.job"

    dunning_run_id = fields.Many2one(
        "account.dunning.run",
        "Dunning run",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    dunning_skipped_count = fields.Integer(
        "Customers skipped",
        readonly=True,
        help="Customers of this job with something due that were left out: a "
        "reminder waiting for review or failed, or reminded too recently.",
    )
    dunning_covered_count = fields.Integer(
        "Customers covered by credits",
        readonly=True,
        help="Customers of this job whose unmatched payments and credit notes "
        "leave less than the minimum to claim.",
    )
