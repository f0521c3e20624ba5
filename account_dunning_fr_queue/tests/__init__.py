from . import test_queue_concurrency, test_queue_run
