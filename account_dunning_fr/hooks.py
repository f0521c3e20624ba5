def post_init_hook(env):
    """Companies that existed before the install get the default policies."""
    env["res.company"].search([])._create_default_dunning_policies()
