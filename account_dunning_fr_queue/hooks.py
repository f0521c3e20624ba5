def uninstall_hook(env):
    """Give the daily run back to the core: without this add-on, the
    scheduled action processes the batches itself again."""
    cron = env.ref("account_dunning_fr.ir_cron_dunning_run", raise_if_not_found=False)
    if cron:
        cron.code = "model._cron_run_dunning()"
