/* Grade 1 of the MR-myelography scale in 3D: a triangular expansion of the
 * CSF space around a nerve root sleeve, told from a normal sleeve, from a
 * strip of sac rim merged with a sleeve, and from a meningeal diverticulum
 * (a rounded outpouching of the dura at the sleeve's origin), by the
 * component's own radial profile and by sizes relative to the same
 * patient's sleeves (docs/analyze.md, docs/detector-log.md "Grade 1 against
 * normal"). No threshold here was fitted to the phantom suites. */
#include <math.h>

#include "detect_internal.h"

/* More fluid than the level's sleeves hold, with a margin over their
 * spread: the left/right and level-to-level scatter of normal sleeve volume
 * is about +-25 %, so 1.5 x lies two scatters out. It is the supporting
 * evidence; the shape (below) is the defining one. */
#define WEDGE_VOL_RATIO 1.5
/* The expansion is of the CSF space around the root: one voxel layer out
 * from the mask's contact shell (depth band 1), the cross-section is at
 * least twice that of the neighbouring sleeves. A root widened to sqrt(2) x
 * its diameter doubles it; a normal sleeve of the next level differs by
 * tens of %. The contact shell itself (band 0) is not used: it holds the
 * partial-volume rim, and a strip of sac CSF left outside an under-estimated
 * wall lies there. */
#define WEDGE_ROOT_RATIO 2.0
/* A symmetric pair is the anatomy of its level: the expanded side must
 * stand clearly above the contralateral sleeve. One sleeve is a single
 * sample (noisier than the neighbours' median), so the bar is the scatter
 * margin of WEDGE_VOL_RATIO, not the expansion ratio. */
#define WEDGE_ASYM_RATIO 1.5
/* A triangle narrows gradually along the sleeve (several voxels long): one
 * voxel out from the wall it keeps most of its mouth's cross-section (a
 * cone closing over 3 voxels keeps (2/3)^2 = 0.44). Under a third, the extra
 * fluid is a layer on the wall (sac rim outside an under-estimated wall),
 * not a wedge. */
#define WEDGE_MIN_TAPER (1.0 / 3.0)
/* A rounded body: its smallest principal axis at least half its largest (a
 * sleeve and its expansion are elongated along the root, axis ratio
 * 0.2-0.45 in the lumbar and thoracic spine). */
#define DOME_MIN_AXES 0.5

/* Voxels of the component inside the sac's own outline (extras.c in_oval):
 * sac CSF beyond an oblique wall ray that stopped on a nerve root. */
static double sac_csf_voxels(const csf_extra *x)
{
    double n = 0;
    for (int b = 0; b < CSF_DEPTH_BANDS; b++)
        n += (double)x->oval_voxels[b];
    return n;
}

/* A triangular expansion is widest at the dura and narrows from its mouth
 * outward; a rounded outpouching keeps its width near its mouth (a body
 * centred on the wall loses only the cap's pi d^2 in its first layer).
 * What "keeps its width" means at one-voxel layers is read off the same
 * patient's normal sleeves: a sleeve is a tube of constant cross-section
 * through the wall, and its contact shell (band 0) holds its root layer
 * plus the partial-volume rim where it crosses the wall. That rim is one
 * voxel thick along the sleeve's perimeter, so it grows as the square root
 * of the cross-section, not in proportion to it: k = (mouth - root) /
 * sqrt(root) of the neighbours, and a body whose mouth holds no more than
 * root + k sqrt(root) of its own has not narrowed from the dura outward:
 * it is not widest at the root. Only at thoracic levels: below T12 the
 * roots run steeply caudally, and an expanded lumbar sleeve crosses the
 * layers obliquely and keeps its mouth's width (session 3, wedge; the 2D
 * rule of d2thor stops at T12 for the same reason); in the neck the roots
 * run anterolaterally and leave the canal almost at once, so a cervical
 * expansion crosses the layers obliquely too and was seen to keep its
 * mouth's width (docs/detector-log.md, d3div). 1 when the mouth is flat. */
