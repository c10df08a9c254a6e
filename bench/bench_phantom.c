/* Generation time of phantoms: whole-spine 3D at 1 mm, and the 2D protocol.
 * Usage: bench_phantom [threads] (default 2). Prints one line per case. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "csfleak/exec.h"
#include "csfleak/phantom.h"
#include "csfleak/volume.h"
#include "bench_clock.h"

static int run(const char *name, const csf_phantom_spec *spec, const csf_exec *ex, int reps)
{
    double best = 1e9, cpu = 1e9;
    size_t nvox = 0;
    for (int r = 0; r < reps; r++) {
        csf_error err = {0};
        double t0 = now_s();
        clock_t c0 = clock();
        csf_phantom *ph = NULL;
        csf_volume *img = NULL;
        if (csf_phantom_new(spec, &ph, &err) != CSF_OK ||
            csf_phantom_render(ph, 0, &img, NULL, ex, &err) != CSF_OK) {
            fprintf(stderr, "bench_phantom: %s\n", err.msg);
            csf_phantom_free(ph);
            return 1;
        }
        double t = now_s() - t0;
        best = t < best ? t : best;
        double ct = (double)(clock() - c0) / CLOCKS_PER_SEC;
        cpu = ct < cpu ? ct : cpu;
        nvox = csf_volume_nvox(img);
        csf_volume_free(img);
        csf_phantom_free(ph);
    }
    /* CPU time too: on a shared machine the wall time depends on the neighbours */
    printf("phantom %-28s %5.1f Mvox  wall %.3f s  cpu %.3f s (best of %d, %d threads)\n", name,
           (double)nvox / 1e6, best, cpu, reps, csf_exec_threads(ex));
    return 0;
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 2;
    csf_exec *ex = NULL;
    csf_error err = {0};
    if (csf_exec_new(threads, &ex, &err) != CSF_OK)
        return 1;
    csf_phantom_spec s;
    csf_phantom_spec_init(&s, 7);
    s.nleaks = 2;
    s.leaks[0] = (csf_phantom_leak){12, CSF_PH_LEFT, 3};
    s.leaks[1] = (csf_phantom_leak){22, CSF_PH_RIGHT, 2};
    s.ncysts = 1;
    s.cysts[0] = (csf_phantom_cyst){24, CSF_PH_RIGHT, 12};
    int rc = run("3d whole spine 1 mm RAS", &s, ex, 3);
    s.protocol = CSF_PH_2D;
    rc |= run("2d whole spine 0.53 mm slab", &s, ex, 3);
    csf_exec_free(ex);
    return rc;
}
