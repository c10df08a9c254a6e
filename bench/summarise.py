#!/usr/bin/python3
"""Markdown tables from one bench/run.sh result dir: per step, min seconds of
scipy (1 thread), ITK (2 threads) and csfleak (2 and 1 threads), and the ratios
reference / csfleak-2-threads (>1 means csfleak is faster)."""
import glob
import json
import os
import re
import sys


def load(path):
    out = {}
    if not os.path.exists(path):
        return out
    for line in open(path):
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if "step" in rec and "min" in rec:
            out[rec["step"]] = rec
    return out


# ITK's anchor names two steps differently: its Otsu filter also thresholds, and
# its EDT is the signed Maurer distance from the sac.
ITK_ALIAS = {"edt_outside_sac": "edt_maurer_signed"}


def merge_otsu(recs):
    """One 'otsu+threshold' row for every tool (ITK only has the combined step)."""
    if "otsu+threshold" in recs or "otsu" not in recs:
        return recs
    out = {}
    for k, v in recs.items():
        if k == "otsu":
            t = recs.get("threshold", {}).get("min", 0.0)
            out["otsu+threshold"] = dict(v, min=v["min"] + t)
        elif k != "threshold":
            out[k] = v
    return out


def fmt(x):
    return "–" if x is None else f"{x:.3f}"


def main():
    res = sys.argv[1]
    for size in ("small", "large"):
        sp, itk = merge_otsu(load(f"{res}/scipy_{size}.jsonl")), load(f"{res}/itk2_{size}.jsonl")
        c2 = merge_otsu(load(f"{res}/csfleak2_{size}.jsonl"))
        c1 = merge_otsu(load(f"{res}/csfleak1_{size}.jsonl"))
        if not c2:
            continue
        print(f"\n### {size}\n")
        print("| step | scipy 1 thr | ITK 2 thr | csfleak 2 thr | csfleak 1 thr | scipy / csfleak | ITK / csfleak |")
        print("|---|---|---|---|---|---|---|")
        tot = {"scipy": 0.0, "itk": 0.0}
        for step, rec in c2.items():
            if step == "total":
                continue
            s = sp.get(step, {}).get("min")
            i = itk.get(ITK_ALIAS.get(step, step), {}).get("min")
            c = rec["min"]
            one = c1.get(step, {}).get("min")
            if step not in ("load_nii", "load_nii_gz_l1"):
                tot["scipy"] += s or 0.0
                tot["itk"] += i or 0.0
            rs = f"{s / c:.1f}x" if s and c > 0 else "–"
            ri = f"{i / c:.1f}x" if i and c > 0 else "–"
            print(f"| {step} | {fmt(s)} | {fmt(i)} | {fmt(c)} | {fmt(one)} | {rs} | {ri} |")
        t = c2.get("total", {}).get("min")
        if t:
            print(f"| **total (gz l6 load + pipeline)** | {tot['scipy']:.3f} | {tot['itk']:.3f} | "
                  f"**{t:.3f}** | {fmt(c1.get('total', {}).get('min'))} | "
                  f"{tot['scipy'] / t:.1f}x | {(tot['itk'] / t if tot['itk'] else 0):.1f}x |")
        rss = f"{res}/rss_csfleak2_{size}.txt"
        if os.path.exists(rss):
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(rss).read())
            fl = c2.get("total", {}).get("float_volume_mib")
            if m:
                peak = int(m.group(1)) / 1024
                ratio = f" = {peak / fl:.2f}x the float volume ({fl:.0f} MiB)" if fl else ""
                print(f"\nPeak RSS, csfleak 2 threads: {peak:.0f} MiB{ratio}")
    for f in sorted(glob.glob(f"{res}/*.txt")):
        name = os.path.basename(f)
        if name.startswith(("bench_", "io_")):
            print(f"\n### {name}\n\n```\n{open(f).read().strip()}\n```")


if __name__ == "__main__":
    main()
