// Register-tiled products of F16/BF16 weight rows with f32 activation rows, for prompt processing
// (see `smol_ck_gemm_f16` in include/ckernels.h). Weights are widened in registers as they are
// loaded, so nothing is written back: the widen-to-scratch-then-sgemm route it replaces spent about
// half its time widening and packing. A tile of RM weight rows × RN activation rows keeps RM·RN
// vector accumulators in registers; each step loads RM weight vectors and RN activation vectors for
// RM·RN fused multiply-adds. The reduction dimension is cut into slices whose activations stay in
// L2 while the tile's weights stay in L1.
#include "ckernels.h"
#include <string.h>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

#define INLINE static inline __attribute__((always_inline))
/// Columns per slice: 64 activation rows × 2048 f32 = 512 KB, inside L2.
#define SLICE 2048

enum { F16 = 0, BF16 = 1 };

int smol_ck_has_avx512(void) {
    static int cached = -1;
    if (cached < 0) cached = smol_ck_has_avx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                             __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
    return cached;
}

// ------------------------------------------------------------------------------------------------
// AVX-512: 16 lanes, tiles of 6 weight rows × 4 activation rows (24 accumulators of 32 registers).

#define A512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma,f16c")))

A512 INLINE __m512 widen16(int kind, const uint8_t *p) {
    const __m256i h = _mm256_loadu_si256((const __m256i *)p);
    if (kind == F16) return _mm512_cvtph_ps(h);
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
}

/// y[t·ldy + r] (+)= Σ_{k<n} w_r[k]·x_t[k] for RM rows and RN activation rows; `add` accumulates.
A512 INLINE void tile512(int kind, int RM, int RN, const uint8_t *w, long wstride, const float *x, long xstride, int n,
                         float *y, long ldy, int add) {
    __m512 acc[6][4];
    for (int i = 0; i < RM; ++i)
        for (int j = 0; j < RN; ++j) acc[i][j] = _mm512_setzero_ps();
    for (int k = 0; k < n; k += 16) {
        __m512 wv[6];
        for (int i = 0; i < RM; ++i) wv[i] = widen16(kind, w + i * wstride + 2 * k);
        for (int j = 0; j < RN; ++j) {
            const __m512 xv = _mm512_loadu_ps(x + j * xstride + k);
            for (int i = 0; i < RM; ++i) acc[i][j] = _mm512_fmadd_ps(wv[i], xv, acc[i][j]);
        }
    }
    for (int i = 0; i < RM; ++i)
        for (int j = 0; j < RN; ++j) {
            const float s = _mm512_reduce_add_ps(acc[i][j]);
            y[j * ldy + i] = add ? y[j * ldy + i] + s : s;
        }
}

A512 static void gemm512(int kind, const uint8_t *w, long wstride, int rows, const float *x, long xstride, int tokens,
                         int cols, float *y, long ldy) {
    for (int k0 = 0; k0 < cols; k0 += SLICE) {
        const int n = cols - k0 < SLICE ? cols - k0 : SLICE, add = k0 > 0;
        const uint8_t *wk = w + 2 * (long)k0;
        const float *xk = x + k0;
        int r = 0;
        for (; r + 6 <= rows; r += 6) {
            int t = 0;
            for (; t + 4 <= tokens; t += 4) tile512(kind, 6, 4, wk + r * wstride, wstride, xk + t * xstride, xstride, n, y + t * ldy + r, ldy, add);
            for (; t < tokens; ++t) tile512(kind, 6, 1, wk + r * wstride, wstride, xk + t * xstride, xstride, n, y + t * ldy + r, ldy, add);
        }
        for (; r < rows; ++r) {
            int t = 0;
            for (; t + 4 <= tokens; t += 4) tile512(kind, 1, 4, wk + r * wstride, wstride, xk + t * xstride, xstride, n, y + t * ldy + r, ldy, add);
            for (; t < tokens; ++t) tile512(kind, 1, 1, wk + r * wstride, wstride, xk + t * xstride, xstride, n, y + t * ldy + r, ldy, add);
        }
    }
}

// ------------------------------------------------------------------------------------------------
// AVX2: 8 lanes, tiles of 3 weight rows × 4 activation rows (12 accumulators of 16 registers).

#define A256 __attribute__((target("avx2,fma,f16c")))

