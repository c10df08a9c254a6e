#!/usr/bin/python3
"""Independent re-computation (python3 + numpy, exact rational arithmetic where
possible) of every reference value hard-coded in tests/test_stats.c.
Run: /usr/bin/python3 tests/data/stats/verify_reference.py  -- prints each value."""
from fractions import Fraction
from math import comb, sqrt, erfc, log, exp
import numpy as np

Z = 1.959963984540054  # Phi^-1(0.975)

def binom_cdf(x, n, p):
    return sum(comb(n, i) * p**i * (1 - p)**(n - i) for i in range(x + 1))

def bisect(f, lo, hi):
    for _ in range(200):
        mid = (lo + hi) / 2
        if f(mid) > 0: lo = mid
        else: hi = mid
    return (lo + hi) / 2

def clopper_pearson(x, n, a=0.05):
    # lower: P(X >= x; p) = a/2 ; upper: P(X <= x; p) = a/2 (direct binomial sums)
    lo = 0.0 if x == 0 else bisect(lambda p: a / 2 - (1 - binom_cdf(x - 1, n, p)), 0, 1)
    hi = 1.0 if x == n else bisect(lambda p: binom_cdf(x, n, p) - a / 2, 0, 1)
    return lo, hi

def wilson(x, n):
    p = x / n; d = 1 + Z * Z / n
    c = (p + Z * Z / (2 * n)) / d
    h = Z * sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / d
    return c - h, c + h

print("== proportions")
for x, n in [(0, 10), (10, 10), (5, 10), (1, 20), (29, 30), (81, 263), (0, 1), (1, 1)]:
    print(x, n, "exact %.6f %.6f" % clopper_pearson(x, n), "wilson %.6f %.6f" % wilson(x, n))

def fce(table, w):
    """Fleiss, Cohen & Everitt (1969) kappa, non-null and null SE; w = agreement weights."""
    t = np.asarray(table, float); n = t.sum(); p = t / n
    r = p.sum(1); c = p.sum(0)
    po = (w * p).sum(); pe = (w * np.outer(r, c)).sum()
    k = (po - pe) / (1 - pe)
    wi = w @ c; wj = r @ w
    A = (p * (w * (1 - pe) - (wi[:, None] + wj[None, :]) * (1 - po))**2).sum()
    var = (A - (po * pe - 2 * pe + po)**2) / (n * (1 - pe)**4)
    B = (np.outer(r, c) * (w - (wi[:, None] + wj[None, :]))**2).sum()
    var0 = (B - pe**2) / (n * (1 - pe)**2)
    return po, k, sqrt(var), sqrt(var0)

def weights(k, kind):
    i = np.arange(k)
    d = np.abs(i[:, None] - i[None, :]) / (k - 1)
    return {"none": np.eye(k), "linear": 1 - d, "quadratic": 1 - d * d}[kind]

print("== kappa")
sas = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]
for kind in ["none", "linear", "quadratic"]:
    po, k, se, se0 = fce(sas, weights(3, kind))
    print("SAS table", kind, "po %.6f kappa %.6f se %.6f se0 %.6f ci %.4f %.4f" % (po, k, se, se0, k - Z * se, k + Z * se))
altman = [[21, 12, 0, 0], [4, 17, 1, 0], [3, 9, 15, 2], [0, 0, 0, 1]]
for kind in ["none", "linear", "quadratic"]:
    po, k, se, se0 = fce(altman, weights(4, kind))
    print("Altman 14.3", kind, "po %.6f kappa %.6f se %.6f se0 %.6f" % (po, k, se, se0))
flp = [[75, 1, 4], [5, 4, 1], [0, 0, 10]]
po, k, se, se0 = fce(flp, weights(3, "none"))
print("FLP psychiatrists", "po %.6f kappa %.6f se %.6f se0 %.6f" % (po, k, se, se0))

anxiety = np.array([3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3, 3, 6, 4,
     6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4, 2, 1, 4, 4, 3, 2,
     1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2]).reshape(20, 3, order='F')
lv = sorted(set(anxiety[:, 1:].ravel().tolist()))  # irr uses only the levels present
tab = np.zeros((5, 5))
for a, b in anxiety[:, 1:]:
    tab[lv.index(a), lv.index(b)] += 1
print("anxiety rater2 x rater3 table", tab.astype(int).tolist())
for kind in ["none", "linear", "quadratic"]:
    po, k, se, se0 = fce(tab, weights(5, kind))
    print("anxiety", kind, "kappa %.7f z0 %.6f" % (k, k / se0))

