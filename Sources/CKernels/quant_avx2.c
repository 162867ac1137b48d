// AVX2 inner kernels for the quantized dot products (see include/ckernels.h). Each computes the
// sums of the Swift kernel of the same name in SmolCore/Codecs in the same order, so the two agree
// bit for bit: every block's integer dot (eight int32 lanes of four consecutive bytes, then summed)
// is exact, and is scaled into one f32 per token with one FMA per block — the order the AVX-512
// prompt tiles can afford with sixteen tokens across their lanes (ggml keeps eight f32 lanes per
// dot instead). Compiled with function-level target attributes and chosen at run time, so the
// binary still runs on CPUs without AVX2.
#include "simd.h"

#if defined(__x86_64__) || defined(_M_X64)

// ---------------------------------------------------------------------------------------------
// Q8_0 × Q8_0: 34-byte blocks, d:f16 then 32 int8: `acc = fma(d_w·d_a, dot, acc)` per block.

AVX2 INLINE void q8_0_rows(const uint8_t *w, const uint8_t *a, long astride, int nt, int blocks, float *out) {
    float acc[4] = {0, 0, 0, 0};
    const __m256i ones = _mm256_set1_epi16(1);
    for (int b = 0; b < blocks; ++b) {
        const uint8_t *wb = w + (long)b * Q8_0_BYTES;
        smol_ck_prefetch(wb + SMOL_CK_PREFETCH_BYTES);
        const float dw = half_to_float(wb);
        const __m256i qx = _mm256_loadu_si256((const __m256i *)(wb + 2));
        const __m256i ax = _mm256_sign_epi8(qx, qx);
        for (int t = 0; t < nt; ++t) {
            const uint8_t *ab = a + t * astride + (long)b * Q8_0_BYTES;
            const __m256i qy = _mm256_loadu_si256((const __m256i *)(ab + 2));
            const __m256i sy = _mm256_sign_epi8(qy, qx);
            const int dot = hsum_i32_8(_mm256_madd_epi16(_mm256_maddubs_epi16(ax, sy), ones));
            acc[t] = fma_f32(dw * half_to_float(ab), (float)dot, acc[t]);
        }
    }
    for (int t = 0; t < nt; ++t) out[t] = acc[t];
}

/// Four rows × one token (decode) of a 32-weight block type: the four integer dots of a block
/// reduced together (`vphaddd`) and scaled as one vector, so the per-block reduction costs about a
/// quarter of a row's. Each row prefetches the same block of the row four further on, the one the
/// next call reads: four streams a whole group ahead keep more lines in flight than one stream 4 KB
/// ahead (measured, 3B Q8_0 decode on 2 threads: 7.3 tok/s one row at a time, 5.9 with four rows
/// 4 KB ahead, 6.1 with 1 KB, 6.1 two rows ahead, 8.1 four rows ahead, 7.9 eight).
AVX2 INLINE void block32_four_rows(int kind, const uint8_t *w, long wstride, const uint8_t *a, int blocks, float *out) {
    __m128 acc = _mm_setzero_ps(), mins = _mm_setzero_ps();
    const __m256i ones = _mm256_set1_epi16(1);
    const int withMin = kind >= B32_Q4_1, actBytes = withMin ? Q8_1_BYTES : Q8_0_BYTES;
    for (int b = 0; b < blocks; ++b) {
        const uint8_t *ab = a + (long)b * actBytes;
        const __m256i qy = _mm256_loadu_si256((const __m256i *)(ab + (withMin ? 4 : 2)));
        __m256i dots[4];
        uint64_t dw = 0, mw = 0;  // the four rows' f16 scales and mins, gathered in general registers
        for (int i = 0; i < 4; ++i) {
            const uint8_t *wb = w + i * wstride + (long)b * block32_bytes[kind];
            smol_ck_prefetch(wb + 4 * wstride);
            uint16_t d, m;
            memcpy(&d, wb, 2);
            dw |= (uint64_t)d << (16 * i);
            if (withMin) {
                memcpy(&m, wb + 2, 2);
                mw |= (uint64_t)m << (16 * i);
            }
            const __m256i qx = block32_codes(kind, wb);
            dots[i] = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_sign_epi8(qx, qx), _mm256_sign_epi8(qy, qx)), ones);
        }
        const __m256i pairs = _mm256_hadd_epi32(_mm256_hadd_epi32(dots[0], dots[1]), _mm256_hadd_epi32(dots[2], dots[3]));
        const __m128i sums = _mm_add_epi32(_mm256_castsi256_si128(pairs), _mm256_extracti128_si256(pairs, 1));
        const __m128 scale = _mm_mul_ps(_mm_cvtph_ps(_mm_cvtsi64_si128((long long)dw)), _mm_set1_ps(half_to_float(ab)));
        acc = _mm_fmadd_ps(scale, _mm_cvtepi32_ps(sums), acc);
        if (withMin)
            mins = _mm_add_ps(mins, _mm_mul_ps(_mm_cvtph_ps(_mm_cvtsi64_si128((long long)mw)), _mm_set1_ps(half_to_float(ab + 2))));
    }
    _mm_storeu_ps(out, withMin ? _mm_add_ps(acc, mins) : acc);
}