static int flat_mouth(const size_t *b, const csf_wedge_ref *ref)
{
    if (!ref->thoracic || !(ref->mouth > 0) || !(ref->root > 0))
        return 0;
    double k = fmax(0.0, (ref->mouth - ref->root) / sqrt(ref->root));
    double root = (double)b[1];
    return (double)b[0] <= root + k * sqrt(root);
}

/* At lumbar levels (L1-L5) a body that still holds its mouth's
 * cross-section two voxel layers out from the wall, less the wall's
 * partial-volume rim (flat_mouth's k sqrt of that layer, from the same
 * patient's sleeves), has not narrowed from the dura: a rounded
 * outpouching, not a triangular expansion. The lumbar roots run steeply
 * caudally and cross the layers obliquely, so an expanded lumbar sleeve can
 * keep its mouth's width over one layer (flat_mouth stops at T12), but a
 * triangle narrows from the dura along the sleeve: two layers out every
 * lumbar grade-1 wedge found on the dev seeds had lost more than the rim
 * (121 of 121 at L1-L5 in 570 dumped cases of b31-b34, b39, b40), while a
 * diverticulum of 4-6 mm, centred a voxel or two beyond the wall, keeps its
 * width there (6 of the 9 lumbar diverticula called grade 1; s6g1,
 * docs/detector-log.md). A diverticulum merged with its lumbar
 * sleeve makes an elongated component, so the roundness of the whole
 * (DOME_MIN_AXES) cannot be asked for. Not at S1: the S1 root runs along the
 * sac wall before it leaves (its sleeve is the most oblique), and its
 * expansions kept their width over two layers. 1 when it holds. */
static int lumbar_dome(const size_t *b, const csf_wedge_ref *ref)
{
    if (!ref->lumbar || !(ref->mouth > 0) || !(ref->root > 0))
        return 0;
    double k = fmax(0.0, (ref->mouth - ref->root) / sqrt(ref->root));
    double deep = (double)b[2];
    return (double)b[0] <= deep + k * sqrt(deep);
}

/* The root test (twice the neighbours' root layer) compares counts of
 * voxels. A cross-section is measured only when it spans at least two
 * voxels each way (2 x 2 voxels, two samples across its diameter): a thinner
 * sleeve's layer count says how many voxels its partial volume lifted over
 * the half-maximum threshold, not its size, and one or two voxels more
 * double it. At 1 mm voxels the neighbouring sleeves' roots hold 6-9 voxels
 * even in the neck and chest; at 1.5 mm voxels a cervical or thoracic root
 * holds 2-3 (robustness variant grid:1.5, docs/detector-log.md s8grid3d),
 * and a normal sleeve with two voxels more passed for an expansion. With an
 * unresolved yardstick, the root is read over the first two layers (the
 * contact shell and the root layer, twice the samples; the partial-volume
 * rim in the shell is there in the neighbours' count too): the expansion
 * must double those as well. 1 when the root test can stand. */
#define ROOT_RESOLVED_VOXELS 4.0
static int resolved_root(const csf_extra *x, const csf_wedge_ref *ref)
{
    if (ref->root >= ROOT_RESOLVED_VOXELS)
        return 1;
    double own = (double)x->depth_voxels[0] + (double)x->depth_voxels[1];
    return own >= WEDGE_ROOT_RATIO * (ref->mouth + ref->root);
}

/* The bars against the neighbouring sleeves alone (csf_detect_wedge's
 * first three): more fluid, a root twice theirs, and not a strip of sac
 * CSF. */
static int over_neighbours(const csf_extra *x, const csf_wedge_ref *ref)
{
    double vol = x->volume_ml, root = (double)x->depth_voxels[1];
    if (!(ref->vol > 0) || !(ref->root > 0))
        return 0; /* no neighbours to compare with */
    if (vol < WEDGE_VOL_RATIO * ref->vol || !(vol > ref->vol + 3.0 * ref->vol_mad))
        return 0;
    if (root < WEDGE_ROOT_RATIO * ref->root || !resolved_root(x, ref))
        return 0;
    /* A normal sleeve leaves the sac through its lateral wall, outside the
     * sac's oval; a triangular expansion widens it there. A component that
     * holds more of the sac's own CSF (inside the oval through the cardinal
     * walls) than one root layer of the neighbouring sleeves has merged with
     * a strip of sac CSF left outside an oblique wall that stopped early (on
     * the dorsal roots of the cauda equina): its volume and its root then
     * measure that strip, not the sleeve (as for a wall that dips, sleeves.c). */
    return sac_csf_voxels(x) <= ref->root;
}

