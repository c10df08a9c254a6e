#!/usr/bin/python3
"""numpy's maximum-intensity projections, timed as the anchors time them
(../shared/anchors/bench_scipy.py: `data.max(axis=1)` and `[data.max(axis=a) for a
in range(3)]` on the int16 array nibabel loads), plus each single axis and the same
on a float32 copy (what csfleak projects), so bench/bench_mip.c's rows line up:
  /usr/bin/python3 bench/bench_mip.py FILE.nii.gz REPS
One JSON line per step {tool, step, min, median} in seconds; numpy is single-threaded."""
import json
import statistics
import sys
import time

import nibabel as nib
import numpy as np


def main():
    path, reps = sys.argv[1], int(sys.argv[2])
    data = np.asanyarray(nib.load(path).dataobj)
    names = ["mip_sagittal", "mip_coronal", "mip_axial"]
    for label, arr in (("numpy_int16", data), ("numpy_float32", data.astype(np.float32))):
        steps = [(names[a], (lambda a=a: arr.max(axis=a))) for a in range(3)]
        steps.append(("mip_3axes", lambda: [arr.max(axis=a) for a in range(3)]))
        for name, fn in steps:
            ts = []
            for _ in range(reps):
                t0 = time.perf_counter()
                fn()
                ts.append(time.perf_counter() - t0)
            print(json.dumps({"tool": label, "dtype": str(arr.dtype), "order":
                              "F" if arr.flags.f_contiguous else "C", "step": name,
                              "min": min(ts), "median": statistics.median(ts)}), flush=True)


if __name__ == "__main__":
    main()