#define BLOCK32_FOUR_ROWS(name, kind)                                                              \
    AVX2 INLINE void name##_four_rows(const uint8_t *w, long wstride, const uint8_t *a, int blocks, float *out) { \
        block32_four_rows(kind, w, wstride, a, blocks, out);                                       \
    }

BLOCK32_FOUR_ROWS(q8_0, B32_Q8_0)
BLOCK32_FOUR_ROWS(q4_0, B32_Q4_0)
BLOCK32_FOUR_ROWS(q5_0, B32_Q5_0)
BLOCK32_FOUR_ROWS(q4_1, B32_Q4_1)
BLOCK32_FOUR_ROWS(q5_1, B32_Q5_1)

// ---------------------------------------------------------------------------------------------
// Q4_0/Q5_0 × Q8_0 (18-byte blocks d:f16, qs[16]) and Q4_1/Q5_1 × Q8_1 (20-byte blocks d:f16,
// m:f16, qs[16]; 36-byte activation blocks d:f16, s:f16, qs[32]): the 32 nibbles unpacked to bytes
// as ggml's `bytes_from_nibbles_32` does (low nibbles first), plus the Q5 types' fifth bits, then
// each block summed exactly as Q8_0 does (Q4_1/Q5_1 plus their min term `m·s` per block).

#define Q4_1_BYTES 20
#define Q8_1_BYTES 36
#define Q5_1_BYTES 24

/// Q4_0, or with `q5` Q5_0 (22-byte blocks d:f16, qh:u32 (bit j = fifth bit of weight j), qs[16]).
AVX2 INLINE void q4_5_0_rows(int q5, const uint8_t *w, const uint8_t *a, long astride, int nt, int blocks, float *out) {
    float acc[4] = {0, 0, 0, 0};
    const __m256i ones = _mm256_set1_epi16(1), offset = _mm256_set1_epi8(q5 ? 16 : 8);
    for (int b = 0; b < blocks; ++b) {
        const uint8_t *wb = w + (long)b * block32_bytes[q5 ? B32_Q5_0 : B32_Q4_0];
        smol_ck_prefetch(wb + SMOL_CK_PREFETCH_BYTES);
        const float dw = half_to_float(wb);
        const __m256i codes = q5 ? with_fifth_bits(nibbles_32(wb + 6), wb + 2) : nibbles_32(wb + 2);
        const __m256i qx = _mm256_sub_epi8(codes, offset);
        const __m256i ax = _mm256_sign_epi8(qx, qx);
        for (int t = 0; t < nt; ++t) {
            const uint8_t *ab = a + t * astride + (long)b * Q8_0_BYTES;
            const __m256i qy = _mm256_loadu_si256((const __m256i *)(ab + 2));
            const __m256i dot = _mm256_madd_epi16(_mm256_maddubs_epi16(ax, _mm256_sign_epi8(qy, qx)), ones);
            acc[t] = fma_f32(dw * half_to_float(ab), (float)hsum_i32_8(dot), acc[t]);
        }
    }
    for (int t = 0; t < nt; ++t) out[t] = acc[t];
}

