/*
 * superspace_native: the native linear-algebra backend of SuperSpace.Simd, a flat C ABI over
 * CBLAS and LAPACKE. Every function returns an int32_t status:
 *     0   success
 *    > 0  a numerical outcome (e.g. the 1-based failing pivot of a Cholesky factorisation)
 *    < 0  a usage error or a failure inside the library; ss_last_error() then describes it
 * No C++ exception or longjmp crosses this boundary. Matrices follow the managed conventions:
 * row-major with leading dimensions, except the QR functions, which are column-major (LAPACK's
 * own layout) exactly like the managed PivotedQr.
 */
#ifndef SUPERSPACE_NATIVE_H
#define SUPERSPACE_NATIVE_H

#include <stdint.h>

#if defined(_WIN32)
#  if defined(SS_BUILDING_LIBRARY)
#    define SS_API __declspec(dllexport)
#  else
#    define SS_API __declspec(dllimport)
#  endif
#else
#  define SS_API __attribute__((visibility("default")))
#endif

/* Bumped on any change of a signature or of semantics; the managed side refuses other revisions. */
#define SS_ABI_REVISION 1

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI revision this library implements (SS_ABI_REVISION). */
SS_API int32_t ss_abi_revision(void);

/* The calling thread's last error message ("" when none); valid until the thread's next failing call. */
SS_API const char *ss_last_error(void);

/* A description of the BLAS in use (OpenBLAS's configuration string when available). */
SS_API const char *ss_blas_info(void);

/* C(m×n) = alpha·op(A)·op(B) + beta·C, row-major (cblas_dgemm). threads > 0 sets OpenBLAS's thread count first. */
SS_API int32_t ss_dgemm(int32_t trans_a, int32_t trans_b, int32_t m, int32_t n, int32_t k, double alpha,
                        const double *a, int32_t lda, const double *b, int32_t ldb,
                        double beta, double *c, int32_t ldc, int32_t threads);

/* Upper triangle of C(n×n) (+)= AᵀA (dsyrk) and, when atb is not NULL, atb (+)= Aᵀb (dgemv), A m×n row-major. */
SS_API int32_t ss_dgram(int32_t m, int32_t n, const double *a, int32_t lda, double *c, int32_t ldc,
                        int32_t accumulate, const double *b, double *atb, int32_t threads);

/* A = UᵀU in place on the row-major upper triangle (dpotrf). Returns 0 or the 1-based failing pivot. */
SS_API int32_t ss_dpotrf(double *a, int32_t n, int32_t lda);

/* (UᵀU)·X = B in place, B n×nrhs row-major (two dtrsm; the dpotrs algorithm without a layout copy). */
SS_API int32_t ss_dpotrs(const double *u, int32_t n, int32_t lda, double *b, int32_t nrhs, int32_t ldb);

/* Workspace (doubles) ss_dgeqp3 needs for an m×n problem, written to *lwork. */
SS_API int32_t ss_dgeqp3_workspace(int32_t m, int32_t n, int32_t *lwork);

/* Column-major A·P = Q·R (dgeqp3, or dgeqrf when pivot = 0). permutation[j] = 0-based original column. */
SS_API int32_t ss_dgeqp3(double *a, int32_t m, int32_t n, int32_t lda, int32_t *permutation, double *tau,
                         double *work, int32_t lwork, int32_t pivot);

/* Workspace (doubles) ss_dqrls needs, written to *lwork. */
SS_API int32_t ss_dqrls_workspace(int32_t m, int32_t n, int32_t *lwork);

/*
 * Least squares after ss_dgeqp3 with numerical rank `rank` (the steps of dgelsy): b(m) := Qᵀb (dormqr);
 * rank = n: z = R⁻¹·b[0:n] (dtrsv); rank < n: the RZ factorisation of a copy of [R11 R12] (dtzrzf),
 * T⁻¹·b[0:rank] and Zᵀ (dormrz) give the minimum-norm z. z (n) is in pivoted order; qr is not modified.
 */
SS_API int32_t ss_dqrls(const double *qr, int32_t m, int32_t n, int32_t lda, const double *tau, int32_t rank,
                        double *b, double *z, double *work, int32_t lwork);

#ifdef __cplusplus
}
#endif

#endif
