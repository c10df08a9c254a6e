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
ITK_ALIAS = {"edt_outside_sac": "edt_maurer_signed", "mip_3axes_1pass": "mip_3axes"}
# csfleak's one-pass projections are compared with the anchors' three projections;
# its single-axis rows the anchors lack are shown but never added to their totals.
REF_ALIAS = {"mip_3axes_1pass": "mip_3axes"}
NOT_IN_REF_TOTAL = {"mip_sagittal", "mip_axial", "mip_3axes_1pass"}


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


def load_tools(path):
    """{tool: {step: rec}} of a JSON-lines file holding several tools and rounds; a
    step's record is the one with the smallest min over the rounds."""
    out = {}
    if os.path.exists(path):
        for line in open(path):
            if line.startswith("{"):
                rec = json.loads(line)
                steps = out.setdefault(rec["tool"], {})
                old = steps.get(rec["step"])
                if old is None or rec["min"] < old["min"]:
                    steps[rec["step"]] = rec
    return out


def mip_table(res, size):
    """bench_mip.c (csfleak 2 and 1 threads) against bench_mip.py (numpy, the anchors'
    int16 way and on float32) and the anchors' ITK rows, same run."""
    npy = load_tools(f"{res}/mip_{size}_numpy.jsonl")
    c2 = load_tools(f"{res}/mip_{size}_csfleak2.jsonl").get("csfleak", {})
    c1 = load_tools(f"{res}/mip_{size}_csfleak1.jsonl").get("csfleak", {})
    itk = load(f"{res}/itk2_{size}.jsonl")
    if not c2 or not npy:
        return
    i16, f32 = npy.get("numpy_int16", {}), npy.get("numpy_float32", {})
    print(f"\n#### maximum-intensity projections, {size} (s, min over 5 interleaved rounds of 3)\n")
    print("| step | numpy int16 (anchor) | numpy float32 | ITK 2 thr | csfleak 2 thr | csfleak 1 thr "
          "| numpy int16 / csfleak | ITK / csfleak |")
    print("|---|---|---|---|---|---|---|---|")
    rows = ["read_floor", "mip_sagittal", "mip_coronal", "mip_axial", "mip_3axes", "mip_3axes_1pass"]
    for step in rows:
        ref = "mip_3axes" if step == "mip_3axes_1pass" else step
        n16, n32 = i16.get(ref, {}).get("min"), f32.get(ref, {}).get("min")
        it = itk.get(ref, {}).get("min") if ref in ("mip_coronal", "mip_3axes") else None
        c, one = c2.get(step, {}).get("min"), c1.get(step, {}).get("min")
        r16 = f"{n16 / c:.2f}x" if n16 and c else "–"
        ri = f"{it / c:.1f}x" if it and c else "–"
        label = {"read_floor": "one read of the float volume (sum)",
                 "mip_3axes_1pass": "3 axes, one pass (csf_img_mip3) vs numpy's 3"}.get(step, step)
        print(f"| {label} | {fmt(n16)} | {fmt(n32)} | {fmt(it)} | {fmt(c)} | {fmt(one)} | {r16} | {ri} |")


def main():
    res = sys.argv[1]
    for size in ("small", "large"):
        sp, itk = merge_otsu(load(f"{res}/scipy_{size}.jsonl")), load(f"{res}/itk2_{size}.jsonl")
        c2 = merge_otsu(load(f"{res}/csfleak2_{size}.jsonl"))
        c1 = merge_otsu(load(f"{res}/csfleak1_{size}.jsonl"))
        if not c2:
            mip_table(res, size)
            continue
        print(f"\n### {size}\n")
        print("| step | scipy 1 thr | ITK 2 thr | csfleak 2 thr | csfleak 1 thr | scipy / csfleak | ITK / csfleak |")
        print("|---|---|---|---|---|---|---|")
        tot = {"scipy": 0.0, "itk": 0.0}
        for step, rec in c2.items():
            if step == "total":
                continue
            s = sp.get(REF_ALIAS.get(step, step), {}).get("min")
            i = itk.get(ITK_ALIAS.get(step, step), {}).get("min")
            c = rec["min"]
            one = c1.get(step, {}).get("min")
            if step not in ("load_nii", "load_nii_gz_l1") and step not in NOT_IN_REF_TOTAL:
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
        mip_table(res, size)
    for f in sorted(glob.glob(f"{res}/*.txt")):
        name = os.path.basename(f)
        if name.startswith(("bench_", "io_")):
            print(f"\n### {name}\n\n```\n{open(f).read().strip()}\n```")


if __name__ == "__main__":
    main()
