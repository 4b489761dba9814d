#!/usr/bin/env python3
"""connectql benchmarks against the local Connect endpoint, side by side
with the AWS CLI.

Usage:  python3 benches/bench.py [--profile release|debug] [--runs N] [--quick]
                                 [--writes-only | --accounts-only | --differences-only | --copy-only]

Builds connectql (release by default), starts `connectql emulator` on
loopback, installs the AWS CLI from PyPI into a throw-away virtual
environment, and prints one table of figures with the target beside each.
Wall times are medians over several runs of whole processes; peak memory is
each process's maximum resident set size (wait4's ru_maxrss).
"""

import argparse
import atexit
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def clean_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE="/nonexistent",
        AWS_SHARED_CREDENTIALS_FILE="/nonexistent",
        NO_PROXY="127.0.0.1,localhost",
        NO_COLOR="1",
    )
    return env


class Emulator:
    def __init__(self, binary, *args):
        self.proc = subprocess.Popen(
            [binary, "emulator", "--listen", "127.0.0.1:0", *args],
            stdout=subprocess.PIPE,
            env=clean_env(),
            text=True,
        )
        # Never outlive the benchmark, whatever ends it.
        atexit.register(self.proc.kill)
        line = self.proc.stdout.readline().strip()
        assert line.startswith("listening on "), line
        self.url = line[len("listening on "):]

    def stats(self):
        with urllib.request.urlopen(self.url + "/_emulator/stats") as r:
            return json.load(r)

    def post(self, path, body=None):
        req = urllib.request.Request(
            self.url + path,
            data=json.dumps(body or {}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(req) as r:
            return json.loads(r.read() or b"null")

    def close(self):
        self.proc.kill()
        self.proc.wait()


def measure(cmd, env=None, stdin=None, expect_failure=False):
    """(wall seconds, stdout, stderr) of one process; it must succeed (or,
    with expect_failure, exit 1)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        env=env or clean_env(),
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = proc.communicate(stdin)
    wall = time.perf_counter() - start
    # communicate() reaped the child; its rusage is gone, so use wait4 via a
    # wrapper when memory matters (see peak()).
    if proc.returncode != (1 if expect_failure else 0):
        sys.exit(f"command failed ({proc.returncode}): {cmd}\n{err}")
    return wall, out, err


def peak_rss_mb(cmd, env=None, expect_failure=False):
    """Runs cmd once and returns its peak resident set size in MB."""
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            os.execvpe(cmd[0], cmd, env or clean_env())
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != (1 if expect_failure else 0):
        sys.exit(f"command failed: {cmd}")
    return usage.ru_maxrss / 1024.0


def median_wall(cmd, runs, env=None):
    return statistics.median(measure(cmd, env)[0] for _ in range(runs))


def install_aws_cli():
    venv = tempfile.mkdtemp(prefix="connectql-bench-awscli-")
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    pip = os.path.join(venv, "bin", "pip")
    subprocess.run([pip, "install", "--quiet", "--disable-pip-version-check", "awscli"], check=True)
    return venv, os.path.join(venv, "bin", "aws")


def instance_arns(emu, aws, region):
    out = measure([aws, "--endpoint-url", emu.url, "--region", region, "connect", "list-instances"])[1]
    return {i["InstanceAlias"]: i["Arn"] for i in json.loads(out)["InstanceSummaryList"]}


def writes(binary, aws, args, row, t_show):
    """Bulk changes: 1,000 users moved to another routing profile."""
    # Throttled from the move on (the fault below), not while setting up.
    emu = Emulator(binary)
    emu.post("/_emulator/seed", {"region": "us-east-1", "count": 1, "alias_prefix": "bulk"})
    arn = instance_arns(emu, aws, "us-east-1")["bulk-0001"]
    emu.post("/_emulator/seed", {"region": "us-east-1", "instance": "bulk-0001", "resource": "users", "count": 1000})
    where = f"region = 'us-east-1' AND data__InstanceId = '{arn}'"
    cq = [binary, "--endpoint-url", emu.url, "--region", "us-east-1", "-o", "json"]
    # The profile to move them to, made by connectql itself (before throttling).
    subprocess.run(cq + ["-e", (
        "INSERT INTO aws.connect.routing_profiles (name, description, default_outbound_queue_arn, media_concurrencies, region, data__InstanceId) "
        f"SELECT 'Tier 2', 'second tier', queue_arn, '[{{\"Channel\":\"VOICE\",\"Concurrency\":1}}]', region, '{arn}' "
        f"FROM aws.connect.queues WHERE {where} LIMIT 1")], check=True, env=clean_env(), capture_output=True)
    # Planning alone, 5,000 targets: --dry-run reads what the change needs,
    # computes the difference and prints every call, sending none.
    emu.post("/_emulator/seed", {"region": "us-east-1", "count": 1, "alias_prefix": "plan"})
    plan_arn = instance_arns(emu, aws, "us-east-1")["plan-0001"]
    emu.post("/_emulator/seed", {"region": "us-east-1", "instance": "plan-0001", "resource": "users", "count": 5000})
    plan_where = f"region = 'us-east-1' AND data__InstanceId = '{plan_arn}'"
    # (Connect takes 1 to 10 security profiles: an empty list would be
    # refused before any call, so the target list names one, by name.)
    plan = cq + ["--dry-run", "-e", f"UPDATE aws.connect.users SET security_profile_arns = json_array('Admin') WHERE {plan_where}"]
    t_plan = measure(plan)[0]
    m_plan = peak_rss_mb(plan)
    row("plan 5,000 target rows (--dry-run: reads + difference, no write call)", f"{t_plan:.2f} s / {m_plan:.0f} MB", "< 1 s / < 150 MB", t_plan < 1 and m_plan < 150)

    emu.post("/_emulator/faults", {"throttle": True})
    move = (f"UPDATE aws.connect.users SET routing_profile_arn = (SELECT routing_profile_arn FROM aws.connect.routing_profiles "
            f"WHERE {where} AND name = 'Tier 2') WHERE {where}")

    stats = emu.stats()
    before, throttled_before = stats["calls"], stats["throttled"]
    t_move = measure(cq + ["--yes", "-e", move])[0]
    stats = emu.stats()
    after, throttled = stats["calls"], stats["throttled"] - throttled_before
    made = {k: after.get(k, 0) - before.get(k, 0) for k in after if after.get(k, 0) != before.get(k, 0)}
    written = {k: v for k, v in made.items() if not k.startswith(("List", "Describe", "Search"))}
    # The endpoint counts every attempt; those it throttled (429, any
    # operation) changed nothing and were sent again by the pacer.
    attempts = written.get("UpdateUserRoutingProfile", 0)
    moved = json.loads(measure(cq + ["-e", f"SELECT count(*) AS n FROM aws.connect.users u WHERE u.{where} "
                                     f"AND u.routing_profile_arn = (SELECT routing_profile_arn FROM aws.connect.routing_profiles "
                                     f"WHERE {where} AND name = 'Tier 2')"])[1])[0]["n"]
    floor = (1000 - 5) / 2.0
    row("move 1,000 users, throttled: users moved; UpdateUserRoutingProfile attempts (throttled)",
        f"{moved}; {attempts} ({throttled})", "1000; 1000 + throttled",
        set(written) == {"UpdateUserRoutingProfile"} and moved == 1000 and attempts - throttled <= 1000)
    row("  wall time", f"{t_move:.1f} s", f"<= {1.3 * floor + t_show:.1f} s (1.3 x floor {floor:.1f} s)", t_move <= 1.3 * floor + t_show)
    before = emu.stats()["calls"]
    measure(cq + ["--yes", "-e", move])
    after = emu.stats()["calls"]
    again = sum(after.get(k, 0) - before.get(k, 0) for k in after if not k.startswith(("List", "Describe", "Search")))
    row("  the same statement again: write calls", f"{again}", "0", again == 0)

    # The AWS CLI, one process per user, on the same throttled endpoint: a
    # sample of 20 users, extrapolated to 1,000.
    users = json.loads(measure(cq + ["-e", f"SELECT id FROM aws.connect.users WHERE {where} LIMIT 20"])[1])
    profile = json.loads(measure(cq + ["-e", f"SELECT id FROM aws.connect.routing_profiles WHERE {where} AND name <> 'Tier 2' LIMIT 1"])[1])[0]["id"]
    iid = arn.rsplit("/", 1)[1]
    started = time.time()
    for u in users:
        measure([aws, "--endpoint-url", emu.url, "--region", "us-east-1", "connect", "update-user-routing-profile",
                 "--instance-id", iid, "--user-id", u["id"], "--routing-profile-id", profile])
    per_call = (time.time() - started) / max(1, len(users))
    row("  a shell loop over aws connect update-user-routing-profile (20 timed, x 50)", f"{per_call * 1000:.0f} s", "(reported)", None)
    emu.close()


# Four accounts, one profile each, chosen on the endpoint by their access keys.
ACCOUNTS = [("bench-dev", "AKIABENCHACCOUNT0001", "310000000001"),
            ("bench-staging", "AKIABENCHACCOUNT0002", "310000000002"),
            ("bench-prod", "AKIABENCHACCOUNT0003", "310000000003"),
            ("bench-replica", "AKIABENCHACCOUNT0004", "310000000004")]
PLACES_REGIONS = ["us-east-1", "eu-west-2", "ap-southeast-2"]


def profiles_env(directory):
    """The environment of a session whose profiles are ACCOUNTS: a throw-away
    AWS config and credentials file, and no keys in the environment."""
    config, credentials = os.path.join(directory, "config"), os.path.join(directory, "credentials")
    with open(config, "w") as f:
        f.writelines(f"[profile {p}]\nregion = us-east-1\n\n" for p, _, _ in ACCOUNTS)
    with open(credentials, "w") as f:
        f.writelines(f"[{p}]\naws_access_key_id = {k}\naws_secret_access_key = bench\n\n" for p, k, _ in ACCOUNTS)
    env = {k: v for k, v in clean_env().items() if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    env.update(AWS_CONFIG_FILE=config, AWS_SHARED_CREDENTIALS_FILE=credentials)
    return env


def accounts_emulator(binary, users, regions, *flags):
    """An endpoint holding ACCOUNTS, with one instance of `users` users in
    each (account, region)."""
    emu = Emulator(binary, *flags, *[f"--account={k}={a}" for _, k, a in ACCOUNTS])
    for _, _, account in ACCOUNTS:
        for region in regions:
            ids = emu.post("/_emulator/seed", {"account": account, "region": region, "count": 1, "alias_prefix": "team"})["ids"]
            emu.post("/_emulator/seed", {"account": account, "region": region, "instance": ids[0], "resource": "users", "count": users})
    return emu


def accounts(binary, args, row, t_show):
    """Issue 19: many accounts in one statement (profiles as places)."""
    runs = max(3, args.runs // 2)
    directory = tempfile.mkdtemp(prefix="connectql-bench-profiles-")
    env = profiles_env(directory)
    quoted = lambda xs: ", ".join(f"'{x}'" for x in xs)
    names = [p for p, _, _ in ACCOUNTS]
    try:
        # 8a. Four profiles x three regions, listing users at 20 ms latency,
        #     against the slowest of the twelve places alone. With 100 users a
        #     place the statement is bound by its round trips; with 1,000 (one
        #     full ListUsers page) also by the work of 12,000 rows on this
        #     machine's cores, which the endpoint shares.
        for users in (100, 1000):
            emu = accounts_emulator(binary, users, PLACES_REGIONS, "--latency-ms", "20")
            select = "SELECT profile, account_id, region, instance_arn, username FROM aws.connect.users WHERE "
            every = [binary, "--endpoint-url", emu.url, "-o", "json", "--no-cache", "-e",
                     select + f"profile IN ({quoted(names)}) AND region IN ({quoted(PLACES_REGIONS)})"]
            before = emu.stats()["calls_by_account"]
            _, out, err = measure(every, env)
            after = emu.stats()["calls_by_account"]
            rows = json.loads(out)
            accounts_read = sorted({r["account_id"] for r in rows})
            per_account = {a: {k: v - before.get(a, {}).get(k, 0) for k, v in after.get(a, {}).items()} for a in after}
            complete = (len(rows) == users * 12 and accounts_read == [a for _, _, a in ACCOUNTS]
                        and "partial" not in err and len({(r["profile"], r["region"]) for r in rows}) == 12)
            calls = sorted({json.dumps(c, sort_keys=True) for c in per_account.values()})
            t_every = median_wall(every, runs, env)
            t_places = {}
            for p in names:
                for region in PLACES_REGIONS:
                    one = [binary, "--endpoint-url", emu.url, "-o", "json", "--no-cache", "-e",
                           select + f"profile = '{p}' AND region = '{region}'"]
                    t_places[(p, region)] = median_wall(one, runs, env)
            (slow_p, slow_r), t_slow = max(t_places.items(), key=lambda kv: kv[1])
            row(f"4 profiles x 3 regions, {users:,} users a place at 20 ms: rows (accounts; calls per account)",
                f"{len(rows)} ({len(accounts_read)}; {', '.join(calls)})", f"{users * 12} (4)", complete)
            row("  wall time, 12 places in one statement", f"{t_every * 1000:.0f} ms", f"<= {1.3 * t_slow * 1000:.0f} ms", t_every <= 1.3 * t_slow)
            row(f"  slowest single place alone ({slow_p}, {slow_r}; fastest {min(t_places.values()) * 1000:.0f} ms)", f"{t_slow * 1000:.0f} ms", "", None)
            # Where the rest goes: the same statement without latency is the
            # work of the rows (endpoint, SDK, SQL, output) on this machine.
            emu.post("/_emulator/faults", {"latency_ms": 0})
            t_work = median_wall(every, runs, env)
            row("  the 12 places without latency (the work of their rows)", f"{t_work * 1000:.0f} ms", "(reported)", None)
            emu.close()

        # 8b. One account throttled (Connect's token buckets), the three others
        #     not: when each account's last call was answered, measured by the
        #     endpoint from before the process starts.
        users = 10000  # ten ListUsers pages of 1,000: past the burst of 5
        region = "us-east-1"
        throttled_profile, _, throttled_account = ACCOUNTS[0]
        emu = accounts_emulator(binary, users, [region], "--latency-ms", "20", f"--throttle-account={throttled_account}")
        others = [a for _, _, a in ACCOUNTS[1:]]

        def finish_times(profiles):
            emu.post("/_emulator/faults", {"throttle_accounts": [throttled_account]})  # full buckets
            t0 = emu.stats()["uptime_ms"]
            _, out, err = measure([binary, "--endpoint-url", emu.url, "-o", "json", "--no-cache", "-e",
                                   select + f"profile IN ({quoted(profiles)}) AND region = '{region}'"], env)
            last = emu.stats()["last_answer_ms_by_account"]
            return {a: (last[a] - t0) / 1000.0 for a in last if last[a] > t0}, len(json.loads(out)), err

        mixed, alone = [], []
        for _ in range(runs):
            mixed.append(finish_times(names))
            alone.append(finish_times(names[1:]))
        n_rows, err = mixed[0][1], mixed[0][2]
        # The unthrottled accounts: the latest of the three finishing times.
        t_mixed = statistics.median(max(m[0][a] for a in others) for m in mixed)
        t_alone = statistics.median(max(m[0][a] for a in others) for m in alone)
        t_thr = statistics.median(m[0][throttled_account] for m in mixed)
        pages = -(-users // 1000)
        floor = (pages - 5) / 2.0
        row("1 of 4 accounts throttled, 10,000 users each, 20 ms: rows", f"{n_rows}", f"{4 * users}",
            n_rows == 4 * users and "partial" not in err)
        row("  3 unthrottled accounts' last answer, beside the throttled one", f"{t_mixed * 1000:.0f} ms",
            f"<= {1.3 * t_alone * 1000:.0f} ms", t_mixed <= 1.3 * t_alone)
        row("  same 3 accounts, statement without the throttled one", f"{t_alone * 1000:.0f} ms", "", None)
        row(f"  throttled account's last answer ({throttled_profile})", f"{t_thr:.2f} s",
            f"<= {1.3 * floor + t_show:.2f} s (1.3 x floor {floor:.1f} s)", t_thr <= 1.3 * floor + t_show)
        emu.close()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def differences(binary, args, row):
    """Issue 20: the difference of two demo instances (every compared kind,
    flows with content) against the same reads as ordinary SELECTs."""
    runs = max(3, args.runs // 2)
    emu = Emulator(binary, "--demo-data", "--latency-ms", "20")
    # Each run is a fresh process, so its session cache starts empty; within
    # the statement it lets the reads share their instance look-ups, as the
    # sources of any statement do.
    base = [binary, "--endpoint-url", emu.url, "--region", "us-east-1", "-o", "json", "--timeout", "600"]
    diff = ("SELECT resource_type, count(*) FROM aws.connect.instance_differences "
            "WHERE data__SourceInstanceId = 'acme-support' AND data__TargetInstanceId = 'acme-sales' GROUP BY 1")
    # The kinds the difference reads, from its own EXPLAIN: compared ones
    # whole, the others for the names their references need.
    _, out, _ = measure(base + ["-e", "EXPLAIN " + diff])
    kinds = {}
    for r in json.loads(out):
        m = re.match(r"source '[^']*': ([a-z_]+) \((compared|names only)", r["note"])
        if m:
            kinds[m.group(1)] = m.group(2) == "compared"
    instances = "data__InstanceId IN ('acme-support', 'acme-sales')"
    alone = " UNION ALL ".join(
        f"SELECT '{k}', count(*) FROM (SELECT {'*' if whole else '1'} FROM aws.connect.{k} WHERE {instances})"
        for k, whole in sorted(kinds.items()))

    def calls_of(cmd):
        before = emu.stats()["calls"]
        measure(cmd)
        after = emu.stats()["calls"]
        return {k: after.get(k, 0) - before.get(k, 0) for k in after if after.get(k, 0) != before.get(k, 0)}

    c_diff = calls_of(base + ["-e", diff])
    c_alone = calls_of(base + ["-e", alone])
    t_diff = median_wall(base + ["-e", diff], runs)
    t_alone = median_wall(base + ["-e", alone], runs)
    listings = {k: v for k, v in c_diff.items() if k.startswith(("List", "Search")) and k != "ListInstances"}
    describes = {k: v for k, v in c_diff.items() if k.startswith("Describe")}
    row(f"difference of 2 demo instances ({len(kinds)} kinds) at 20 ms: calls (listings / Describes)",
        f"{sum(c_diff.values())} ({sum(listings.values())} / {sum(describes.values())})", "(reported)", None)
    row("  the same kinds as SELECT * (names only where the difference needs names): calls",
        f"{sum(c_alone.values())}", f">= {sum(c_diff.values())}", sum(c_alone.values()) >= sum(c_diff.values()))
    row("  wall time, difference / those reads alone", f"{t_diff * 1000:.0f} / {t_alone * 1000:.0f} ms",
        f"<= {1.3 * t_alone * 1000:.0f} ms", t_diff <= 1.3 * t_alone)
    emu.close()


def copy(binary, args, row):
    """Issue 20: a whole demo contact centre copied into a fresh instance of
    another account that Connect's throttling applies to (the source's
    account answers freely, so its reads do not count), against the
    token-bucket floor of the writes the copy made."""
    prod = ACCOUNTS[2]
    emu = Emulator(binary, "--demo-data", "--create-delay-ms", "10",
                   f"--account={prod[1]}={prod[2]}", f"--throttle-account={prod[2]}")
    directory = tempfile.mkdtemp(prefix="connectql-bench-copy-")
    env = profiles_env(directory)
    with open(env["AWS_CONFIG_FILE"], "a") as f:
        f.write("[profile bench-source]\nregion = us-east-1\n")
    with open(env["AWS_SHARED_CREDENTIALS_FILE"], "a") as f:
        # An access key no --account maps: the demo data's account.
        f.write("[bench-source]\naws_access_key_id = bench\naws_secret_access_key = bench\n")
    cq = [binary, "--endpoint-url", emu.url, "--region", "us-east-1", "-o", "json", "--timeout", "900", "--yes"]
    measure(cq + ["--profile", prod[0], "-e", (
        "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, region) "
        "SELECT 'SAML', 'bench-copy', '{\"InboundCalls\":true,\"OutboundCalls\":true}', 'us-east-1'")], env)
    both = (f"data__SourceInstanceId = 'acme-support' AND source_profile = 'bench-source' "
            f"AND data__TargetInstanceId = 'bench-copy' AND target_profile = '{prod[0]}'")
    mappings = ("INSERT INTO aws.connect.copy_mappings (source, target) "
                "SELECT 's3_uri', 's3://bench/prompt.wav'")
    copy_sql = f"UPDATE aws.connect.instance_differences SET target_value = source_value WHERE {both}"

    def prod_calls():
        return emu.stats()["calls_by_account"].get(prod[2], {})

    # The same reads and plan without a write (--dry-run), then, once the
    # account's buckets have refilled, the copy: the difference is the time
    # its writes took.
    t_reads = measure(cq + ["--dry-run", "-e", mappings, "-e", copy_sql], env)[0]
    time.sleep(5)
    before = prod_calls()
    wall, out, _ = measure(cq + ["-e", mappings, "-e", copy_sql], env)
    after = prod_calls()
    made = {k: after.get(k, 0) - before.get(k, 0) for k in after if after.get(k, 0) != before.get(k, 0)}
    written = {k: v for k, v in made.items() if not k.startswith(("List", "Describe", "Search", "Get"))}
    rows = [r for v in json.JSONDecoder().raw_decode(out[out.index("["):])[:1] for r in v]
    applied = sum(1 for r in rows if r.get("status") == "applied")
    # Connect's buckets are per account, region and operation (2 per second,
    # burst 5): no schedule of these writes ends before the busiest
    # operation's bucket lets its last call through. Attempts the endpoint
    # throttled changed nothing and were sent again by the pacer.
    needed = {}
    for r in rows:
        needed[r["operation"]] = needed.get(r["operation"], 0) + 1
    busiest, most = max(needed.items(), key=lambda kv: kv[1])
    floor = max(0.0, (most - 5) / 2.0)
    row(f"copy a demo centre into a fresh instance of a throttled account: writes applied / planned ({len(needed)} operations)",
        f"{applied} / {sum(needed.values())}", "all applied", applied == sum(needed.values()))
    row("  wall time of the copy / of its reads and plan alone (--dry-run)", f"{wall:.1f} / {t_reads:.1f} s",
        "(reported)", None)
    row(f"  its writes (copy - dry run; floor: {most} {busiest} at 2/s after a burst of 5)",
        f"{wall - t_reads:.1f} s", f"<= {1.3 * floor:.1f} s (1.3 x floor {floor:.1f} s)", wall - t_reads <= 1.3 * floor)
    row("  write attempts the endpoint throttled (sent again by the pacer)",
        f"{sum(written.values()) - sum(needed.values())}", "(reported)", None)
    before = prod_calls()
    _, out, err = measure(cq + ["-e", mappings, "-e", copy_sql], env)
    after = prod_calls()
    again = sum(after.get(k, 0) - before.get(k, 0) for k in after
                if not k.startswith(("List", "Describe", "Search", "Get")))
    row("  the same copy again: write calls", f"{again}", "0", again == 0 and "nothing to copy" in out + err)
    emu.close()
    shutil.rmtree(directory, ignore_errors=True)


def contents(binary, aws, args, row, t_show):
    """The figures of an instance's contents (users, joins, flows)."""
    runs = max(3, args.runs // 2)

    # 7a. 5,000 users in one instance at 20 ms latency: SearchUsers in pages
    #     of 500, nothing else (the instance is named by ARN).
    emu = Emulator(binary, "--latency-ms", "20")
    emu.post("/_emulator/seed", {"region": "us-east-1", "count": 1, "alias_prefix": "big"})
    arn = instance_arns(emu, aws, "us-east-1")["big-0001"]
    emu.post("/_emulator/seed", {"region": "us-east-1", "instance": "big-0001", "resource": "users", "count": 5000})
    users = (f"SELECT username, routing_profile_arn FROM aws.connect.users "
             f"WHERE region = 'us-east-1' AND data__InstanceId = '{arn}'")
    cq = [binary, "--endpoint-url", emu.url, "-o", "json", "--no-cache", "-e", users]
    before = emu.stats()["calls"]
    wall, out, _ = measure(cq)
    after = emu.stats()["calls"]
    made = {k: after.get(k, 0) - before.get(k, 0) for k in after if after.get(k, 0) != before.get(k, 0)}
    listed = json.loads(out)
    n_rows = len(listed)
    some_user = listed[len(listed) // 2]["username"]
    t_users = median_wall(cq, runs)
    m_users = max(peak_rss_mb(cq) for _ in range(2))
    # Ten pages follow each other by their token: 200 ms of latency, plus
    # the endpoint's and the SDK's work on 500 users a page (which the next
    # page cannot overlap: its token is in the body). The target is issue
    # 16's (was 484 ms); the floor is reported beside it.
    budget = 0.350
    row("5,000 users at 20 ms: calls made", ", ".join(f"{k} {v}" for k, v in sorted(made.items())), "SearchUsers 10", made == {"SearchUsers": 10} and n_rows == 5000)
    row("  Cloud Control pattern (list pages + one GetResource per user)", f"{5000 // 100 + 5000} calls", "(reported)", None)
    row("  connectql wall time (latency floor: 10 round trips, 200 ms)", f"{t_users * 1000:.0f} ms", f"<= {budget * 1000:.0f} ms", t_users <= budget)
    row("  connectql peak memory", f"{m_users:.1f} MB", "< 100 MB", m_users < 100)
    iid = arn.rsplit("/", 1)[1]
    cli = [aws, "--endpoint-url", emu.url, "--region", "us-east-1", "connect", "search-users", "--instance-id", iid, "--page-size", "500"]
    t_cli = statistics.median(measure(cli)[0] for _ in range(max(2, runs // 2)))
    m_cli = peak_rss_mb(cli)
    row("  AWS CLI search-users (all pages): wall / peak memory", f"{t_cli * 1000:.0f} ms / {m_cli:.0f} MB", "(reported)", None)

    # 7b. A Describe-only field, rows pinned by a pushed-down predicate:
    #     one DescribeUser per row returned, not per user.
    pinned = (f"SELECT username, identity_info ->> '$.Email' AS email FROM aws.connect.users "
              f"WHERE region = 'us-east-1' AND data__InstanceId = '{arn}' AND username = '{some_user}'")
    before = emu.stats()["calls"]
    _, out, _ = measure([binary, "--endpoint-url", emu.url, "-o", "json", "-e", pinned])
    after = emu.stats()["calls"]
    describes = after.get("DescribeUser", 0) - before.get("DescribeUser", 0)
    searches = after.get("SearchUsers", 0) - before.get("SearchUsers", 0)
    rows_back = len(json.loads(out))
    row("Describe-only field, username pushed down: SearchUsers / DescribeUser calls", f"{searches} / {describes} ({rows_back} row)", "1 / rows returned", searches == 1 and describes == rows_back == 1)
    emu.close()

    if not args.quick:
        # 7c. The same 5,000 users against Connect's token buckets.
        emu = Emulator(binary, "--throttle")
        emu.post("/_emulator/seed", {"region": "us-east-1", "count": 1, "alias_prefix": "big"})
        arn = instance_arns(emu, aws, "us-east-1")["big-0001"]
        emu.post("/_emulator/seed", {"region": "us-east-1", "instance": "big-0001", "resource": "users", "count": 5000})
        emu.post("/_emulator/faults", {"throttle": True})
        users_t = users.replace(users.split("'")[3], arn)
        t_thr = measure([binary, "--endpoint-url", emu.url, "-o", "json", "-e", users_t])[0]
        floor = (10 - 5) / 2.0
        row("5,000 users, throttled", f"{t_thr:.2f} s", f"<= {1.3 * floor + t_show:.2f} s (1.3 x floor {floor:.1f} s)", t_thr <= 1.3 * floor + t_show)
        emu.close()

    # 7d. users ⋈ routing profiles ⋈ queues over three instances in three
    #     regions at 100 ms latency, against the slowest single side alone.
    emu = Emulator(binary, "--demo-data", "--latency-ms", "100")
    arns = {}
    for region in ["us-east-1", "eu-west-2", "ap-southeast-2"]:
        arns.update(instance_arns(emu, aws, region))
    three = [arns["acme-support"], arns["acme-uk"], arns["acme-anz"]]
    inlist = ", ".join(f"'{a}'" for a in three)
    join = ("SELECT u.username, r.name AS profile, q.name AS queue FROM aws.connect.users u "
            "JOIN aws.connect.routing_profiles r ON u.routing_profile_arn = r.routing_profile_arn "
            "JOIN aws.connect.queues q ON q.queue_arn = r.default_outbound_queue_arn "
            f"WHERE u.region IN ('us-east-1', 'eu-west-2', 'ap-southeast-2') AND u.data__InstanceId IN ({inlist})")
    t_join = median_wall([binary, "--endpoint-url", emu.url, "-o", "json", "-e", join], runs)
    sides = [
        f"SELECT username, routing_profile_arn FROM aws.connect.users WHERE data__InstanceId = '{three[0]}'",
        f"SELECT name, routing_profile_arn, default_outbound_queue_arn FROM aws.connect.routing_profiles WHERE data__InstanceId = '{three[0]}'",
        f"SELECT name, queue_arn FROM aws.connect.queues WHERE data__InstanceId = '{three[0]}'",
    ]
    t_side = max(median_wall([binary, "--endpoint-url", emu.url, "-o", "json", "-e", s], runs) for s in sides)
    row("3-way join over 3 instances in 3 regions at 100 ms", f"{t_join * 1000:.0f} ms", f"<= {1.3 * t_side * 1000:.0f} ms", t_join <= 1.3 * t_side)
    row("  slowest single chain (one side, one instance)", f"{t_side * 1000:.0f} ms", "", None)
    emu.close()

    # 7e. Flows: content costs one Describe per flow, and nothing when not
    #     referenced.
    emu = Emulator(binary, "--latency-ms", "20")
    emu.post("/_emulator/seed", {"region": "us-east-1", "count": 1, "alias_prefix": "flows"})
    arn = instance_arns(emu, aws, "us-east-1")["flows-0001"]
    emu.post("/_emulator/seed", {"region": "us-east-1", "instance": "flows-0001", "resource": "contact_flows", "count": 300})
    base = f"FROM aws.connect.contact_flows WHERE region = 'us-east-1' AND data__InstanceId = '{arn}'"
    before = emu.stats()["calls"]
    _, out, _ = measure([binary, "--endpoint-url", emu.url, "-o", "json", "-e", "SELECT name, type " + base])
    after = emu.stats()["calls"]
    n_flows = len(json.loads(out))
    described = after.get("DescribeContactFlow", 0) - before.get("DescribeContactFlow", 0)
    row("flows without content: DescribeContactFlow calls", f"{described} ({n_flows} flows)", "0", described == 0)
    before = emu.stats()["calls"]
    # 300 DescribeContactFlow at Connect's rate need ~2.5 min: --timeout to match.
    t_content = measure([binary, "--endpoint-url", emu.url, "-o", "json", "--timeout", "600", "-e", "SELECT name, content " + base])[0]
    after = emu.stats()["calls"]
    described = after.get("DescribeContactFlow", 0) - before.get("DescribeContactFlow", 0)
    row("flows with content at 20 ms: DescribeContactFlow calls / wall", f"{described} / {t_content:.2f} s", f"{n_flows} / (reported)", described == n_flows)
    emu.close()
    if not args.quick:
        emu = Emulator(binary)
        emu.post("/_emulator/seed", {"region": "us-east-1", "count": 1, "alias_prefix": "flows"})
        arn = instance_arns(emu, aws, "us-east-1")["flows-0001"]
        emu.post("/_emulator/seed", {"region": "us-east-1", "instance": "flows-0001", "resource": "contact_flows", "count": 300})
        n = len(json.loads(measure([binary, "--endpoint-url", emu.url, "-o", "json", "-e", f"SELECT id FROM aws.connect.contact_flows WHERE data__InstanceId = '{arn}'"])[1]))
        emu.post("/_emulator/faults", {"throttle": True})
        t_thr = measure([binary, "--endpoint-url", emu.url, "-o", "json", "--timeout", "600", "-e",
                         f"SELECT name, content FROM aws.connect.contact_flows WHERE data__InstanceId = '{arn}'"])[0]
        floor = (n - 5) / 2.0
        row(f"{n} flows with content, throttled", f"{t_thr:.1f} s", f"<= {1.3 * floor:.1f} s (1.3 x floor {floor:.1f} s)", t_thr <= 1.3 * floor)
        emu.close()

    # 7f. Introspection over the whole catalog stays instant.
    t_res = median_wall([binary, "-e", "SHOW RESOURCES IN aws.connect"], args.runs)
    n_tables = len(json.loads(measure([binary, "-o", "json", "-e", "SHOW RESOURCES IN aws.connect"])[1]))
    row(f"SHOW RESOURCES IN aws.connect ({n_tables} tables), process start to exit", f"{t_res * 1000:.1f} ms", "< 20 ms", t_res < 0.020)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="release", choices=["release", "debug"])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--quick", action="store_true", help="skip the slow throttled and scale figures")
    ap.add_argument("--writes-only", action="store_true", help="only the bulk-change figures")
    ap.add_argument("--differences-only", action="store_true",
                    help="only the figures of comparing two instances")
    ap.add_argument("--copy-only", action="store_true",
                    help="only the figures of copying a contact centre into a fresh instance")
    ap.add_argument("--accounts-only", action="store_true",
                    help="only the figures of many accounts (completion, first prompt, profiles x regions, one account throttled)")
    args = ap.parse_args()

    build = ["cargo", "build", "--quiet", "--bin", "connectql"]
    if args.profile == "release":
        build.append("--release")
    subprocess.run(build, cwd=ROOT, check=True)
    target_dir = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    binary = os.path.join(target_dir, args.profile, "connectql")
    rows = []

    def row(name, value, target, met):
        status = "-" if met is None else ("met" if met else "MISSED")
        rows.append((name, value, target, status))

    if args.differences_only:
        differences(binary, args, row)
        return print_rows(args, rows, None)

    if args.copy_only:
        copy(binary, args, row)
        return print_rows(args, rows, None)

    if not args.writes_only:
        # 6. The shell: completion latency and time to the first prompt come from
        #    the completion bench target (benches/completion.rs).
        shell = subprocess.run(
            ["cargo", "bench", "--quiet", "--bench", "completion"], cwd=ROOT, capture_output=True, text=True
        )
        m = re.search(r"p50 ([0-9.]+) µs, p99 ([0-9.]+) µs", shell.stdout)
        if m:
            p99 = float(m.group(2))
            row("completion latency p50 / p99 (10 profiles, 150,000 users seen)", f"{float(m.group(1)):.1f} / {p99:.1f} µs", "p99 < 1000 µs", p99 < 1000)
        else:
            row("completion latency", "not measured", "p99 < 1000 µs", False)
            print(shell.stdout, shell.stderr, file=sys.stderr)
        m = re.search(r"time to first prompt.*median ([0-9.]+) ms", shell.stdout)
        first = float(m.group(1)) if m else None
        row("process start to first prompt (connectql --demo, 2 accounts, pty)", f"{first:.1f} ms" if m else "not measured", "< 20 ms", first is not None and first < 20)

    if args.accounts_only:
        t_show = median_wall([binary, "-e", "SHOW SERVICES"], args.runs)
        row("SHOW SERVICES, process start to exit", f"{t_show * 1000:.1f} ms", "(reported)", None)
        accounts(binary, args, row, t_show)
        return print_rows(args, rows, None)

    venv, aws = install_aws_cli()
    _, v_out, v_err = measure([aws, "--version"])
    cli_version = (v_out or v_err).split()[0] if (v_out or v_err) else "aws-cli"
    try:
        # Process start: a statement that needs no call.
        t_show = median_wall([binary, "-e", "SHOW SERVICES"], args.runs)
        row("SHOW SERVICES, process start to exit", f"{t_show * 1000:.1f} ms", "(reported)", None)

        if args.writes_only:
            writes(binary, aws, args, row, t_show)
            return print_rows(args, rows, cli_version)

        # 1. One get statement, cold process, against the AWS CLI.
        emu = Emulator(binary, "--demo-data")
        iid = next(
            i["Id"]
            for i in json.loads(
                measure([aws, "--endpoint-url", emu.url, "--region", "us-east-1", "connect", "list-instances"])[1]
            )["InstanceSummaryList"]
            if i["InstanceAlias"] == "acme-support"
        )
        get = (
            "SELECT region, id, arn, identity_management_type, instance_alias, created_time, service_role, "
            "instance_status, directory_id, attributes, tags FROM aws.connect.instance "
            f"WHERE region = 'us-east-1' AND data__Identifier = '{iid}'"
        )
        cq = [binary, "--endpoint-url", emu.url, "-o", "json", "-e", get]
        cli_describe = [aws, "--endpoint-url", emu.url, "--region", "us-east-1", "connect", "describe-instance", "--instance-id", iid]
        cli_attrs = [aws, "--endpoint-url", emu.url, "--region", "us-east-1", "connect", "list-instance-attributes", "--instance-id", iid]
        t_cq = median_wall(cq, args.runs)
        t_cli = statistics.median(
            measure(cli_describe)[0] + measure(cli_attrs)[0] for _ in range(max(3, args.runs // 2))
        )
        m_cq = max(peak_rss_mb(cq) for _ in range(3))
        m_cli = max(max(peak_rss_mb(cli_describe), peak_rss_mb(cli_attrs)) for _ in range(2))
        row("get statement, connectql (wall)", f"{t_cq * 1000:.1f} ms", "", None)
        row("same with the AWS CLI: describe-instance + list-instance-attributes", f"{t_cli * 1000:.0f} ms", "", None)
        row("  connectql / AWS CLI wall time", f"1/{t_cli / t_cq:.0f}", "<= 1/20", t_cq * 20 <= t_cli)
        row("get statement, connectql peak memory", f"{m_cq:.1f} MB", "", None)
        row("AWS CLI peak memory (larger of the two calls)", f"{m_cli:.1f} MB", "", None)
        row("  connectql / AWS CLI peak memory", f"1/{m_cli / m_cq:.1f}", "<= 1/3", m_cq * 3 <= m_cli)
        emu.close()

        # 2. Round trips at 100 ms latency: DescribeInstance runs concurrently
        #    with the two attribute pages, so two round trips.
        emu = Emulator(binary, "--demo-data", "--latency-ms", "100")
        cq = [binary, "--endpoint-url", emu.url, "-o", "json", "-e", get.replace("SELECT region, id, arn, identity_management_type, instance_alias, created_time, service_role, instance_status, directory_id, attributes, tags", "SELECT *")]
        t_rt = median_wall(cq, max(3, args.runs // 2))
        budget = 2.3 * 0.100 + t_show
        row("SELECT * on one instance at 100 ms latency", f"{t_rt * 1000:.0f} ms", f"<= {budget * 1000:.0f} ms", t_rt <= budget)
        emu.close()

        # 3. Fan-out: four regions against one at 200 ms latency.
        emu = Emulator(binary, "--latency-ms", "200")
        regions = ["us-east-1", "eu-west-2", "ap-southeast-2", "ca-central-1"]
        for r in regions:
            emu.post("/_emulator/seed", {"region": r, "count": 3, "alias_prefix": "bench"})
        one = "SELECT id, instance_alias FROM aws.connect.instances WHERE region = 'us-east-1'"
        four = "SELECT id, instance_alias FROM aws.connect.instances WHERE region IN (" + ",".join(f"'{r}'" for r in regions) + ")"
        runs = max(3, args.runs // 2)
        t_one = median_wall([binary, "--endpoint-url", emu.url, "-o", "json", "-e", one], runs)
        t_four = median_wall([binary, "--endpoint-url", emu.url, "-o", "json", "-e", four], runs)
        row("list, 1 region at 200 ms latency", f"{t_one * 1000:.0f} ms", "", None)
        row("list, 4 regions at 200 ms latency", f"{t_four * 1000:.0f} ms", "", None)
        row("  fan-out 4 regions / 1 region", f"{t_four / t_one:.2f} x", "<= 1.3 x", t_four / t_one <= 1.3)
        emu.close()

        # 4. Session cache: 100 identical get statements in one session.
        emu = Emulator(binary, "--demo-data")
        script = ".timing on\n" + (get + ";\n") * 100
        _, _, err = measure([binary, "--endpoint-url", emu.url, "-o", "json"], stdin=script)
        calls = emu.stats()["calls"]
        # `.timing on` prints `time: 1 row, 0.4 ms, 0 API calls, 1 served from the session cache`.
        times = [float(x) for x in re.findall(r"^time: [^,]*, ([0-9.]+) ms", err, re.M)]
        repeat = sorted(times[1:])
        if len(repeat) != 99:
            raise SystemExit(f"expected 100 timing lines, found {len(times)}: {err[:500]}")
        worst = repeat[-1]
        row("100 identical gets: DescribeInstance calls", str(calls.get("DescribeInstance", 0)), "1", calls.get("DescribeInstance", 0) == 1)
        row("100 identical gets: ListInstanceAttributes calls (pages of one listing)", str(calls.get("ListInstanceAttributes", 0)), "2 (1 listing)", calls.get("ListInstanceAttributes", 0) == 2)
        row("  repeated statement, whole statement time (cache hit), median / max", f"{statistics.median(repeat):.2f} / {worst:.2f} ms", "< 1 ms", worst < 1.0)
        emu.close()

        if not args.quick:
            # 5a. Scale: 2,000 instances at 20 ms latency, with attributes.
            emu = Emulator(binary, "--latency-ms", "20", "--seed-instances", "2000", "--seed-region", "us-east-1")
            # 2,000 ListInstanceAttributes at Connect's rate need ~17 min:
            # without --timeout to match, the statement is refused.
            scale = [binary, "--endpoint-url", emu.url, "--region", "us-east-1", "-o", "json", "--timeout", "3600", "-e",
                     "SELECT id, instance_alias, attributes FROM aws.connect.instances"]
            t_scale = measure(scale)[0]
            m_scale = peak_rss_mb(scale)
            row("2,000 instances with attributes at 20 ms latency", f"{t_scale:.2f} s", "< 10 s", t_scale < 10)
            row("  peak memory", f"{m_scale:.1f} MB", "< 100 MB", m_scale < 100)
            emu.close()

            # 5b. Throttled: 20 instances with attributes against Connect's
            #     token buckets (2/s, burst 5 per operation and region).
            emu = Emulator(binary, "--throttle")
            emu.post("/_emulator/seed", {"region": "us-east-1", "count": 20, "alias_prefix": "t"})
            t_thr = measure([binary, "--endpoint-url", emu.url, "--region", "us-east-1", "-o", "json", "-e",
                             "SELECT id, attributes FROM aws.connect.instances"])[0]
            pages = 2 * 20  # 14 attributes at 7 per page
            floor = (pages - 5) / 2.0
            row("20 instances with attributes, throttled", f"{t_thr:.1f} s", f"<= {1.3 * floor:.1f} s (1.3 x floor {floor:.1f} s)", t_thr <= 1.3 * floor)
            emu.close()
        contents(binary, aws, args, row, t_show)
        differences(binary, args, row)
        accounts(binary, args, row, t_show)
        if not args.quick:
            writes(binary, aws, args, row, t_show)
    finally:
        shutil.rmtree(venv, ignore_errors=True)

    print_rows(args, rows, cli_version)


def print_rows(args, rows, cli_version):
    print()
    cli = f"; {cli_version} from PyPI" if cli_version else ""
    print(f"connectql benchmarks ({args.profile} build; {platform.machine()}, {os.cpu_count()} cores, "
          f"{platform.system()} {platform.release()}{cli})")
    width = max(len(r[0]) for r in rows)
    print(f"| {'figure'.ljust(width)} | {'value':>14} | {'target':>12} | status |")
    print(f"|{'-' * (width + 2)}|{'-' * 16}|{'-' * 14}|--------|")
    for name, value, target, status in rows:
        print(f"| {name.ljust(width)} | {value:>14} | {target:>12} | {status:>6} |")


if __name__ == "__main__":
    main()
