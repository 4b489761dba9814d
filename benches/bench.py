#!/usr/bin/env python3
"""connectql benchmarks against the local Connect endpoint.

Usage:  python3 benches/bench.py [--profile release|debug] [--runs N]

Builds connectql, starts `connectql emulator` on loopback, and prints one
table of figures with the target beside each. Wall times are medians over
several runs of the whole process (start to exit).
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
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
            return r.read()

    def close(self):
        self.proc.kill()
        self.proc.wait()


def wall(cmd, runs, env=None):
    """Median wall time in seconds of running cmd to completion."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(cmd, env=env or clean_env(), capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if out.returncode != 0:
            sys.exit(f"command failed: {cmd}\n{out.stderr}")
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="release", choices=["release", "debug"])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()

    build = ["cargo", "build", "--quiet", "--bin", "connectql"]
    if args.profile == "release":
        build.append("--release")
    subprocess.run(build, cwd=ROOT, check=True)
    binary = os.path.join(ROOT, "target", args.profile, "connectql")
    rows = []

    def row(name, value, target, met):
        rows.append((name, value, target, "met" if met else "MISSED"))

    # 1. One get statement, process start to exit.
    emu = Emulator(binary, "--demo-data")
    get = (
        "SELECT * FROM aws.connect.instance "
        "WHERE region = 'us-east-1' AND data__Identifier = 'acme-support'"
    )
    t_get = wall([binary, "--endpoint-url", emu.url, "-o", "json", "-e", get], args.runs)
    row("get statement, cold process (wall)", f"{t_get * 1000:.1f} ms", "(reported)", True)
    t_show = wall([binary, "-e", "SHOW SERVICES"], args.runs)
    row("SHOW SERVICES, cold process (wall)", f"{t_show * 1000:.1f} ms", "(reported)", True)
    emu.close()

    # 2. Fan-out: four regions against one at 200 ms latency.
    emu = Emulator(binary, "--latency-ms", "200")
    regions = ["us-east-1", "eu-west-2", "ap-southeast-2", "ca-central-1"]
    for r in regions:
        emu.post("/_emulator/seed", {"region": r, "count": 3, "alias_prefix": "bench"})
    one = "SELECT id, instance_alias FROM aws.connect.instances WHERE region = 'us-east-1'"
    four = (
        "SELECT id, instance_alias FROM aws.connect.instances WHERE region IN ("
        + ",".join(f"'{r}'" for r in regions)
        + ")"
    )
    runs = max(3, args.runs // 2)
    t_one = wall([binary, "--endpoint-url", emu.url, "-o", "json", "-e", one], runs)
    t_four = wall([binary, "--endpoint-url", emu.url, "-o", "json", "-e", four], runs)
    ratio = t_four / t_one
    row("1 region list at 200 ms latency (wall)", f"{t_one * 1000:.0f} ms", "(baseline)", True)
    row("4 regions fan-out at 200 ms latency (wall)", f"{t_four * 1000:.0f} ms", "", True)
    row("fan-out ratio 4 regions / 1 region", f"{ratio:.2f} x", "<= 1.3 x", ratio <= 1.3)
    emu.close()

    print(f"connectql benchmarks ({args.profile} build; {platform.machine()}, "
          f"{os.cpu_count()} cores, {platform.system()} {platform.release()})")
    width = max(len(r[0]) for r in rows)
    print(f"{'figure'.ljust(width)}  {'value':>12}  {'target':>10}  status")
    for name, value, target, status in rows:
        print(f"{name.ljust(width)}  {value:>12}  {target:>10}  {status}")


if __name__ == "__main__":
    main()
