/*
 * superspace_native: flat C shim over CBLAS/LAPACKE for SuperSpace.Simd (see superspace_native.h).
 * Row-major operands are handed to CBLAS with CblasRowMajor (no copies); the row-major upper
 * triangle of a symmetric matrix is, read column-major, its lower triangle, so dpotrf runs with
 * uplo = 'L' on the caller's storage directly. LAPACKE *_work entry points are used throughout so
 * that nothing is allocated here: workspaces come from the caller.
 */
#include "superspace_native.h"

#include <cblas.h>
#include <lapacke.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#if defined(_MSC_VER)
#  define SS_THREAD_LOCAL __declspec(thread)
#else
#  define SS_THREAD_LOCAL _Thread_local
#endif

static SS_THREAD_LOCAL char ss_error[512];

static int32_t ss_fail(int32_t status, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(ss_error, sizeof ss_error, format, args);
    va_end(args);
    return status;
}

#define SS_REQUIRE(condition, ...) \
    do { if (!(condition)) { return ss_fail(-1, __VA_ARGS__); } } while (0)

/*
 * OpenBLAS's thread count is process-wide: a call that asks for a thread count sets it, runs, and restores
 * it, all under one lock, so two callers on different threads cannot change the count under each other's
 * feet (they are serialised instead; OpenBLAS parallelises each call itself). Calls with threads <= 0 use
 * whatever count is set and take no lock.
 */
typedef struct { int previous; int changed; int locked; } ss_threads;

#if defined(SS_HAVE_OPENBLAS_THREADS) && !defined(_WIN32)
#  include <pthread.h>
static pthread_mutex_t ss_threads_lock = PTHREAD_MUTEX_INITIALIZER;
#endif

static ss_threads ss_threads_enter(int32_t threads)
{
    ss_threads state = { 0, 0, 0 };
#if defined(SS_HAVE_OPENBLAS_THREADS)
    if (threads > 0) {
#  if !defined(_WIN32)
        pthread_mutex_lock(&ss_threads_lock);
        state.locked = 1;
#  endif
        state.previous = openblas_get_num_threads();
        if (state.previous != threads) {
            openblas_set_num_threads(threads);
            state.changed = 1;
        }
    }
#else
    (void)threads;
#endif
    return state;
}

static void ss_threads_leave(ss_threads state)
{
#if defined(SS_HAVE_OPENBLAS_THREADS)
    if (state.changed) {
        openblas_set_num_threads(state.previous);
    }
#  if !defined(_WIN32)
    if (state.locked) {
        pthread_mutex_unlock(&ss_threads_lock);
    }
#  endif
#else
    (void)state;
#endif
}

static int32_t ss_max(int32_t a, int32_t b) { return a > b ? a : b; }
static int32_t ss_min(int32_t a, int32_t b) { return a < b ? a : b; }

SS_API int32_t ss_abi_revision(void) { return SS_ABI_REVISION; }

SS_API const char *ss_last_error(void) { return ss_error; }

SS_API const char *ss_blas_info(void)
{
#if defined(SS_HAVE_OPENBLAS_CONFIG)
    return openblas_get_config();
#else
    return "CBLAS/LAPACKE (not OpenBLAS)";
#endif
}

SS_API int32_t ss_dgemm(int32_t trans_a, int32_t trans_b, int32_t m, int32_t n, int32_t k, double alpha,
                        const double *a, int32_t lda, const double *b, int32_t ldb,
                        double beta, double *c, int32_t ldc, int32_t threads)
{
    SS_REQUIRE(m >= 0 && n >= 0 && k >= 0, "ss_dgemm: negative size (m=%d, n=%d, k=%d)", m, n, k);
    SS_REQUIRE(lda >= ss_max(1, trans_a ? m : k), "ss_dgemm: lda=%d too small", lda);
    SS_REQUIRE(ldb >= ss_max(1, trans_b ? k : n), "ss_dgemm: ldb=%d too small", ldb);
    SS_REQUIRE(ldc >= ss_max(1, n), "ss_dgemm: ldc=%d too small", ldc);
    if (m == 0 || n == 0) {
        return 0;
    }

    ss_threads state = ss_threads_enter(threads);
    cblas_dgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans,
                m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    ss_threads_leave(state);
    return 0;
}

