// Register-tiled products of F16/BF16 weight rows with f32 activation rows, for prompt processing
// (see `smol_ck_gemm_f16` in include/ckernels.h). They replace widening weight tiles to scratch
// for sgemm, which spent about half its time widening and packing. AVX-512 packs weights into a
// transposed f32 panel once for all tokens; AVX2 widens them in registers inside small dot-product
// tiles whose activations stay in L2 while the tile's weights stay in L1.
#include "simd.h"

#if defined(__x86_64__) || defined(_M_X64)

/// Columns per slice of the AVX2 kernel: 64 activation rows × 2048 f32 = 512 KB, inside L2.
#define SLICE 2048

enum { F16 = 0, BF16 = 1 };

// ------------------------------------------------------------------------------------------------
// AVX-512: weights are widened and transposed into a panel of 32 rows × KC columns, k-major (each
// column is two 16-lane vectors), so a tile of 32 rows × 12 activation rows is 24 accumulators fed
// by two panel loads and twelve broadcast activations per column: no horizontal sums, and each
// weight is widened once for all the prompt's tokens. (Measured, 3B F16 prompt products, 2
// threads: ~200 GFLOP/s with dot-product tiles that widened weights per 4 tokens.)

#define PANEL 32
#define KC 256
#define TILE_TOKENS 12

A512BW INLINE __m512 widen16(int kind, const uint8_t *p) {
    const __m256i h = _mm256_loadu_si256((const __m256i *)p);
    if (kind == F16) return _mm512_cvtph_ps(h);
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
}

/// out[k][i] = a[i][k] for a 16 × 16 block of floats.
A512BW INLINE void transpose16(__m512 a[16]) {
    __m512 t[16], u[16];
    for (int i = 0; i < 8; ++i) {
        t[2 * i] = _mm512_unpacklo_ps(a[2 * i], a[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(a[2 * i], a[2 * i + 1]);
    }
    for (int i = 0; i < 4; ++i) {
        u[4 * i + 0] = _mm512_shuffle_ps(t[4 * i + 0], t[4 * i + 2], 0x44);
        u[4 * i + 1] = _mm512_shuffle_ps(t[4 * i + 0], t[4 * i + 2], 0xEE);
        u[4 * i + 2] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0x44);
        u[4 * i + 3] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0xEE);
    }
    // u[4i + m], 128-bit lane L, holds rows 4i…4i+3 at column 4L + m.
    for (int m = 0; m < 4; ++m) {
        const __m512 v1 = _mm512_shuffle_f32x4(u[m], u[4 + m], 0x88), v2 = _mm512_shuffle_f32x4(u[8 + m], u[12 + m], 0x88);
        const __m512 w1 = _mm512_shuffle_f32x4(u[m], u[4 + m], 0xDD), w2 = _mm512_shuffle_f32x4(u[8 + m], u[12 + m], 0xDD);
        a[m] = _mm512_shuffle_f32x4(v1, v2, 0x88);
        a[4 + m] = _mm512_shuffle_f32x4(w1, w2, 0x88);
        a[8 + m] = _mm512_shuffle_f32x4(v1, v2, 0xDD);
        a[12 + m] = _mm512_shuffle_f32x4(w1, w2, 0xDD);
    }
}

/// Widens rows `w[0 ..< rows]` (rows ≤ PANEL; missing rows read as zero), columns `0 ..< n`, into
/// `panel[k · PANEL + i]`.
A512BW static void pack_panel(int kind, const uint8_t *w, long wstride, int rows, int n, float *panel) {
    for (int g = 0; g < PANEL; g += 16)
        for (int k = 0; k < n; k += 16) {
            __m512 a[16];
            for (int i = 0; i < 16; ++i) a[i] = g + i < rows ? widen16(kind, w + (g + i) * wstride + 2 * k) : _mm512_setzero_ps();
            transpose16(a);
            for (int j = 0; j < 16; ++j) _mm512_store_ps(panel + (k + j) * PANEL + g, a[j]);
        }
}

