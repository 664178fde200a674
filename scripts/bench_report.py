#!/usr/bin/env python3
"""The last step of scripts/bench.sh: reads one run's raw outputs (RUN folder), writes
bench/results/<date>.json, prints a table of every figure with its target and whether it
is met, and puts the same table in README.md's "Benchmarks" section.

Usage: bench_report.py RUN_DIR RESULT_JSON README_MD
"""
import json
import re
import sys


def read(path):
    with open(path) as f:
        return f.read()


def key_values(text):
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def wrk_ms(value):
    """wrk latency ("812.00us", "3.21ms", "1.02s") in milliseconds."""
    m = re.match(r"([\d.]+)(us|ms|s|m)$", value or "")
    if not m:
        return None
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[m.group(2)]
    return float(m.group(1)) * scale


def history_figures(text):
    out = {}
    m = re.search(r"([\d.]+) bytes per node-sample = ([\d.]+) MiB / ([\d.]+) M samples", text)
    if m:
        out["bytes_per_node_sample"] = float(m.group(1))
        out["history_mib"] = float(m.group(2))
        out["history_m_samples"] = float(m.group(3))
    for pass_name in ("first touch", "warm"):
        m = re.search(r"node_history.*\(([\d]+) rows each\), " + pass_name +
                      r": median ([\d.]+) ms, p90 ([\d.]+), p99 ([\d.]+), max ([\d.]+)", text)
        if m:
            key = "node_query_" + pass_name.replace(" ", "_")
            out[key] = {"rows": int(m.group(1)), "median_ms": float(m.group(2)), "p90_ms": float(m.group(3)),
                        "p99_ms": float(m.group(4)), "max_ms": float(m.group(5))}
    m = re.search(r"wall median ([\d.]+) ms, p90 ([\d.]+), max ([\d.]+); thread CPU median ([\d.]+) ms", text)
    if m:
        out["write_cycle_10k"] = {"wall_median_ms": float(m.group(1)), "cpu_median_ms": float(m.group(4))}
    return out


def server_cpu(text):
    """The PostgreSQL backends' CPU median of a cycle (bench_store_history --postgres)."""
    m = re.search(r"PostgreSQL backends' CPU: median ([\d.]+) ms", text)
    return float(m.group(1)) if m else None


def add_postgres_rows(run, result, add):
    """The PostgreSQL store's figures (bench_store_history --postgres), when the run has them."""
    try:
        texts = {name: read(f"{run}/pg_{name}.txt") for name in ("history", "cycle_10k", "cycle_100k")}
    except FileNotFoundError:
        return
    pg = history_figures(texts["history"])
    cycles = {}
    for pods in ("10k", "100k"):
        cycle = history_figures(texts["cycle_" + pods]).get("write_cycle_10k")  # the cycle line, at any size
        if cycle:
            cycle["server_cpu_median_ms"] = server_cpu(texts["cycle_" + pods])
        cycles[pods] = cycle
    result["postgres"] = {"history_30d": pg, "write_cycle": cycles}
    for pods, target in (("10k", 150), ("100k", None)):
        c = cycles[pods]
        add(f"PostgreSQL: cycle write, {pods} pods (median wall)", c and c["wall_median_ms"], "ms",
            f"<= {target} ms" if target else "-", (lambda v: v <= target) if target else (lambda v: None))
        add(f"PostgreSQL: cycle write, {pods} pods (server CPU median)", c and c["server_cpu_median_ms"], "ms", "-",
            lambda v: None)
    for pass_name in ("first_touch", "warm"):
        q = pg.get("node_query_" + pass_name)
        add(f"PostgreSQL: one node's 30-day history query, p99 ({pass_name.replace('_', ' ')})", q and q["p99_ms"],
            "ms", "<= 10 ms", lambda v: v <= 10)
    add("PostgreSQL: history on disk per node-sample", pg.get("bytes_per_node_sample"), "B", "<= 32 B",
        lambda v: v <= 32)


