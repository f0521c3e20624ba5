from . import test_job_sizing, test_queue_concurrency, test_queue_run