/// y[t·ldy + i] (+)= Σ_k panel[k][i]·x_t[k] for the panel's rows (`mask` selects the valid ones)
/// and NT activation rows. With `next`, step k also prefetches line k of the next panel's weights
/// (PANEL rows × KC columns = 8 lines of each of 32 rows, `wstride` apart).
A512BW INLINE void panel_tile(int NT, const float *panel, int n, const float *x, long xstride, float *y, long ldy,
                            __mmask16 mask0, __mmask16 mask1, int add, const uint8_t *next, long wstride) {
    __m512 acc[TILE_TOKENS][2];
    for (int j = 0; j < NT; ++j) {
        acc[j][0] = add ? _mm512_maskz_loadu_ps(mask0, y + j * ldy) : _mm512_setzero_ps();
        acc[j][1] = add ? _mm512_maskz_loadu_ps(mask1, y + j * ldy + 16) : _mm512_setzero_ps();
    }
    for (int k = 0; k < n; ++k) {
        if (next) smol_ck_prefetch(next + (k >> 3) * wstride + 64 * (k & 7));
        const __m512 w0 = _mm512_load_ps(panel + k * PANEL), w1 = _mm512_load_ps(panel + k * PANEL + 16);
        for (int j = 0; j < NT; ++j) {
            const __m512 xv = _mm512_set1_ps(x[j * xstride + k]);
            acc[j][0] = _mm512_fmadd_ps(w0, xv, acc[j][0]);
            acc[j][1] = _mm512_fmadd_ps(w1, xv, acc[j][1]);
        }
    }
    for (int j = 0; j < NT; ++j) {
        _mm512_mask_storeu_ps(y + j * ldy, mask0, acc[j][0]);
        _mm512_mask_storeu_ps(y + j * ldy + 16, mask1, acc[j][1]);
    }
}

A512BW static void gemm512(int kind, const uint8_t *w, long wstride, int rows, const float *x, long xstride, int tokens,
                         int cols, float *y, long ldy) {
    static _Thread_local float panel[KC * PANEL] __attribute__((aligned(64)));
    for (int r = 0; r < rows; r += PANEL) {
        const int nr = rows - r < PANEL ? rows - r : PANEL;
        const __mmask16 mask0 = nr >= 16 ? 0xFFFF : (__mmask16)((1u << nr) - 1);
        const __mmask16 mask1 = nr >= 32 ? 0xFFFF : nr <= 16 ? 0 : (__mmask16)((1u << (nr - 16)) - 1);
        for (int k0 = 0; k0 < cols; k0 += KC) {
            const int n = cols - k0 < KC ? cols - k0 : KC, add = k0 > 0;
            pack_panel(kind, w + r * wstride + 2 * (long)k0, wstride, nr, n, panel);
            // The first tile over this panel fetches the next one, so packing it does not wait on
            // memory (measured, 3B, 2 threads: BF16 pp64 37.6 → 40-42 tok/s, pp9 20.8 → 21.8; F16
            // pp64 37.8 → 40.1).
            const uint8_t *next = k0 + KC < cols ? w + r * wstride + 2 * (long)(k0 + KC)
                                  : r + PANEL < rows ? w + (r + PANEL) * wstride : NULL;
            int t = 0;
            for (; t + TILE_TOKENS <= tokens; t += TILE_TOKENS, next = NULL)
                panel_tile(TILE_TOKENS, panel, n, x + t * xstride + k0, xstride, y + t * ldy + r, ldy, mask0, mask1, add, next, wstride);
            const float *xt = x + t * xstride + k0;
            float *yt = y + t * ldy + r;
            switch (tokens - t) {
#define REST(c) case c: panel_tile(c, panel, n, xt, xstride, yt, ldy, mask0, mask1, add, next, wstride); break;
            REST(1) REST(2) REST(3) REST(4) REST(5) REST(6) REST(7) REST(8) REST(9) REST(10) REST(11)
#undef REST
            default: break;
            }
        }
    }
}

// ------------------------------------------------------------------------------------------------
// AVX2: 8 lanes, tiles of 3 weight rows × 4 activation rows (12 accumulators of 16 registers).

AVX2 INLINE __m256 widen8(int kind, const uint8_t *p) {
    const __m128i h = _mm_loadu_si128((const __m128i *)p);
    if (kind == F16) return _mm256_cvtph_ps(h);
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
}

AVX2 INLINE void tile256(int kind, int RM, int RN, const uint8_t *w, long wstride, const float *x, long xstride, int n,
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
            const float s = hsum_float_8(acc[i][j]);
            y[j * ldy + i] = add ? y[j * ldy + i] + s : s;
        }
}

AVX2 static void gemm256(int kind, const uint8_t *w, long wstride, int rows, const float *x, long xstride, int tokens,
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

void smol_ck_gemm_f16(const void *w, long wstride, int rows, const float *x, long xstride, int tokens, int cols,
                      float *y, long ldy) {
    (void)w; (void)wstride; (void)rows; (void)x; (void)xstride; (void)tokens; (void)cols; (void)y; (void)ldy;
}
void smol_ck_gemm_bf16(const void *w, long wstride, int rows, const float *x, long xstride, int tokens, int cols,
                       float *y, long ldy) {
    (void)w; (void)wstride; (void)rows; (void)x; (void)xstride; (void)tokens; (void)cols; (void)y; (void)ldy;
}
#endif