/// Q4_1, or with `q5` Q5_1 (24-byte blocks d:f16, m:f16, qh:u32, qs[16]).
AVX2 INLINE void q4_5_1_rows(int q5, const uint8_t *w, const uint8_t *a, long astride, int nt, int blocks, float *out) {
    float acc[4] = {0, 0, 0, 0}, mins[4] = {0, 0, 0, 0};
    const __m256i ones = _mm256_set1_epi16(1);
    for (int b = 0; b < blocks; ++b) {
        const uint8_t *wb = w + (long)b * block32_bytes[q5 ? B32_Q5_1 : B32_Q4_1];
        smol_ck_prefetch(wb + SMOL_CK_PREFETCH_BYTES);
        const float dw = half_to_float(wb), mw = half_to_float(wb + 2);
        const __m256i qx = q5 ? with_fifth_bits(nibbles_32(wb + 8), wb + 4) : nibbles_32(wb + 4);
        for (int t = 0; t < nt; ++t) {
            const uint8_t *ab = a + t * astride + (long)b * Q8_1_BYTES;
            const __m256i qy = _mm256_loadu_si256((const __m256i *)(ab + 4));
            const __m256i dot = _mm256_madd_epi16(_mm256_maddubs_epi16(qx, qy), ones);
            acc[t] = fma_f32(dw * half_to_float(ab), (float)hsum_i32_8(dot), acc[t]);
            mins[t] += mw * half_to_float(ab + 2);
        }
    }
    for (int t = 0; t < nt; ++t) out[t] = acc[t] + mins[t];
}

AVX2 INLINE void q4_0_rows(const uint8_t *w, const uint8_t *a, long astride, int nt, int blocks, float *out) {
    q4_5_0_rows(0, w, a, astride, nt, blocks, out);
}

AVX2 INLINE void q5_0_rows(const uint8_t *w, const uint8_t *a, long astride, int nt, int blocks, float *out) {
    q4_5_0_rows(1, w, a, astride, nt, blocks, out);
}

AVX2 INLINE void q4_1_rows(const uint8_t *w, const uint8_t *a, long astride, int nt, int blocks, float *out) {
    q4_5_1_rows(0, w, a, astride, nt, blocks, out);
}

AVX2 INLINE void q5_1_rows(const uint8_t *w, const uint8_t *a, long astride, int nt, int blocks, float *out) {
    q4_5_1_rows(1, w, a, astride, nt, blocks, out);
}

// ---------------------------------------------------------------------------------------------
// Q4_K × Q8_K (and Q5_K): 144-byte blocks d:f16, dmin:f16, scales[12], qs[128]; Q8_K 292 bytes
// d:f32, qs[256], bsums[16]:i16. Each block's scaled integer dot Σ sc·(q·a) is summed exactly and
// scaled into one f32 per token; the mins meet the activation block's per-16 sums.