SS_API int32_t ss_dgram(int32_t m, int32_t n, const double *a, int32_t lda, double *c, int32_t ldc,
                        int32_t accumulate, const double *b, double *atb, int32_t threads)
{
    SS_REQUIRE(m >= 0 && n >= 0, "ss_dgram: negative size (m=%d, n=%d)", m, n);
    SS_REQUIRE(lda >= ss_max(1, n) && ldc >= ss_max(1, n), "ss_dgram: lda=%d or ldc=%d too small", lda, ldc);
    SS_REQUIRE(atb == NULL || b != NULL || m == 0, "ss_dgram: atb without b");
    if (n == 0) {
        return 0;
    }

    if (m == 0) {
        /* No rows: C and atb keep their sums or become zero (dgemv would return without touching atb). */
        if (!accumulate) {
            for (int32_t i = 0; i < n; i++) {
                memset(c + (size_t)i * ldc + i, 0, sizeof(double) * (size_t)(n - i));
            }
            if (atb != NULL) {
                memset(atb, 0, sizeof(double) * (size_t)n);
            }
        }
        return 0;
    }

    double beta = accumulate ? 1.0 : 0.0;
    ss_threads state = ss_threads_enter(threads);
    /* Row-major A (m×n) with CblasTrans: C(n×n) = AᵀA, upper triangle only. */
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, n, m, 1.0, a, lda, beta, c, ldc);
    if (atb != NULL) {
        cblas_dgemv(CblasRowMajor, CblasTrans, m, n, 1.0, a, lda, b, 1, beta, atb, 1);
    }
    ss_threads_leave(state);
    return 0;
}

SS_API int32_t ss_dpotrf(double *a, int32_t n, int32_t lda)
{
    SS_REQUIRE(n >= 0 && lda >= ss_max(1, n), "ss_dpotrf: n=%d, lda=%d", n, lda);
    if (n == 0) {
        return 0;
    }

    lapack_int info = LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'L', n, a, lda);
    if (info < 0) {
        return ss_fail(-2, "ss_dpotrf: LAPACK dpotrf rejected argument %d", (int)-info);
    }

    if (info == 0) {
        /* OpenBLAS's dpotrf tests ajj <= 0 only, so a NaN pivot passes; report it as reference LAPACK does. */
        for (int32_t k = 0; k < n; k++) {
            double d = a[(size_t)k * lda + k];
            if (!(d > 0)) {
                return k + 1;
            }
        }
    }

    return (int32_t)info;
}

SS_API int32_t ss_dpotrs(const double *u, int32_t n, int32_t lda, double *b, int32_t nrhs, int32_t ldb)
{
    SS_REQUIRE(n >= 0 && nrhs >= 0, "ss_dpotrs: negative size (n=%d, nrhs=%d)", n, nrhs);
    SS_REQUIRE(lda >= ss_max(1, n) && ldb >= ss_max(1, nrhs), "ss_dpotrs: lda=%d or ldb=%d too small", lda, ldb);
    if (n == 0 || nrhs == 0) {
        return 0;
    }

    if (nrhs == 1 && ldb == 1) {
        cblas_dtrsv(CblasRowMajor, CblasUpper, CblasTrans, CblasNonUnit, n, u, lda, b, 1);
        cblas_dtrsv(CblasRowMajor, CblasUpper, CblasNoTrans, CblasNonUnit, n, u, lda, b, 1);
    } else if (nrhs == 1) {
        cblas_dtrsv(CblasRowMajor, CblasUpper, CblasTrans, CblasNonUnit, n, u, lda, b, ldb);
        cblas_dtrsv(CblasRowMajor, CblasUpper, CblasNoTrans, CblasNonUnit, n, u, lda, b, ldb);
    } else {
        cblas_dtrsm(CblasRowMajor, CblasLeft, CblasUpper, CblasTrans, CblasNonUnit, n, nrhs, 1.0, u, lda, b, ldb);
        cblas_dtrsm(CblasRowMajor, CblasLeft, CblasUpper, CblasNoTrans, CblasNonUnit, n, nrhs, 1.0, u, lda, b, ldb);
    }

    return 0;
}