print("== Fleiss 1971")
diag = np.array([[4,4,4,4,4,4],[2,2,2,5,5,5],[2,3,3,3,3,5],[5,5,5,5,5,5],[2,2,2,4,4,4],
 [1,1,3,3,3,3],[3,3,3,3,5,5],[1,1,3,3,3,4],[1,1,4,4,4,4],[5,5,5,5,5,5],[1,4,4,4,4,4],
 [1,2,4,4,4,4],[2,2,2,3,3,3],[1,4,4,4,4,4],[2,2,4,4,4,5],[3,3,3,3,3,5],[1,1,1,4,5,5],
 [1,1,1,1,1,2],[2,2,4,4,4,4],[1,3,3,5,5,5],[5,5,5,5,5,5],[2,4,4,4,4,4],[2,2,4,5,5,5],
 [1,1,4,4,4,4],[1,4,4,4,4,5],[2,2,2,2,2,4],[1,1,1,1,5,5],[2,2,4,4,4,4],[1,3,3,3,3,3],[5,5,5,5,5,5]])
cnt = np.array([[np.sum(r == c) for c in range(1, 6)] for r in diag], float)
print("counts", cnt.astype(int).tolist())
N, m = cnt.shape[0], 6
pj = cnt.sum(0) / (N * m)
Pi = ((cnt * (cnt - 1)).sum(1)) / (m * (m - 1))
Pbar = Pi.mean(); Pe = (pj**2).sum()
kf = (Pbar - Pe) / (1 - Pe)
q = 1 - pj; s = (pj * q).sum()
var0 = 2 / (N * m * (m - 1)) * (s * s - (pj * q * (q - pj)).sum()) / (s * s)
print("fleiss kappa %.7f se0 %.7f z %.5f" % (kf, sqrt(var0), kf / sqrt(var0)))

print("== McNemar")
def mcnemar_exact(b, c):
    n = b + c; k = min(b, c)
    return min(Fraction(1), 2 * sum(Fraction(comb(n, i), 2**n) for i in range(k + 1)))
for b, c in [(1, 6), (0, 5), (3, 3), (2, 10), (0, 0)]:
    print(b, c, "exact p", float(mcnemar_exact(b, c)))
for b, c in [(150, 86), (20, 40)]:
    chi = (abs(b - c) - 1)**2 / (b + c)
    print(b, c, "chi2cc %.6f p %.6e" % (chi, erfc(sqrt(chi / 2))))

print("== DeLong on Hanley & McNeil (1982) CT ratings")
neg = np.repeat([1, 2, 3, 4, 5], [33, 6, 6, 11, 2])
pos = np.repeat([1, 2, 3, 4, 5], [3, 2, 2, 11, 33])
psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
auc = psi.mean()
v10 = psi.mean(1); v01 = psi.mean(0)
se = sqrt(v10.var(ddof=1) / len(pos) + v01.var(ddof=1) / len(neg))
print("auc %.6f se %.6f ci %.6f %.6f" % (auc, se, auc - Z * se, auc + Z * se))
# Hanley-McNeil (1982) SE for comparison (they report 0.032)
Q1 = auc / (2 - auc); Q2 = 2 * auc * auc / (1 + auc); na, nn = len(pos), len(neg)
hm = sqrt((auc * (1 - auc) + (na - 1) * (Q1 - auc**2) + (nn - 1) * (Q2 - auc**2)) / (na * nn))
print("Hanley-McNeil SE %.4f" % hm)
for t in [5, 4, 3, 2, 1]:
    print("  threshold >=%d tpr %.6f fpr %.6f" % (t, (pos >= t).mean(), (neg >= t).mean()))

print("== LR log CIs (Simel et al. 1991) for TP=FN... table a=TP b=FP c=FN d=TN")
for a, b, c, d in [(18, 3, 2, 27), (231, 32, 27, 54)]:
    sens = a / (a + c); spec = d / (b + d)
    lrp = sens / (1 - spec); lrn = (1 - sens) / spec
    sp = sqrt(1 / a - 1 / (a + c) + 1 / b - 1 / (b + d))
    sn = sqrt(1 / c - 1 / (a + c) + 1 / d - 1 / (b + d))
    print(a, b, c, d, "LR+ %.6f [%.6f %.6f] LR- %.6f [%.6f %.6f]" % (lrp, lrp * exp(-Z * sp), lrp * exp(Z * sp), lrn, lrn * exp(-Z * sn), lrn * exp(Z * sn)))