/// Q4_K, or with `q5` Q5_K, which differs only in its codes (`k45_codes`).
AVX2 INLINE void q4_5_K_rows(int q5, const uint8_t *w, const uint8_t *a, long astride, int nt, int blocks, float *out) {
    float acc[4] = {0, 0, 0, 0}, mins[4] = {0, 0, 0, 0};
    for (int b = 0; b < blocks; ++b) {
        const int blockBytes = q5 ? 176 : 144;
        const uint8_t *wb = w + (long)b * blockBytes;
        prefetch_block(wb, blockBytes);
        const float dw = half_to_float(wb), dminw = half_to_float(wb + 2);
        const KScales ks = k_scales(wb + 4);
        const uint32_t scLo = ks.scLo, scHi = ks.scHi, mLo = ks.mLo, mHi = ks.mHi;
        // int16 scale broadcasts, one per 32-weight sub-block
        __m256i scale[8];
        for (int j = 0; j < 4; ++j) {
            scale[j] = _mm256_set1_epi16((short)((scLo >> (8 * j)) & 0xFF));
            scale[4 + j] = _mm256_set1_epi16((short)((scHi >> (8 * j)) & 0xFF));
        }
        const __m128i mins16 = _mm_cvtepu8_epi16(_mm_set_epi32(0, 0, (int)mHi, (int)mLo));
        __m256i codes[8];
        k45_codes(q5, wb, codes);
        for (int t = 0; t < nt; ++t) {
            const uint8_t *ab = a + t * astride + (long)b * Q8_K_BYTES;
            const uint8_t *qa = ab + 4;
            __m256i isum = _mm256_setzero_si256();
            for (int c = 0; c < 4; ++c) {
                const __m256i ql = _mm256_loadu_si256((const __m256i *)(qa + 64 * c));
                const __m256i qh = _mm256_loadu_si256((const __m256i *)(qa + 64 * c + 32));
                isum = _mm256_add_epi32(isum, _mm256_madd_epi16(scale[2 * c], _mm256_maddubs_epi16(codes[2 * c], ql)));
                isum = _mm256_add_epi32(isum, _mm256_madd_epi16(scale[2 * c + 1], _mm256_maddubs_epi16(codes[2 * c + 1], qh)));
            }
            const __m256i bsums = _mm256_loadu_si256((const __m256i *)(ab + 260));
            const __m128i pairs = _mm_hadd_epi16(_mm256_castsi256_si128(bsums), _mm256_extracti128_si256(bsums, 1));
            const int msum = hsum_i32_4(_mm_madd_epi16(mins16, pairs));
            float ad;
            memcpy(&ad, ab, 4);
            acc[t] = fma_f32(ad * dw, (float)hsum_i32_8(isum), acc[t]);
            mins[t] += ad * dminw * (float)msum;
        }
    }
    for (int t = 0; t < nt; ++t) out[t] = acc[t] - mins[t];
}

/// One Q4_K/Q5_K block against one Q8_K block, unscaled: Σ sc·(q·a) in eight int32 lanes to add,
/// and (`minSums`) in four the mins times `pairs`, the activation block's per-32 sums.
AVX2 INLINE __m256i k45_block_sums(int q5, const uint8_t *wb, const uint8_t *qa, __m128i pairs, __m128i *minSums) {
    const KScales ks = k_scales(wb + 4);
    const __m256i scalesMins = _mm256_cvtepu8_epi16(_mm_set_epi32((int)ks.mHi, (int)ks.mLo, (int)ks.scHi, (int)ks.scLo));
    // Each scale as an int16 pair in memory, broadcast by plain loads: built in registers, the
    // eight broadcasts compete for the one shuffle port with everything else (measured, rows in
    // L2: 13.2 GB/s in registers, 14.8 through memory). The empty asm keeps the compiler from
    // folding the loads back into shuffles.
    uint32_t scalePairs[8];
    const __m128i scales = _mm256_castsi256_si128(scalesMins);
    _mm_storeu_si128((__m128i *)scalePairs, _mm_unpacklo_epi16(scales, scales));
    _mm_storeu_si128((__m128i *)(scalePairs + 4), _mm_unpackhi_epi16(scales, scales));
    __asm__ volatile("" : : "r"(scalePairs) : "memory");
    __m256i codes[8];
    k45_codes(q5, wb, codes);
    __m256i even = _mm256_setzero_si256(), odd = _mm256_setzero_si256();
    for (int c = 0; c < 4; ++c) {
        const __m256i ql = _mm256_loadu_si256((const __m256i *)(qa + 64 * c));
        const __m256i qh = _mm256_loadu_si256((const __m256i *)(qa + 64 * c + 32));
        even = _mm256_add_epi32(even, _mm256_madd_epi16(_mm256_set1_epi32((int)scalePairs[2 * c]), _mm256_maddubs_epi16(codes[2 * c], ql)));
        odd = _mm256_add_epi32(odd, _mm256_madd_epi16(_mm256_set1_epi32((int)scalePairs[2 * c + 1]), _mm256_maddubs_epi16(codes[2 * c + 1], qh)));
    }
    *minSums = _mm_madd_epi16(_mm256_extracti128_si256(scalesMins, 1), pairs);
    return _mm256_add_epi32(even, odd);
}