static int32_t ss_query(lapack_int info, double size, const char *what, int32_t *lwork)
{
    if (info != 0) {
        return ss_fail(-2, "%s workspace query failed (info %d)", what, (int)info);
    }

    int32_t s = (int32_t)size;
    if (s > *lwork) {
        *lwork = s;
    }

    return 0;
}

SS_API int32_t ss_dgeqp3_workspace(int32_t m, int32_t n, int32_t *lwork)
{
    SS_REQUIRE(m >= 0 && n >= 0 && lwork != NULL, "ss_dgeqp3_workspace: m=%d, n=%d", m, n);
    int32_t lda = ss_max(1, m);
    double size = 0;
    *lwork = ss_max(1, 3 * n + 1);
    int32_t status = ss_query(LAPACKE_dgeqp3_work(LAPACK_COL_MAJOR, m, n, NULL, lda, NULL, NULL, &size, -1), size, "dgeqp3", lwork);
    if (status == 0) {
        status = ss_query(LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, m, n, NULL, lda, NULL, &size, -1), size, "dgeqrf", lwork);
    }

    return status;
}

SS_API int32_t ss_dgeqp3(double *a, int32_t m, int32_t n, int32_t lda, int32_t *permutation, double *tau,
                         double *work, int32_t lwork, int32_t pivot)
{
    SS_REQUIRE(m >= 0 && n >= 0 && lda >= ss_max(1, m), "ss_dgeqp3: m=%d, n=%d, lda=%d", m, n, lda);
    int32_t needed = 0;
    int32_t status = ss_dgeqp3_workspace(m, n, &needed);
    if (status != 0) {
        return status;
    }

    SS_REQUIRE(lwork >= needed, "ss_dgeqp3: lwork=%d, needs %d", lwork, needed);
    if (m == 0 || n == 0) {
        /* Nothing to factor (LAPACK returns before touching jpvt): the identity permutation. */
        for (int32_t j = 0; j < n; j++) {
            permutation[j] = j;
        }
        return 0;
    }

    lapack_int info;
    if (pivot) {
        memset(permutation, 0, sizeof(int32_t) * (size_t)n); /* every column free */
        info = LAPACKE_dgeqp3_work(LAPACK_COL_MAJOR, m, n, a, lda, (lapack_int *)permutation, tau, work, lwork);
        for (int32_t j = 0; j < n; j++) {
            permutation[j] -= 1;
        }
    } else {
        info = m == 0 ? 0 : LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, m, n, a, lda, tau, work, lwork);
        for (int32_t j = 0; j < n; j++) {
            permutation[j] = j;
        }
    }

    if (info != 0) {
        return ss_fail(-2, "ss_dgeqp3: LAPACK returned info %d", (int)info);
    }

    return 0;
}

