#!/usr/bin/env python3
"""Writes a small synthetic spine volume (NIfTI-1, float32, gzip) whose geometry
matches an analysis JSON: the sac along its centerline with its per-level widths
and every finding as a bright ellipsoid. The same drawing as tests/report_synth.h,
for the report's browser test until phantoms are available.
usage: report_volume.py ANALYSIS.json OUT.nii.gz"""
import gzip
import json
import struct
import sys

import numpy as np

NX, NY, NZ = 100, 50, 160           # 3 x 4 x 4 mm over x [-150,150), y [-100,100), z [-640,0)
SP = (3.0, 4.0, 4.0)
ORIGIN = (-150.0, -100.0, -640.0)


def header():
    h = bytearray(352)
    struct.pack_into("<i", h, 0, 348)
    struct.pack_into("<8h", h, 40, 3, NX, NY, NZ, 1, 1, 1, 1)
    struct.pack_into("<hh", h, 70, 16, 32)                  # float32
    struct.pack_into("<8f", h, 76, 1.0, *SP, 1.0, 1.0, 1.0, 1.0)
    struct.pack_into("<fff", h, 108, 352.0, 1.0, 0.0)       # vox_offset, slope, inter
    h[123] = 2                                              # mm
    struct.pack_into("<hh", h, 252, 0, 1)                   # sform only
    struct.pack_into("<4f", h, 280, SP[0], 0, 0, ORIGIN[0])
    struct.pack_into("<4f", h, 296, 0, SP[1], 0, ORIGIN[1])
    struct.pack_into("<4f", h, 312, 0, 0, SP[2], ORIGIN[2])
    h[344:348] = b"n+1\0"
    return bytes(h)


def main():
    a = json.load(open(sys.argv[1]))
    x = ORIGIN[0] + np.arange(NX) * SP[0]
    y = ORIGIN[1] + np.arange(NY) * SP[1]
    z = ORIGIN[2] + np.arange(NZ) * SP[2]
    X, Y, Z = np.meshgrid(x, y, z, indexing="ij")
    vol = np.random.default_rng(1).uniform(0, 60, (NX, NY, NZ)).astype(np.float32)
    levels = a["sac"]["levels"]
    lz = np.array([l["center_mm"][2] for l in levels])
    for k in range(NZ):
        l = levels[int(np.argmin(np.abs(lz - z[k])))]
        cy, tr, ap = l["center_mm"][1], l["transverse_mm"], l["ap_mm"]
        inside = X[:, :, k] ** 2 / (tr * tr / 4) + (Y[:, :, k] - cy) ** 2 / (ap * ap / 4) <= 1
        vol[:, :, k][inside] = 1000
    for f in a["findings"]:
        c = f["center_mm"]
        lat, cc = f["lateral_extent_mm"] / 2, f["craniocaudal_extent_mm"] / 2
        apside = f.get("side") in ("ventral", "dorsal")
        r = (5 if apside else lat, lat if apside else 3, cc)
        e = ((X - c[0]) / r[0]) ** 2 + ((Y - c[1]) / r[1]) ** 2 + ((Z - c[2]) / r[2]) ** 2
        vol[e <= 1] = 900
    with gzip.open(sys.argv[2], "wb") as fp:
        fp.write(header())
        fp.write(vol.transpose(2, 1, 0).astype("<f4").tobytes())   # x fastest


if __name__ == "__main__":
    main()
