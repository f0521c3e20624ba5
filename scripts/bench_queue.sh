#!/usr/bin/env bash
# make bench-queue: the daily run as queue_job jobs (account_dunning_fr_queue)
# with 1 worker, then with 2, on a copy of the bench data; prints the wall
# time of each, the speed-up, and the customers reminded twice (duplicates)
# or not at all (lost: due when the run started, as the core reads them,
# and without a reminder after it), counted by SQL after each run.
#
# BENCH_QUEUE_SRC_DB  bench data, only copied (default dunning_b_data_2000_10000,
#                     made by make bench)
# BENCH_QUEUE_DB      the copy (default dunning_q_bench; dropped at the end
#                     unless BENCH_KEEP is set)
# BENCH_QUEUE_WORKERS worker counts to compare (default "1 2")
# BENCH_QUEUE_BATCH   a ceiling of customers per job (account_dunning_fr.batch_size);
#                     unset (the default): the bridge's defaults size the jobs
#                     from the channel's capacity (3 jobs a worker, 25 to 500)
# HTTP_PORT           port of the Odoo server the job runner calls (default 18201;
#                     the next two ports are used too: the shell, gevent)
source "$(dirname "$0")/common.sh"
check_odoo
ensure_postgres
SRC_DB="${BENCH_QUEUE_SRC_DB:-dunning_b_data_2000_10000}"
DB="${BENCH_QUEUE_DB:-dunning_q_bench}"
WORKERS_LIST="${BENCH_QUEUE_WORKERS:-1 2}"
BATCH="${BENCH_QUEUE_BATCH:-}"
PORT="${HTTP_PORT:-18201}"
TIMEOUT="${BENCH_QUEUE_TIMEOUT:-1800}"
db_exists "$SRC_DB" || die "$SRC_DB not found: make it with make bench (or set BENCH_QUEUE_SRC_DB)"
"$ODOO_PYTHON" -c 'import importlib.metadata as m; m.version("odoo-addon-queue_job")' 2>/dev/null \
    || die "queue_job is not installed for $ODOO_PYTHON (pip install 'odoo-addon-queue_job>=18.0,<18.1')"

ODOO_BIN="$("$ODOO_PYTHON" -c 'import os, odoo; print(os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin"))')"
[ -f "$ODOO_BIN" ] || die "odoo-bin not found beside the odoo package ($ODOO_BIN)"
WORK="$(mktemp -d)"
SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT
sql() { psql -d "$DB" -tAqc "$1"; }

# prepare: a fresh copy of the data with the bridge installed (the source is
# never written: createdb -T refuses while it is in use).
prepare() {
    fresh_db "$SRC_DB" "$DB"
    run_odoo "$DB" -u account_dunning_fr -i account_dunning_fr_queue --stop-after-init \
        --http-port="$PORT" || die "account_dunning_fr_queue did not install in $DB"
    settle_db "$DB"  # as make bench does
    [ -z "$BATCH" ] || sql "INSERT INTO ir_config_parameter (key, value)
         VALUES ('account_dunning_fr.batch_size', '$BATCH')
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value" >/dev/null
}

# start_server N: Odoo with N HTTP workers, the job runner, no cron thread
# (the run is triggered below, once), channel capacity N.
start_server() {
    local workers="$1"
    cat >"$WORK/odoo.conf" <<CONF
[options]
addons_path = $(odoo_addons_path)
db_name = $DB
dbfilter = ^$DB\$
http_port = $PORT
gevent_port = $((PORT + 2))
workers = $workers
max_cron_threads = 0
server_wide_modules = web,queue_job
limit_time_cpu = 600
limit_time_real = 1200
log_level = warn
log_handler = odoo.addons.queue_job.jobrunner.runner:INFO
logfile = $WORK/odoo_$workers.log

[queue_job]
channels = root:$workers,root.dunning:$workers
CONF
    # odoo-bin, not `python3 -m odoo`: the prefork server starts its gevent
    # (websocket) process again from sys.argv[0], which `-m odoo` makes a
    # path that cannot be run.
    "$ODOO_PYTHON" "$ODOO_BIN" --config="$WORK/odoo.conf" --workers="$workers" \
        --load=web,queue_job &
    SERVER_PID=$!
    local started=""
    for _ in $(seq 1 60); do
        if curl -s -o /dev/null "http://127.0.0.1:$PORT/web/login"; then started=1; break; fi
        sleep 1
    done
    [ -n "$started" ] || die "Odoo did not start on port $PORT (see $WORK/odoo_$workers.log)"
    # queue_job's runner starts 5 s after the server (its START_DELAY): a
    # night triggered before would count the server's boot (half a second
    # of a 10-second night), not its work. Its log says when it listens.
    local ready=""
    for _ in $(seq 1 120); do
        if grep -q "database connections ready" "$WORK/odoo_$workers.log" 2>/dev/null; then
            ready=1
            break
        fi
        sleep 0.5
    done
    [ -n "$ready" ] || die "the job runner did not start (see $WORK/odoo_$workers.log)"
    warm_workers "$workers"
}

# warm_workers N: every HTTP worker serves a request before the night, as the
# workers of a server that has been up all day have. A worker's first request
# builds its routing map (0.15 s of CPU): the login probe above did it for
# one worker only, so that the night with 2 workers paid it once more than
# the night with 1. N requests at once, a few times: a cold worker takes
# 0.15 s over its first one, so the others are served by the other workers.
warm_workers() {
    local pids
    for _ in 1 2 3; do
        pids=()
        for _ in $(seq 1 "$1"); do
            curl -s -o /dev/null "http://127.0.0.1:$PORT/web/login" &
            pids+=($!)
        done
        wait "${pids[@]}"
    done
}

