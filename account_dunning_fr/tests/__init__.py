from . import test_core_levels
from . import test_core_penalties
from . import test_core_prescription
from . import test_concurrency
from . import test_dunning_action
from . import test_dunning_policy
from . import test_dunning_run
from . import test_res_partner