/// Lane i = the sum of the eight int32 lanes of v[i].
AVX2 INLINE __m256i hsum_i32_8x8(const __m256i v[8]) {
    const __m256i r0123 = _mm256_hadd_epi32(_mm256_hadd_epi32(v[0], v[1]), _mm256_hadd_epi32(v[2], v[3]));
    const __m256i r4567 = _mm256_hadd_epi32(_mm256_hadd_epi32(v[4], v[5]), _mm256_hadd_epi32(v[6], v[7]));
    return _mm256_add_epi32(_mm256_permute2x128_si256(r0123, r4567, 0x20), _mm256_permute2x128_si256(r0123, r4567, 0x31));
}

/// Lane i = the sum of the four int32 lanes of v[i].
AVX2 INLINE __m256i hsum_i32_4x8(const __m128i v[8]) {
    const __m128i r0123 = _mm_hadd_epi32(_mm_hadd_epi32(v[0], v[1]), _mm_hadd_epi32(v[2], v[3]));
    const __m128i r4567 = _mm_hadd_epi32(_mm_hadd_epi32(v[4], v[5]), _mm_hadd_epi32(v[6], v[7]));
    return _mm256_setr_m128i(r0123, r4567);
}

/// Eight Q4_K (Q5_K) rows × one token (decode). A block's work past its integer dots — reducing
/// them, the scales, the float sums — is done for the eight rows at once, lane i for row i (the
/// same operations per lane as `q4_5_K_rows`, so bit-identical), and each row prefetches its block
/// eight rows on, the one the next call reads: eight streams a group ahead (as
/// `block32_four_rows`). Measured, 2048-wide rows: in L2 14.3 → 19.2 GB/s; streaming on two cores
/// 23.5 → 24.2 GB/s (a kernel doing nothing but the dots: 25.6); one stream 4 KB ahead per row 7.9.
AVX2 INLINE void k45_eight_rows(int q5, const uint8_t *w, long wstride, const uint8_t *a, int blocks, float *out) {
    const int blockBytes = q5 ? 176 : 144;
    __m256 acc = _mm256_setzero_ps(), mins = _mm256_setzero_ps();
    for (int b = 0; b < blocks; ++b) {
        const uint8_t *ab = a + (long)b * Q8_K_BYTES;
        const __m256i bsums = _mm256_loadu_si256((const __m256i *)(ab + 260));
        const __m128i pairs = _mm_hadd_epi16(_mm256_castsi256_si128(bsums), _mm256_extracti128_si256(bsums, 1));
        __m256i sums[8];
        __m128i minSums[8];
        uint32_t scales[8];  // each row's d and dmin (f16)
        for (int i = 0; i < 8; ++i) {
            const uint8_t *wb = w + i * wstride + (long)b * blockBytes;
            for (int off = 0; off < blockBytes; off += 64) smol_ck_prefetch(wb + 8 * wstride + off);
            memcpy(&scales[i], wb, 4);
            sums[i] = k45_block_sums(q5, wb, ab + 4, pairs, &minSums[i]);
        }
        const __m256i dd = _mm256_loadu_si256((const __m256i *)scales);
        const __m256i halves = _mm256_permute4x64_epi64(
            _mm256_packus_epi32(_mm256_and_si256(dd, _mm256_set1_epi32(0xFFFF)), _mm256_srli_epi32(dd, 16)), 0xD8);
        const __m256 d = _mm256_cvtph_ps(_mm256_castsi256_si128(halves)), dmin = _mm256_cvtph_ps(_mm256_extracti128_si256(halves, 1));
        float adf;
        memcpy(&adf, ab, 4);
        const __m256 ad = _mm256_set1_ps(adf);
        acc = _mm256_fmadd_ps(_mm256_mul_ps(ad, d), _mm256_cvtepi32_ps(hsum_i32_8x8(sums)), acc);
        mins = _mm256_add_ps(mins, _mm256_mul_ps(_mm256_mul_ps(ad, dmin), _mm256_cvtepi32_ps(hsum_i32_4x8(minSums))));
    }
    _mm256_storeu_ps(out, _mm256_sub_ps(acc, mins));
}

