#!/usr/bin/python3
"""Writes a perturbed copy of a phantom and of its truth, for bench/robustness.sh.

The perturbations stand for ways the world differs from our own phantom
model, not for anything the detector was built around:
  scale:S  the patient is S times larger (affine scaled about the origin; the
           voxels are untouched, so the voxel size scales too)
  gamma:G  intensities remapped v -> M (v / M)^G, M the 99.9th percentile
           (another sequence's CSF / tissue contrast)
  blur:S   Gaussian point-spread function of sigma S voxels (another scanner)
  grid:F   resampled onto voxels F times larger along every axis longer than one
           voxel (another matrix / slice thickness: decisions that count voxels
           instead of millimetres move); the world position of every voxel centre
           follows the affine, so the truth is unchanged
Usage: robust_variant.py IN.nii.gz TRUTH.json VARIANT OUT.nii.gz OUT_TRUTH.json
"""
import json
import sys

import nibabel as nib
import numpy as np
from scipy import ndimage


def scale_truth(t, s):
    """Every world coordinate in the truth scales with the patient."""
    for f in t.get("findings", []):
        if "center_mm" in f:
            f["center_mm"] = [c * s for c in f["center_mm"]]
    lv = t.get("levels")
    if isinstance(lv, dict):
        t["levels"] = {k: v * s for k, v in lv.items()}
    return t


def regrid(data, aff, f):
    """Coarser grid over the same field of view: the signal of a larger voxel is
    the mean over it, so the image is first smoothed by the extra box width
    (variance (F^2 - 1) / 12 voxels^2), then sampled at the new centres."""
    fac = [f if n > 1 else 1.0 for n in data.shape]
    sig = [np.sqrt(max(k * k - 1.0, 0.0) / 12.0) for k in fac]  # a finer grid: no box
    data = ndimage.gaussian_filter(data, sig)
    shape = [max(1, int(n / k)) for n, k in zip(data.shape, fac)]
    # new voxel j covers old voxels [j F, (j + 1) F): its centre is at j F + (F - 1) / 2
    off = [(k - 1.0) / 2.0 for k in fac]
    data = ndimage.affine_transform(data, np.diag(fac), offset=off, output_shape=shape, order=1,
                                    mode="nearest")
    m = np.eye(4)
    m[:3, :3] = np.diag(fac)
    m[:3, 3] = off
    return data.astype(np.float32), aff @ m


def main():
    src, truth, variant, out, out_truth = sys.argv[1:6]
    kind, _, arg = variant.partition(":")
    img = nib.load(src)
    t = json.load(open(truth))
    aff = img.affine.copy()
    data = np.asanyarray(img.dataobj).astype(np.float32)
    if kind == "scale":
        s = float(arg)
        aff = np.diag([s, s, s, 1.0]) @ aff
        t = scale_truth(t, s)
    elif kind == "gamma":
        g = float(arg)
        m = float(np.percentile(data, 99.9))
        data = m * np.power(np.clip(data, 0, None) / m, g)
    elif kind == "blur":
        data = ndimage.gaussian_filter(data, float(arg))
    elif kind == "grid":
        data, aff = regrid(data, aff, float(arg))
    elif kind != "none":
        sys.exit(f"robust_variant.py: unknown variant '{variant}'")
    hdr = img.header.copy()
    hdr.set_data_dtype(np.float32)
    o = nib.Nifti1Image(data, aff, hdr)
    o.set_sform(aff, code=1)
    o.set_qform(aff, code=1)
    nib.save(o, out)
    json.dump(t, open(out_truth, "w"))


if __name__ == "__main__":
    main()
