#ifndef CSFLEAK_IMG_SIMD_INTERNAL_H
#define CSFLEAK_IMG_SIMD_INTERNAL_H
/* CSF_HOT marks a hot loop function that gets an AVX2 clone next to the
 * baseline x86-64 one, chosen once at load time (GNU ifunc). The clones run
 * the same IEEE operations in the same order per element: AVX2 brings no FMA
 * (a separate ISA flag) and ISO C mode does not contract a*b+c anyway, and
 * every reduction in these loops uses explicit lanes. So the results are the
 * same bits on any x86-64 machine, only faster where AVX2 exists (measured
 * 25-30 % on the Gaussian and histogram passes). Define CSF_NO_CLONES to
 * build without. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(CSF_NO_CLONES)
#define CSF_HOT __attribute__((target_clones("avx2", "default")))
#else
#define CSF_HOT
#endif

#endif