AVX2 INLINE void q4_K_eight_rows(const uint8_t *w, long wstride, const uint8_t *a, int blocks, float *out) {
    k45_eight_rows(0, w, wstride, a, blocks, out);
}

AVX2 INLINE void q5_K_eight_rows(const uint8_t *w, long wstride, const uint8_t *a, int blocks, float *out) {
    k45_eight_rows(1, w, wstride, a, blocks, out);
}

AVX2 INLINE void q4_K_rows(const uint8_t *w, const uint8_t *a, long astride, int nt, int blocks, float *out) {
    q4_5_K_rows(0, w, a, astride, nt, blocks, out);
}

AVX2 INLINE void q5_K_rows(const uint8_t *w, const uint8_t *a, long astride, int nt, int blocks, float *out) {
    q4_5_K_rows(1, w, a, astride, nt, blocks, out);
}

// ---------------------------------------------------------------------------------------------
// Q6_K, Q3_K and Q2_K × Q8_K: scales per 16 weights (blocks decoded by `k16_block`).

/// One block of a Q6_K, Q3_K or Q2_K row against `nt` Q8_K activation rows: 32 unsigned codes per
/// `codes[k]` (activations 32k…32k+31) with int16 scales per 16 in `scale[k]`, summed exactly and
/// scaled into one f32 per token (as Q4_K); `term16` (per 16 weights) meets the activation block's
/// per-16 sums once per block for the term taken off, `(d_a·termScale)·(termMul·Σ term16·bsums)`:
/// the codes' offset (Q6_K: scales, ×32, Q3_K: scales, ×4, both by d) or Q2_K's mins (×1, by dmin).
AVX2 INLINE void per16_block_tokens(const __m256i codes[8], const __m256i scale[8], __m256i term16, int termMul,
                                    float termScale, float dw, const uint8_t *a, long astride, int nt, float acc[4],
                                    float terms[4]) {
    for (int t = 0; t < nt; ++t) {
        const uint8_t *ab = a + t * astride;
        const uint8_t *qa = ab + 4;
        __m256i isum = _mm256_setzero_si256();
        for (int k = 0; k < 8; ++k) {
            const __m256i q8 = _mm256_loadu_si256((const __m256i *)(qa + 32 * k));
            isum = _mm256_add_epi32(isum, _mm256_madd_epi16(scale[k], _mm256_maddubs_epi16(codes[k], q8)));
        }
        const __m256i bsums = _mm256_loadu_si256((const __m256i *)(ab + 260));
        const int term = hsum_i32_8(_mm256_madd_epi16(term16, bsums));
        float ad;
        memcpy(&ad, ab, 4);
        acc[t] = fma_f32(ad * dw, (float)hsum_i32_8(isum), acc[t]);
        terms[t] += ad * termScale * (float)(termMul * term);
    }
}