A256 INLINE __m256 widen8(int kind, const uint8_t *p) {
    const __m128i h = _mm_loadu_si128((const __m128i *)p);
    if (kind == F16) return _mm256_cvtph_ps(h);
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
}

A256 INLINE float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

A256 INLINE void tile256(int kind, int RM, int RN, const uint8_t *w, long wstride, const float *x, long xstride, int n,
                         float *y, long ldy, int add) {
    __m256 acc[3][4];
    for (int i = 0; i < RM; ++i)
        for (int j = 0; j < RN; ++j) acc[i][j] = _mm256_setzero_ps();
    for (int k = 0; k < n; k += 8) {
        __m256 wv[3];
        for (int i = 0; i < RM; ++i) wv[i] = widen8(kind, w + i * wstride + 2 * k);
        for (int j = 0; j < RN; ++j) {
            const __m256 xv = _mm256_loadu_ps(x + j * xstride + k);
            for (int i = 0; i < RM; ++i) acc[i][j] = _mm256_fmadd_ps(wv[i], xv, acc[i][j]);
        }
    }
    for (int i = 0; i < RM; ++i)
        for (int j = 0; j < RN; ++j) {
            const float s = hsum8(acc[i][j]);
            y[j * ldy + i] = add ? y[j * ldy + i] + s : s;
        }
}

A256 static void gemm256(int kind, const uint8_t *w, long wstride, int rows, const float *x, long xstride, int tokens,
                         int cols, float *y, long ldy) {
    for (int k0 = 0; k0 < cols; k0 += SLICE) {
        const int n = cols - k0 < SLICE ? cols - k0 : SLICE, add = k0 > 0;
        const uint8_t *wk = w + 2 * (long)k0;
        const float *xk = x + k0;
        int r = 0;
        for (; r + 3 <= rows; r += 3) {
            int t = 0;
            for (; t + 4 <= tokens; t += 4) tile256(kind, 3, 4, wk + r * wstride, wstride, xk + t * xstride, xstride, n, y + t * ldy + r, ldy, add);
            for (; t < tokens; ++t) tile256(kind, 3, 1, wk + r * wstride, wstride, xk + t * xstride, xstride, n, y + t * ldy + r, ldy, add);
        }
        for (; r < rows; ++r) {
            int t = 0;
            for (; t + 4 <= tokens; t += 4) tile256(kind, 1, 4, wk + r * wstride, wstride, xk + t * xstride, xstride, n, y + t * ldy + r, ldy, add);
            for (; t < tokens; ++t) tile256(kind, 1, 1, wk + r * wstride, wstride, xk + t * xstride, xstride, n, y + t * ldy + r, ldy, add);
        }
    }
}

// ------------------------------------------------------------------------------------------------

static void gemm(int kind, const void *w, long wstride, int rows, const float *x, long xstride, int tokens, int cols,
                 float *y, long ldy) {
    if (smol_ck_has_avx512()) gemm512(kind, (const uint8_t *)w, wstride, rows, x, xstride, tokens, cols, y, ldy);
    else gemm256(kind, (const uint8_t *)w, wstride, rows, x, xstride, tokens, cols, y, ldy);
}

void smol_ck_gemm_f16(const void *w, long wstride, int rows, const float *x, long xstride, int tokens, int cols,
                      float *y, long ldy) {
    gemm(F16, w, wstride, rows, x, xstride, tokens, cols, y, ldy);
}

void smol_ck_gemm_bf16(const void *w, long wstride, int rows, const float *x, long xstride, int tokens, int cols,
                       float *y, long ldy) {
    gemm(BF16, w, wstride, rows, x, xstride, tokens, cols, y, ldy);
}

#else  // not x86-64: never called (smol_ck_has_avx2() is 0)

int smol_ck_has_avx512(void) { return 0; }
void smol_ck_gemm_f16(const void *w, long wstride, int rows, const float *x, long xstride, int tokens, int cols,
                      float *y, long ldy) {
    (void)w; (void)wstride; (void)rows; (void)x; (void)xstride; (void)tokens; (void)cols; (void)y; (void)ldy;
}
void smol_ck_gemm_bf16(const void *w, long wstride, int rows, const float *x, long xstride, int tokens, int cols,
                       float *y, long ldy) {
    (void)w; (void)wstride; (void)rows; (void)x; (void)xstride; (void)tokens; (void)cols; (void)y; (void)ldy;
}
#endif
