"""How many customers each job of the night reminds (plain Python).

Few large jobs leave a worker idle while another finishes the last one;
many small ones pay each job's fixed cost (a transaction, the batch's
shared reads) over and over. A few jobs per worker keeps every worker busy
to the end, each job within a floor and a ceiling of customers.
"""

import math

JOBS_PER_WORKER = 4
MIN_CUSTOMERS = 25
MAX_CUSTOMERS = 500


def job_sizes(
    customers, workers, per_worker=JOBS_PER_WORKER, floor=MIN_CUSTOMERS, ceiling=MAX_CUSTOMERS
):
    """The sizes of the jobs for ``customers`` customers and a channel of
    ``workers``: about ``per_worker`` jobs per worker, each of ``floor`` to
    ``ceiling`` customers (``floor`` gives way to a lower ``ceiling``).

    With two workers or more and two rounds of jobs or more, the last round
    (one job per worker) is half the size of the others: jobs do not all
    last the same (a worker's first job fills its caches, customers
    differ), and a worker that ends early then waits half a job at most for
    the last one, not a whole one (measured at scale 1: a worker idle for a
    second of a seven-second night with equal jobs)."""
    if customers <= 0:
        return []
    workers = max(1, workers)
    ceiling = max(1, ceiling)
    floor = max(1, min(floor, ceiling))
    size = math.ceil(customers / max(1, workers * per_worker))
    size = min(ceiling, max(floor, size))
    jobs = math.ceil(customers / size)
    if workers == 1 or jobs < 2 * workers:  # a single round
        return _equal(customers, jobs)
    while True:
        # jobs - workers whole jobs and workers half ones.
        half = max(1, round(customers / (jobs - workers / 2) / 2))
        whole = _equal(customers - half * workers, jobs - workers)
        if whole and whole[0] <= ceiling:
            return whole + [half] * workers
        jobs += 1


def _equal(customers, jobs):
    """``customers`` in ``jobs`` sizes that differ by one at most."""
    if jobs <= 0 or customers <= 0:
        return []
    base, extra = divmod(customers, jobs)
    return [base + 1] * extra + [base] * (jobs - extra)


def split(items, sizes):
    """``items`` in consecutive lists of the given ``sizes``."""
    parts, start = [], 0
    for size in sizes:
        parts.append(items[start : start + size])
        start += size
    return parts


def channel_capacity(channels, name="root.dunning"):
    """The capacity of channel ``name`` in queue_job's configuration string
    (``root:4,root.dunning:2``), else of its nearest parent listed; None
    when neither is."""
    capacities = {}
    for part in (channels or "").split(","):
        channel, _sep, rest = part.strip().partition(":")
        capacity = rest.split(":")[0].strip()
        if channel and capacity.isdigit():
            capacities[channel.strip()] = int(capacity)
    while name:
        if name in capacities:
            return capacities[name]
        name = name.rpartition(".")[0]
    return None