/// Q6_K, Q3_K or Q2_K (`kind`) against `nt` activation rows: the codes' offset (Q6_K: ×32, Q3_K:
/// ×4, by d) or Q2_K's mins (by dmin) taken off through the per-16 sums.
AVX2 INLINE void per16_rows(int kind, const uint8_t *w, const uint8_t *a, long astride, int nt, int blocks, float *out) {
    float acc[4] = {0, 0, 0, 0}, terms[4] = {0, 0, 0, 0};
    const int termMul = kind == K_Q6 ? 32 : kind == K_Q3 ? 4 : 1;
    for (int b = 0; b < blocks; ++b) {
        const uint8_t *wb = w + (long)b * k_block_bytes[kind];
        prefetch_block(wb, k_block_bytes[kind]);
        __m256i codes[8], scale[8];
        int8_t sc[16];
        float d, dmin;
        const __m256i term16 = k16_block(kind, wb, codes, sc, &d, &dmin);
        for (int k = 0; k < 8; ++k) scale[k] = _mm256_setr_m128i(_mm_set1_epi16(sc[2 * k]), _mm_set1_epi16(sc[2 * k + 1]));
        per16_block_tokens(codes, scale, term16, termMul, kind == K_Q2 ? dmin : d, d, a + (long)b * Q8_K_BYTES, astride,
                           nt, acc, terms);
    }
    for (int t = 0; t < nt; ++t) out[t] = acc[t] - terms[t];
}

AVX2 INLINE void q6_K_rows(const uint8_t *w, const uint8_t *a, long astride, int nt, int blocks, float *out) {
    per16_rows(K_Q6, w, a, astride, nt, blocks, out);
}

AVX2 INLINE void q3_K_rows(const uint8_t *w, const uint8_t *a, long astride, int nt, int blocks, float *out) {
    per16_rows(K_Q3, w, a, astride, nt, blocks, out);
}

AVX2 INLINE void q2_K_rows(const uint8_t *w, const uint8_t *a, long astride, int nt, int blocks, float *out) {
    per16_rows(K_Q2, w, a, astride, nt, blocks, out);
}

// ---------------------------------------------------------------------------------------------
// Entry points. The gemm walks rows outermost (each row's blocks stay in L1 while up to four
// activation rows stream past them).

#define DEFINE_DOT(name, rowsfn)                                                                   \
    AVX2 float smol_ck_dot_##name(const void *w, const void *a, int blocks) {                      \
        float out;                                                                                 \
        rowsfn((const uint8_t *)w, (const uint8_t *)a, 0, 1, blocks, &out);                        \
        return out;                                                                                \
    }

/// `fn`: rows × tokens, each row against up to four tokens at a time.
#define DEFINE_ROWS(fn, rowsfn)                                                                    \
    AVX2 INTERNAL void fn(const void *w, long wstride, int rows, const void *a, long astride, int tokens, int blocks, \
                          float *y, long ldy) {                                                    \
        float out[4];                                                                              \
        for (int r = 0; r < rows; ++r) {                                                           \
            const uint8_t *wr = (const uint8_t *)w + r * wstride;                                  \
            int t = 0;                                                                             \
            for (; t + 4 <= tokens; t += 4) {                                                      \
                rowsfn(wr, (const uint8_t *)a + t * astride, astride, 4, blocks, out);             \
                for (int i = 0; i < 4; ++i) y[(t + i) * ldy + r] = out[i];                         \
            }                                                                                      \
            int left = tokens - t;                                                                 \
            if (left == 3) rowsfn(wr, (const uint8_t *)a + t * astride, astride, 3, blocks, out);  \
            else if (left == 2) rowsfn(wr, (const uint8_t *)a + t * astride, astride, 2, blocks, out); \
            else if (left == 1) rowsfn(wr, (const uint8_t *)a + t * astride, astride, 1, blocks, out); \
            for (int i = 0; i < left; ++i) y[(t + i) * ldy + r] = out[i];                          \
        }                                                                                          \
    }