int csf_detect_wedge(const csf_extra *x, const csf_wedge_ref *ref, csf_finding *f)
{
    const size_t *b = x->depth_voxels;
    double root = (double)b[1];
    double vol = x->volume_ml;
    f->sleeve_ratio = ref->vol > 0 ? vol / ref->vol : NAN;
    if (!over_neighbours(x, ref))
        return 0;
    if (ref->contra_ml > 0 && vol < WEDGE_ASYM_RATIO * ref->contra_ml)
        return 0;
    if (ref->contra_root > 0 && root < WEDGE_ASYM_RATIO * ref->contra_root)
        return 0;
    if (root < WEDGE_MIN_TAPER * (double)b[0]) {
        csf_detect_set(f, CSF_FIND_IGNORED, 0, "sleeve with a strip of sac rim (root layer %.0f%% of the "
                       "wall layer, < %.0f%%): not an expansion", 100.0 * root / (double)b[0],
                       100.0 * WEDGE_MIN_TAPER);
        return -1;
    }
    /* A diverticulum is a rounded outpouching of the dura: its cross-section
     * grows away from its mouth (widest about a radius out), while a
     * triangular expansion is widest at the dura and narrows outward. A
     * long lumbar wedge, running obliquely, can keep its mouth's width over
     * two layers, so the dome needs a deeper layer strictly wider than the
     * mouth (at thoracic levels: also a mouth no wider than its root
     * plus the wall's rim, flat_mouth)
     * and a rounded body (DOME_MIN_AXES), both. At thoracic levels the
     * roots leave at about a right angle and cross the layers straight
     * (flat_mouth), so no expansion keeps its width away from the dura: a
     * deeper layer wider than the mouth is the dome itself, whatever the
     * axes of the whole component (a 3-4 mm diverticulum merged with its
     * sleeve is elongated: axis ratio 0.47, b34 case_0056 T11, case_0160
     * T2; of the 58 thoracic grade-1 wedges found in 280 dumped 3D cases of
     * b27-b34 none has a deeper layer
     * wider than its mouth, s5lumb). */
    double deeper = fmax(root, (double)b[2]);
    int wider = deeper > (double)b[0];
    int rounded = x->axes_mm[0] > 0 && x->axes_mm[2] >= DOME_MIN_AXES * x->axes_mm[0];
    if ((wider && ref->thoracic) || ((wider || flat_mouth(b, ref)) && rounded)) {
        if (wider)
            csf_detect_set(f, CSF_FIND_DIVERTICULUM, 0, "rounded outpouching at the sleeve origin "
                           "(widest %.0f voxel layer(s) out from the wall, axis ratio %.2f)",
                           deeper > root ? 2.0 : 1.0, x->axes_mm[2] / x->axes_mm[0]);
        else
            csf_detect_set(f, CSF_FIND_DIVERTICULUM, 0, "rounded outpouching at the sleeve origin "
                           "(its root layer %.0f%% of its mouth, not narrowing from the wall; axis ratio %.2f)",
                           100.0 * root / (double)b[0], x->axes_mm[2] / x->axes_mm[0]);
        return 2;
    }
    if (lumbar_dome(b, ref)) {
        csf_detect_set(f, CSF_FIND_DIVERTICULUM, 0, "rounded outpouching at the sleeve origin (two layers out "
                       "from the wall it still holds %.0f%% of its mouth: not narrowing; axis ratio %.2f)",
                       100.0 * (double)b[2] / (double)b[0], x->axes_mm[2] / x->axes_mm[0]);
        return 2;
    }
    csf_detect_set(f, CSF_FIND_LEAK, 1, "root sleeve expanded: %.1f x the neighbouring sleeves' volume, "
                   "its root %.1f x theirs", f->sleeve_ratio, root / ref->root);
    return 1;
}
