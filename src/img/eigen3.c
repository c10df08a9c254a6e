#include <math.h>

#include "csfleak/img_stats.h"

/* One Jacobi rotation annihilating A[p][q]; V accumulates the rotations. */
static void rotate(double A[3][3], double V[3][3], int p, int q)
{
    double theta = (A[q][q] - A[p][p]) / (2 * A[p][q]);
    /* the smaller root keeps the rotation angle <= pi/4: stable convergence */
    double t = (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1));
    double c = 1 / sqrt(t * t + 1), s = t * c;
    for (int k = 0; k < 3; k++) { /* A <- A J */
        double akp = A[k][p], akq = A[k][q];
        A[k][p] = c * akp - s * akq;
        A[k][q] = s * akp + c * akq;
    }
    for (int k = 0; k < 3; k++) { /* A <- J^T A */
        double apk = A[p][k], aqk = A[q][k];
        A[p][k] = c * apk - s * aqk;
        A[q][k] = s * apk + c * aqk;
    }
    for (int k = 0; k < 3; k++) {
        double vkp = V[k][p], vkq = V[k][q];
        V[k][p] = c * vkp - s * vkq;
        V[k][q] = s * vkp + c * vkq;
    }
}

void csf_img_sym3_eigen(const double a[9], double w[3], double v[9])
{
    double A[3][3], V[3][3];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            A[i][j] = a[3 * i + j];
            V[i][j] = i == j;
        }
    for (int sweep = 0; sweep < 50; sweep++) {
        if (fabs(A[0][1]) + fabs(A[0][2]) + fabs(A[1][2]) == 0.0)
            break;
        for (int p = 0; p < 2; p++)
            for (int q = p + 1; q < 3; q++)
                if (A[p][q] != 0.0)
                    rotate(A, V, p, q);
    }
    int order[3] = {0, 1, 2};
    for (int i = 0; i < 3; i++) /* descending; a strict comparison keeps ties in index order */
        for (int j = i + 1; j < 3; j++)
            if (A[order[j]][order[j]] > A[order[i]][order[i]]) {
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
    for (int k = 0; k < 3; k++) {
        w[k] = A[order[k]][order[k]];
        for (int r = 0; r < 3; r++)
            v[3 * r + k] = V[r][order[k]];
    }
}