def add_probe_rows(run, result, add):
    """The prober's round at 10k pods (bench_probe), when the run measured it."""
    try:
        probe = json.loads(read(f"{run}/probe_10k.json"))
    except (OSError, ValueError):
        return
    result["probe_round_10k"] = probe
    add(f"probe round wall, 10k pods ({probe['public_pods']:,} public, concurrency {probe['concurrency']})",
        probe["wall_ms"], "ms", "<= 10,000 ms", lambda v: v <= 10000)
    add("probe round CPU, 10k pods", probe["cpu_ms"], "ms", "-", lambda v: None)
    add("probe requests in flight at the pods, max", probe["max_in_flight_at_pods"], "",
        f"<= {probe['concurrency']}", lambda v: 0 <= v <= probe["concurrency"])


def main():
    run, result_path, readme_path = sys.argv[1:4]
    machine = key_values(read(f"{run}/machine.txt"))
    hot = json.loads(read(f"{run}/hot.json"))
    cycle_10k = json.loads(read(f"{run}/cycle_10k.json"))
    cycle_100k = json.loads(read(f"{run}/cycle_100k.json"))
    cycle_10k_sh = json.loads(read(f"{run}/cycle_10k_server_heap.json"))
    cycle_100k_sh = json.loads(read(f"{run}/cycle_100k_server_heap.json"))
    history = history_figures(read(f"{run}/history.txt"))
    rss = key_values(read(f"{run}/rss.txt").replace(" ", "\n"))
    server_cycle = key_values(read(f"{run}/server_cycle.txt").replace(" ", "\n"))
    http = []
    for line in read(f"{run}/wrk.tsv").splitlines():
        label, path, rps, p99 = line.split("\t")
        http.append({"route": label, "path": path, "requests_per_second": float(rps or 0),
                     "p99_ms": wrk_ms(p99)})

    result = {
        "date_utc": result_path.rsplit("/", 1)[-1].removesuffix(".json"),
        "machine": {"nproc": int(machine["nproc"]), "cpu": machine["model"],
                    "ram_gib": round(int(machine["ram_kb"]) / 1048576, 1), "kernel": machine["kernel"],
                    "load_before": machine.get("load_before"), "load_after": machine.get("load_after")},
        "hot_functions_10k": {b["name"]: {"real_ms": round(b["real_time"], 3), "cpu_ms": round(b["cpu_time"], 3)}
                              for b in hot["benchmarks"]},
        "collector_cycle": {"10k": cycle_10k, "100k": cycle_100k,
                            "10k_server_heap": cycle_10k_sh, "100k_server_heap": cycle_100k_sh},
        "history_10k_30d": history,
        "server_rss_30d_10k": {"rss_mib": round(int(rss["rss_kb"]) / 1024, 1),
                               "peak_mib": round(int(rss["hwm_kb"]) / 1024, 1)},
        "server_cycle_10k": {"cpu_ms": int(server_cycle["cpu_ms"]), "minor_faults": int(server_cycle["faults"])},
        "http_10k": http,
    }

    def route(label):
        return next((h for h in http if h["route"] == label), None)

    rows = []  # (figure, value text, target text, met or None)

    def add(figure, value, unit, target, ok):
        text = "n/a" if value is None else (f"{value:,.0f} {unit}" if value >= 100 else f"{value:.2f} {unit}")
        rows.append((figure, text.strip(), target, None if value is None else ok(value)))

    for label, target_rps, target_p99 in (("GET /health", 35000, None), ("GET /pnodes?limit=100", 20000, 5.0),
                                          ("GET /pnodes?status=all&limit=1000&sort_by=score", 2000, None)):
        h = route(label)
        add(f"{label} req/s", h and h["requests_per_second"], "", f">= {target_rps:,}", lambda v: v >= target_rps)
        if target_p99:
            add(f"{label} p99", h and h["p99_ms"], "ms", f"<= {target_p99:g} ms", lambda v: v <= target_p99)
    for h in http:
        if h["route"] in ("GET /health", "GET /pnodes?limit=100", "GET /pnodes?status=all&limit=1000&sort_by=score"):
            continue
        add(f"{h['route']} req/s (p99 {h['p99_ms']} ms)", h["requests_per_second"], "", "-", lambda v: None)
    add("collector cycle CPU, 10k pods", cycle_10k["cpu_ms"], "ms", "<= 100 ms", lambda v: v <= 100)
    add("collector cycle wall, 10k pods", cycle_10k["wall_ms"], "ms", "-", lambda v: None)
    add("collector cycle CPU, 100k pods", cycle_100k["cpu_ms"], "ms", "<= 1,000 ms", lambda v: v <= 1000)
    add("collector cycle wall, 100k pods", cycle_100k["wall_ms"], "ms", "-", lambda v: None)
    add("collector cycle CPU, 10k pods, server heap policy", cycle_10k_sh["cpu_ms"], "ms", "<= 100 ms", lambda v: v <= 100)
    add("collector cycle CPU, 100k pods, server heap policy", cycle_100k_sh["cpu_ms"], "ms", "<= 1,000 ms",
        lambda v: v <= 1000)
    add("server process CPU a cycle, 10k pods (all threads)", result["server_cycle_10k"]["cpu_ms"], "ms", "-",
        lambda v: None)
    add("server RSS, 30 days of history, 10k pods", result["server_rss_30d_10k"]["rss_mib"], "MiB", "<= 80 MB",
        lambda v: v * 1048576 <= 80e6)
    warm = history.get("node_query_warm")
    cold = history.get("node_query_first_touch")
    add("one node's 30-day history query, p99 (first touch)", cold and cold["p99_ms"], "ms", "<= 10 ms",
        lambda v: v <= 10)
    add("one node's 30-day history query, p99 (warm)", warm and warm["p99_ms"], "ms", "<= 10 ms", lambda v: v <= 10)
    add("history on disk per node-sample", history.get("bytes_per_node_sample"), "B", "<= 32 B", lambda v: v <= 32)
    for name, b in result["hot_functions_10k"].items():
        add(f"{name} (10k)", b["cpu_ms"], "ms CPU", "-", lambda v: None)
    add_probe_rows(run, result, add)
    add_postgres_rows(run, result, add)
    result["table"] = [{"figure": f, "value": v, "target": t, "met": m} for f, v, t, m in rows]

    with open(result_path, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")

    def verdict(met):
        return "-" if met is None else ("met" if met else "NOT met")

    width = max(len(r[0]) for r in rows)
    print(f"\n{'figure':<{width}}  {'value':>14}  {'target':>12}  result")
    for f_, v, t, m in rows:
        print(f"{f_:<{width}}  {v:>14}  {t:>12}  {verdict(m)}")
    print(f"\nwritten {result_path}")

    m = result["machine"]
    lines = [
        "## Benchmarks",
        "",
        f"`make bench` (scripts/bench.sh) on {result['date_utc']}: {m['cpu']}, {m['nproc']} cores, "
        f"{m['ram_gib']} GiB RAM, Linux {m['kernel']}; load average {m['load_before']} before the run "
        f"(a shared machine). Loopback only, against the synthetic simulator; raw figures in "
        f"`{result_path}`.",
        "",
        "| figure | value | target | result |",
        "|---|---:|---:|---|",
    ]
    lines += [f"| {f_.replace('|', '/')} | {v} | {t} | {verdict(mt)} |" for f_, v, t, mt in rows]
    readme = read(readme_path)
    section = re.compile(r"^## Benchmarks\n.*?(?=^## |\Z)", re.S | re.M)
    if section.search(readme):
        readme = section.sub(lambda _: "\n".join(lines) + "\n\n", readme, count=1)
        with open(readme_path, "w") as f:
            f.write(readme)
        print(f"updated the Benchmarks section of {readme_path}")


if __name__ == "__main__":
    main()
