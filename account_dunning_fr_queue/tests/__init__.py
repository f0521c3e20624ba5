from . import test_queue_run
