#!/usr/bin/env python3
"""Writes an int16 NIfTI-1 volume with an sform (as `csfleak phantom` makes) as a DICOM
MR series (one axial slice per file, explicit VR little endian), for batch_local.sh.
Mirrors tests/support/csf_test_dicom.c; needs only numpy.
usage: batch_nifti2dcm.py IN.nii.gz OUTDIR"""
import gzip
import os
import struct
import sys

import numpy as np


def read_nifti(path):
    raw = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
    dim = struct.unpack_from("<8h", raw, 40)
    dtype, = struct.unpack_from("<h", raw, 70)
    off, = struct.unpack_from("<f", raw, 108)
    sform, = struct.unpack_from("<h", raw, 254)
    if dtype != 4 or sform <= 0 or dim[0] < 3:
        sys.exit("batch_nifti2dcm: %s: need int16 data and an sform" % path)
    srow = np.array(struct.unpack_from("<12f", raw, 280), dtype=float).reshape(3, 4)
    n = dim[1] * dim[2] * dim[3]
    data = np.frombuffer(raw, dtype="<i2", count=n, offset=int(off))
    return data.reshape(dim[3], dim[2], dim[1]).transpose(2, 1, 0), np.vstack([srow, [0, 0, 0, 1]])


def elem(g, e, vr, val):
    if len(val) & 1:
        val += b"\0" if vr in ("UI", "OB") else b" "
    if vr in ("OB", "OW"):
        return struct.pack("<HH2sHI", g, e, vr.encode(), 0, len(val)) + val
    return struct.pack("<HH2sH", g, e, vr.encode(), len(val)) + val


def s(g, e, vr, text):
    return elem(g, e, vr, text.encode())


def us(g, e, v):
    return elem(g, e, "US", struct.pack("<H", v))


def meta(sop):
    m = elem(2, 1, "OB", b"\0\1") + s(2, 2, "UI", "1.2.840.10008.5.1.4.1.1.4")
    m += s(2, 3, "UI", sop) + s(2, 0x10, "UI", "1.2.840.10008.1.2.1")
    m += s(2, 0x12, "UI", "1.2.826.0.1.3680043.9.7777.1")
    return b"\0" * 128 + b"DICM" + elem(2, 0, "UL", struct.pack("<I", len(m))) + m


def ds(*v):
    return "\\".join("%.6f" % x for x in v)


def main():
    data, a = read_nifti(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    lps = np.diag([-1.0, -1.0, 1.0])
    rdir = lps @ a[:3, 0] / np.linalg.norm(a[:3, 0])  # along i = along a row
    cdir = lps @ a[:3, 1] / np.linalg.norm(a[:3, 1])  # along j = down a column
    step = lps @ a[:3, 2]
    sp = np.sqrt((a[:3, :3] ** 2).sum(axis=0))
    nk = data.shape[2]
    for k in range(nk):
        sop = "1.2.826.0.1.3680043.9.7777.3.%d" % (k + 1)
        ipp = lps @ (a[:3, 3] + k * a[:3, 2])
        b = meta(sop)
        b += s(8, 8, "CS", "ORIGINAL\\PRIMARY\\M\\ND") + s(8, 0x16, "UI", "1.2.840.10008.5.1.4.1.1.4")
        b += s(8, 0x18, "UI", sop) + s(8, 0x20, "DA", "20240101") + s(8, 0x30, "TM", "120000")
        b += s(8, 0x60, "CS", "MR") + s(8, 0x70, "LO", "csfleak-test") + s(8, 0x103E, "LO", "T2 MYELO TEST")
        b += s(0x10, 0x10, "PN", "Phantom^Test") + s(0x10, 0x20, "LO", "CSFTEST01")
        b += s(0x18, 0x50, "DS", ds(np.linalg.norm(step))) + s(0x18, 0x88, "DS", ds(np.linalg.norm(step)))
        b += s(0x20, 0x0D, "UI", "1.2.826.0.1.3680043.9.7777.1.1")
        b += s(0x20, 0x0E, "UI", "1.2.826.0.1.3680043.9.7777.2.1")
        b += s(0x20, 0x11, "IS", "7") + s(0x20, 0x13, "IS", str(nk - k))
        b += s(0x20, 0x32, "DS", ds(*ipp)) + s(0x20, 0x37, "DS", ds(*rdir, *cdir))
        b += s(0x20, 0x52, "UI", "1.2.826.0.1.3680043.9.7777.4.1")
        b += us(0x28, 2, 1) + s(0x28, 4, "CS", "MONOCHROME2")
        b += us(0x28, 0x10, data.shape[1]) + us(0x28, 0x11, data.shape[0])
        b += s(0x28, 0x30, "DS", ds(sp[1], sp[0]))
        b += us(0x28, 0x100, 16) + us(0x28, 0x101, 16) + us(0x28, 0x102, 15) + us(0x28, 0x103, 1)
        # rows = j, columns = i: pixel (row j, col i) = data[i, j, k]
        px = np.ascontiguousarray(data[:, :, k].T).astype("<i2").tobytes()
        b += elem(0x7FE0, 0x10, "OW", px)
        with open(os.path.join(out, "slice_%03d.dcm" % k), "wb") as f:
            f.write(b)


if __name__ == "__main__":
    main()
