"""How many customers each job of the night reminds (plain Python).

Few large jobs leave a worker idle while another finishes the last one;
many small ones pay each job's fixed cost (a transaction, the batch's
shared reads) over and over. A few jobs per worker keeps every worker busy
to the end, each job within a floor and a ceiling of customers.
"""

import math

# Measured with `make bench-queue` at scale 1 (1,780 customers, 2 workers,
# 2026-12-07): 4 jobs a worker, 2 workers took 3.7 to 3.8 s (8 jobs), 3 a
# worker 3.5 to 3.6 s (6 jobs), 2 a worker 3.6 to 3.8 s (5 jobs, the ceiling
# cutting them unevenly); each job costs about 0.1 s whatever its size (its
# transaction, the batch's shared reads).
JOBS_PER_WORKER = 3
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


# What reminding a customer costs, in whole numbers (exact sums): a job's
# time on the scale-1 benchmark (2026-12-07, `make bench-queue`, 8 jobs)
# fitted 1.2 ms a customer and 0.46 ms an open line, a line 2/5 of a
# customer. Jobs of equal customers were not equal: the one with a customer
# of 924 invoices took 1.1 s for 254 customers, another 0.65 s for 253.
CUSTOMER_WEIGHT = 5
LINE_WEIGHT = 2


def customer_weight(lines):
    """The weight of a customer with ``lines`` open lines."""
    return CUSTOMER_WEIGHT + LINE_WEIGHT * lines


def weighted_split(items, weights, sizes, cap=None):
    """``items`` in consecutive jobs whose weights (``weights``, one per
    item, whole numbers) are in the proportions of ``sizes``, at most
    ``cap`` items a job (more jobs when needed); empty jobs left out.

    An item goes to the job in which the middle of its weight falls, or a
    later one once a job has ``cap`` items: with equal weights, jobs of
    ``sizes`` items; a heavy customer makes its job shorter in customers,
    not longer in time.
    """
    if not items or not sizes:
        return []
    count, total = sum(sizes), sum(weights)
    # Twice the ends of each job's share, times count: whole numbers.
    ends, reached = [], 0
    for size in sizes:
        reached += size
        ends.append(2 * total * reached)
    jobs, job, before = [[] for _size in sizes], 0, 0
    for item, weight in zip(items, weights, strict=True):
        middle = (2 * before + weight) * count
        while job < len(ends) - 1 and middle >= ends[job]:
            job += 1
        while cap and len(jobs[job]) >= cap:
            job += 1
            if job == len(jobs):
                jobs.append([])
                ends.append(ends[-1])
        jobs[job].append(item)
        before += weight
    return [part for part in jobs if part]


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