SS_API int32_t ss_dqrls_workspace(int32_t m, int32_t n, int32_t *lwork)
{
    SS_REQUIRE(m >= 0 && n >= 0 && lwork != NULL, "ss_dqrls_workspace: m=%d, n=%d", m, n);
    int32_t kmax = ss_min(m, n);
    int32_t extra = 1;
    double size = 0;
    int32_t status = 0;
    if (kmax > 0) {
        status = ss_query(LAPACKE_dormqr_work(LAPACK_COL_MAJOR, 'L', 'T', m, 1, kmax, NULL, m, NULL, NULL, m, &size, -1),
                          size, "dormqr", &extra);
        if (status == 0) {
            status = ss_query(LAPACKE_dtzrzf_work(LAPACK_COL_MAJOR, kmax, n, NULL, kmax, NULL, &size, -1), size, "dtzrzf", &extra);
        }
        if (status == 0) {
            status = ss_query(LAPACKE_dormrz_work(LAPACK_COL_MAJOR, 'L', 'T', n, 1, kmax, n - kmax, NULL, kmax, NULL, NULL, n, &size, -1),
                              size, "dormrz", &extra);
        }
    }

    /* [R11 R12] copy (kmax×n), the RZ scalars (kmax), then LAPACK's own workspace. */
    *lwork = kmax * n + kmax + extra;
    return status;
}

SS_API int32_t ss_dqrls(const double *qr, int32_t m, int32_t n, int32_t lda, const double *tau, int32_t rank,
                        double *b, double *z, double *work, int32_t lwork)
{
    int32_t kmax = ss_min(m, n);
    SS_REQUIRE(m >= 0 && n >= 0 && lda >= ss_max(1, m), "ss_dqrls: m=%d, n=%d, lda=%d", m, n, lda);
    SS_REQUIRE(rank >= 0 && rank <= kmax, "ss_dqrls: rank=%d outside [0, %d]", rank, kmax);
    int32_t needed = 0;
    int32_t status = ss_dqrls_workspace(m, n, &needed);
    if (status != 0) {
        return status;
    }

    SS_REQUIRE(lwork >= needed, "ss_dqrls: lwork=%d, needs %d", lwork, needed);
    if (n == 0) {
        return 0;
    }

    double *lapack_work = work + (size_t)kmax * n + kmax;
    int32_t lapack_lwork = lwork - kmax * n - kmax;
    if (kmax > 0) {
        lapack_int info = LAPACKE_dormqr_work(LAPACK_COL_MAJOR, 'L', 'T', m, 1, kmax, qr, lda, tau, b, ss_max(1, m),
                                              lapack_work, lapack_lwork);
        if (info != 0) {
            return ss_fail(-2, "ss_dqrls: dormqr returned info %d", (int)info);
        }
    }

    for (int32_t j = 0; j < n; j++) {
        z[j] = j < rank ? b[j] : 0.0;
    }

    if (rank == 0) {
        return 0;
    }

    if (rank == n) {
        cblas_dtrsv(CblasColMajor, CblasUpper, CblasNoTrans, CblasNonUnit, n, qr, lda, z, 1);
        return 0;
    }

    /* Copy [R11 R12] (rank×n, column-major, ld = rank) and reduce it to [T 0]·Z. */
    double *t = work;
    double *tau_z = work + (size_t)kmax * n;
    for (int32_t j = 0; j < n; j++) {
        for (int32_t i = 0; i < rank; i++) {
            t[(size_t)j * rank + i] = i <= j ? qr[(size_t)j * lda + i] : 0.0;
        }
    }

    lapack_int info = LAPACKE_dtzrzf_work(LAPACK_COL_MAJOR, rank, n, t, rank, tau_z, lapack_work, lapack_lwork);
    if (info != 0) {
        return ss_fail(-2, "ss_dqrls: dtzrzf returned info %d", (int)info);
    }

    cblas_dtrsv(CblasColMajor, CblasUpper, CblasNoTrans, CblasNonUnit, rank, t, rank, z, 1);
    info = LAPACKE_dormrz_work(LAPACK_COL_MAJOR, 'L', 'T', n, 1, rank, n - rank, t, rank, tau_z, z, n,
                               lapack_work, lapack_lwork);
    if (info != 0) {
        return ss_fail(-2, "ss_dqrls: dormrz returned info %d", (int)info);
    }

    return 0;
}