# trigger: the scheduled action once, as the scheduler would start it.
# First the customers due, as the core reads them (a run created and rolled
# back), kept in a table: "lost" counts those left without a reminder.
trigger() {
    # The channel's capacity as the server has it: the scheduled action
    # sizes the jobs from it.
    ODOO_QUEUE_JOB_CHANNELS="root:$1,root.dunning:$1" run_odoo_shell "$DB" --http-port="$((PORT + 1))" <<'PY' >/dev/null
Run = env["account.dunning.run"]
due = {}
for company in env["res.company"].search([("dunning_active", "=", True)]):
    run = Run.create({"company_id": company.id, "trigger": "manual"})
    due[company.id] = list(run.with_company(company)._get_due_customers()[0])
env.cr.rollback()
env.cr.execute("DROP TABLE IF EXISTS bench_queue_due")
env.cr.execute("CREATE TABLE bench_queue_due (company_id int, partner_id int)")
for company_id, partner_ids in due.items():
    env.cr.executemany(
        "INSERT INTO bench_queue_due VALUES (%s, %s)", [(company_id, pid) for pid in partner_ids]
    )
env.cr.commit()
env.ref("account_dunning_fr.ir_cron_dunning_run").method_direct_trigger()
env.cr.commit()
# The scheduler's cron worker lives on after starting the run; this shell's
# exit (0.25 s of CPU freeing its registry) would take one of the machine's
# cores from the workers it has just set going: leave at once.
import os
os._exit(0)
PY
}

# wait_done: until today's scheduled run is finished (its last job done).
# One query every 2 seconds: a psql call takes 25 ms of CPU, and as much
# for its backend; two a second were 3 % of the two cores the workers need.
# The wall time is read from the jobs' own timestamps, not from this loop.
wait_done() {
    local waited=0 state
    while :; do
        state="$(sql "SELECT CASE
                          WHEN EXISTS (SELECT 1 FROM queue_job WHERE channel = 'root.dunning'
                                       AND state = 'failed') THEN 'failed'
                          WHEN EXISTS (SELECT 1 FROM account_dunning_run WHERE trigger = 'cron'
                                       AND date = CURRENT_DATE AND state = 'done') THEN 'done'
                          ELSE 'running' END")"
        case "$state" in
            done) return 0 ;;
            failed)
                echo "A dunning job failed: see queue_job in $DB (BENCH_KEEP=1 keeps it)." >&2
                return 1
                ;;
        esac
        [ "$waited" -lt "$TIMEOUT" ] || { echo "Timed out after ${TIMEOUT}s" >&2; return 1; }
        sleep 2
        waited=$((waited + 2))
    done
}

# measure N: prints "seconds jobs reminders duplicates lost" of the run.
measure() {
    # Wall time: from the run's creation by the scheduled action to its last
    # job (create_date, not start_datetime: a Datetime field, cut to the
    # second), to the hundredth: to the tenth, a 3-second night made the
    # speed-up move by 3 % with the rounding alone.
    local wall jobs reminders duplicates lost
    wall="$(sql "SELECT round(extract(epoch FROM max(j.date_done) - r.create_date)::numeric, 2)
                 FROM account_dunning_run r, queue_job j
                 WHERE r.trigger = 'cron' AND r.date = CURRENT_DATE AND j.channel = 'root.dunning'
                 GROUP BY r.create_date")"
    jobs="$(sql "SELECT count(*) FROM queue_job WHERE method_name = '_dunning_job_remind'")"
    reminders="$(sql "SELECT count(*) FROM account_dunning_action WHERE date = CURRENT_DATE")"
    duplicates="$(sql "SELECT count(*) FROM (SELECT partner_id FROM account_dunning_action
                       WHERE date = CURRENT_DATE GROUP BY partner_id HAVING count(*) > 1) d")"
    # Due: a customer with a posted invoice past its due date and still open.
    lost="$(sql "SELECT count(*) FROM bench_queue_due d
                 WHERE NOT EXISTS (SELECT 1 FROM account_dunning_action a
                                   WHERE a.partner_id = d.partner_id
                                     AND a.company_id = d.company_id
                                     AND a.date = CURRENT_DATE)")"
    echo "$wall $jobs $reminders $duplicates $lost"
}

declare -A WALL
for workers in $WORKERS_LIST; do
    echo "== $workers worker(s): copying $SRC_DB to $DB, installing account_dunning_fr_queue"
    prepare
    start_server "$workers"
    echo "== $workers worker(s): running (channel root.dunning:$workers, ${BATCH:-default} customers a job)"
    trigger "$workers"
    status=0
    wait_done || status=$?
    stop_server
    [ "$status" -eq 0 ] || die "the run with $workers worker(s) did not finish"
    read -r wall jobs reminders duplicates lost <<<"$(measure)"
    WALL[$workers]="$wall"
    echo "$workers worker(s): ${wall} s wall, $jobs jobs, $reminders reminders," \
        "$duplicates duplicates, $lost lost"
done
[ -n "${BENCH_KEEP:-}" ] || dropdb "$DB"

echo "== Summary ($SRC_DB, ${BATCH:-default} customers a job)"
for workers in $WORKERS_LIST; do echo "$workers worker(s): ${WALL[$workers]} s"; done
first="${WORKERS_LIST%% *}"
for workers in $WORKERS_LIST; do
    [ "$workers" = "$first" ] && continue
    echo "speed-up $first -> $workers workers: $(python3 -c "print(f'{${WALL[$first]} / ${WALL[$workers]}:.2f}x')")"
done
