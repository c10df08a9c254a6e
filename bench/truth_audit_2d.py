#!/usr/bin/python3
"""Audit the truth of kept 2D thick-slab phantoms against their images.

Usage: truth_audit_2d.py SUITE_DIR... (each with img/case_NNNN.nii.gz and
truth/case_NNNN.truth.json, as kept by CSF_BENCH_KEEP=1 bash bench/accuracy.sh)

The 2D image is a projection: the phantom scales the 50 mm slab as a 15 mm CSF
column, so 15 * value / csf_signal is the fluid depth (mm, along y) the image
shows at a pixel (bias field ignored, which moves it by about +-30 %). For every
leak, perineural cyst and diverticulum of the truth it measures the depth at the
truth centre (median of 3 x 3 pixels), the most within 5 mm (on the 3 x 3 box
mean, so that noise does not pass for fluid), and the background
of its rows (median of the 7 image rows around the centre's z: most of a row is
fat-suppressed tissue). A finding disagrees with its image when the truth counts
it (in_fov) but the image shows no fluid within 5 mm of its centre (max -
background < 1 mm), or when the truth leaves it out of the field of view but the
image shows it (centre - background >= 3 mm, well over a root sleeve's tip of
about 2 mm). Exit status 1 when any finding disagrees, 2 (with a one-line
error naming the file) when a suite or a file cannot be read. Needs python3-nibabel.
"""
import glob
import json
import os
import re
import sys

import nibabel as nib
import numpy as np

SHOWN_MM, EMPTY_MM = 3.0, 1.0


def depths(img_path, csf):
    im = nib.load(img_path)
    d = np.asarray(im.dataobj, dtype=np.float32)
    if d.ndim != 3 or d.shape[1] != 1:
        raise ValueError(f"'{img_path}' is not a single coronal 2D slab")
    return im.affine, d[:, 0, :] * (15.0 / csf)


def audit_case(img_path, truth, out):
    A, th = depths(img_path, truth["anatomy"]["csf_signal"])
    nx, nz = th.shape
    # 3 x 3 box mean: the most within 5 mm is taken on it, so that the noise's
    # extremes over a window of some 400 pixels do not pass for fluid
    pad = np.pad(th, 1, mode="edge")
    box = sum(pad[a:a + nx, b:b + nz] for a in range(3) for b in range(3)) / 9.0

    def patch(img, x, z, r):
        i = int(round((x - A[0, 3]) / A[0, 0]))
        k = int(round((z - A[2, 3]) / A[2, 2]))
        if not (0 <= i < nx and 0 <= k < nz):
            return None
        return img[max(0, i - r):i + r + 1, max(0, k - r):k + r + 1]

    r5 = int(round(5.0 / abs(A[0, 0])))
    bad = 0
    for f in truth["findings"]:
        if f["kind"] == "slec":
            continue
        cx, _, cz = f["center_mm"]
        pc, p5 = patch(th, cx, cz, 1), patch(box, cx, cz, r5)
        if pc is None:
            continue  # centre outside the image's x-z field of view
        k = int(round((cz - A[2, 3]) / A[2, 2]))
        c, mx = float(np.median(pc)), float(p5.max())
        m = float(np.median(th[:, max(0, k - 3):k + 4]))
        if f["in_fov"]:
            verdict = "DISAGREE" if mx - m < EMPTY_MM else "ok"
        else:
            verdict = "DISAGREE" if c - m >= SHOWN_MM else "ok"
        bad += verdict != "ok"
        out.append((f["kind"], f.get("grade"), f["level"], f["side"], f["in_fov"], c, m, mx, verdict))
    return bad


def fail(path, problem):
    """The one-line error for a file the audit cannot read; exit status 2."""
    print(f"truth_audit_2d: {path}: {problem}", file=sys.stderr)
    return 2


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    nbad = ncases = 0
    summary = {}
    for suite in argv[1:]:
        tfs = sorted(glob.glob(os.path.join(suite, "truth", "case_*.truth.json")))
        if not tfs:
            return fail(suite, "no truth/case_*.truth.json (a kept suite?)")
        for tf in tfs:
            case = re.search(r"(case_\d+)\.truth\.json$", tf).group(1)
            try:
                t = json.load(open(tf))
                protocol = t["input"]["protocol"]
            except (OSError, ValueError, KeyError, TypeError) as e:
                return fail(tf, f"not a phantom truth JSON ({type(e).__name__}: {e})")
            img = os.path.join(suite, "img", case + ".nii.gz")
            if protocol != "2d" or not os.path.exists(img):
                continue
            ncases += 1
            rows = []
            try:
                nbad += audit_case(img, t, rows)
            except Exception as e:  # nibabel raises its own types for a corrupt image
                return fail(img, f"{type(e).__name__}: {e}")
            for kind, grade, lvl, side, infov, c, m, mx, v in rows:
                key = (kind, grade, infov)
                s = summary.setdefault(key, [0, 0, []])
                s[0] += 1
                s[1] += v != "ok"
                s[2].append(c - m)
                if v != "ok":
                    print(f"{v} {suite} {case} {kind} g{grade} {lvl} {side} in_fov={infov} "
                          f"depth {c:.2f} background {m:.2f} max5 {mx:.2f}")
    print(f"{ncases} 2D cases")
    print("kind grade in_fov: findings, disagreeing, centre-minus-background depth mm (5th / 50th pct)")
    for (kind, grade, infov), (n, b, dd) in sorted(summary.items(), key=str):
        p5, p50 = np.percentile(dd, [5, 50])
        print(f"  {kind} {grade} {infov}: {n}, {b}, {p5:.2f} / {p50:.2f}")
    return 1 if nbad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