#define DEFINE_ENTRY(name, rowsfn) DEFINE_DOT(name, rowsfn) DEFINE_ROWS(smol_ck_rows_##name, rowsfn)

/// Like DEFINE_ENTRY, for types with a decode kernel `groupfn` for `group` rows at once: one token
/// (a decode step) takes rows `group` at a time.
#define DEFINE_DECODE_ENTRY(name, rowsfn, groupfn, group)                                          \
    DEFINE_DOT(name, rowsfn)                                                                       \
    DEFINE_ROWS(name##_by_tokens, rowsfn)                                                          \
    AVX2 INTERNAL void smol_ck_rows_##name(const void *w, long wstride, int rows, const void *a, long astride, \
                                           int tokens, int blocks, float *y, long ldy) {           \
        if (tokens != 1) return name##_by_tokens(w, wstride, rows, a, astride, tokens, blocks, y, ldy); \
        int r = 0;                                                                                 \
        for (; r + group <= rows; r += group) groupfn((const uint8_t *)w + r * wstride, wstride, (const uint8_t *)a, blocks, y + r); \
        name##_by_tokens((const uint8_t *)w + r * wstride, wstride, rows - r, a, astride, 1, blocks, y + r, ldy); \
    }

DEFINE_DECODE_ENTRY(q8_0_q8_0, q8_0_rows, q8_0_four_rows, 4)
DEFINE_DECODE_ENTRY(q4_0_q8_0, q4_0_rows, q4_0_four_rows, 4)
DEFINE_DECODE_ENTRY(q5_0_q8_0, q5_0_rows, q5_0_four_rows, 4)
DEFINE_DECODE_ENTRY(q4_1_q8_1, q4_1_rows, q4_1_four_rows, 4)
DEFINE_DECODE_ENTRY(q5_1_q8_1, q5_1_rows, q5_1_four_rows, 4)
DEFINE_DECODE_ENTRY(q4_K_q8_K, q4_K_rows, q4_K_eight_rows, 8)
DEFINE_DECODE_ENTRY(q5_K_q8_K, q5_K_rows, q5_K_eight_rows, 8)
DEFINE_ENTRY(q6_K_q8_K, q6_K_rows)
DEFINE_ENTRY(q3_K_q8_K, q3_K_rows)
DEFINE_ENTRY(q2_K_q8_K, q2_K_rows)

#else  // not x86-64: never called (smol_ck_has_avx2() is 0)

float smol_ck_dot_q8_0_q8_0(const void *w, const void *a, int blocks) { (void)w; (void)a; (void)blocks; return 0; }
float smol_ck_dot_q4_K_q8_K(const void *w, const void *a, int blocks) { (void)w; (void)a; (void)blocks; return 0; }
float smol_ck_dot_q6_K_q8_K(const void *w, const void *a, int blocks) { (void)w; (void)a; (void)blocks; return 0; }
float smol_ck_dot_q4_0_q8_0(const void *w, const void *a, int blocks) { (void)w; (void)a; (void)blocks; return 0; }
float smol_ck_dot_q4_1_q8_1(const void *w, const void *a, int blocks) { (void)w; (void)a; (void)blocks; return 0; }
float smol_ck_dot_q5_K_q8_K(const void *w, const void *a, int blocks) { (void)w; (void)a; (void)blocks; return 0; }
float smol_ck_dot_q3_K_q8_K(const void *w, const void *a, int blocks) { (void)w; (void)a; (void)blocks; return 0; }
float smol_ck_dot_q5_0_q8_0(const void *w, const void *a, int blocks) { (void)w; (void)a; (void)blocks; return 0; }
float smol_ck_dot_q2_K_q8_K(const void *w, const void *a, int blocks) { (void)w; (void)a; (void)blocks; return 0; }
float smol_ck_dot_q5_1_q8_1(const void *w, const void *a, int blocks) { (void)w; (void)a; (void)blocks; return 0; }
#endif
