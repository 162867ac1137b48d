// Decode (one activation row) products with AVX-512 VNNI where the AVX2 kernel runs out of
// instructions before the memory runs out of bytes: Q4_0 and Q5_0 (`offset_codes_four_rows`), and
// Q6_K, whose six-bit codes take the AVX2 kernel half again as long per 256 weights as Q4_K's
// (15.6 vs 10.1 ns with the rows in L2). Each block's integer dot is exact and scaled as the AVX2
// kernel does, so results stay bit-identical.
//
// Q6_K: sixty-four weights per register along the row. Measured (one row after another, 2048-wide
// rows): in L2 13.5 → 21.9 GB/s; streaming from memory on two cores 22.1 → 24.5 GB/s. The same
// layout for Q4_K measured slower than AVX2 (12.8 vs 14.3 GB/s in L2: 512-bit operations have two
// ports to AVX2's three, and Q4_K needs few instructions per byte), and four rows at a time or
// other prefetch distances gained nothing for Q6_K.
#include "simd.h"

#if defined(__x86_64__) || defined(_M_X64)

/// `acc` + Σ pairs of (codes · activations, 64 of each) times the int16 `scale` of each pair.
A512VNNI INLINE __m512i scaled_dot64(__m512i acc, __m512i codes, const uint8_t *act, __m512i scale) {
    return _mm512_dpwssd_epi32(acc, _mm512_maddubs_epi16(codes, _mm512_loadu_si512(act)), scale);
}

/// `vpermw` indices spreading scales 4g…4g+3 over eight int16 lanes each (weights 64g…64g+63).
A512VNNI INLINE __m512i scale_pick(int g) {
    const __m256i lo = _mm256_setr_m128i(_mm_set1_epi16((short)(4 * g)), _mm_set1_epi16((short)(4 * g + 1)));
    const __m256i hi = _mm256_setr_m128i(_mm_set1_epi16((short)(4 * g + 2)), _mm_set1_epi16((short)(4 * g + 3)));
    return _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
}

/// One Q6_K row (see `q6_K_codes` for the layout) against one Q8_K activation row. Half h of a
/// block is 64 bytes of low bits — low nibbles weights 128h…128h+63, high nibbles the next 64 —
/// and 32 bytes of high bits, loaded into both register halves and shifted per half into place.
A512VNNI INLINE float q6_K_row512(const uint8_t *w, const uint8_t *a, int blocks) {
    const __m512i m4 = _mm512_set1_epi8(0xF);
    const __m512i keepLow = _mm512_inserti64x4(_mm512_set1_epi8(0x03), _mm256_set1_epi8(0x0C), 1);
    const __m512i keepHigh = _mm512_inserti64x4(_mm512_set1_epi8(0x30), _mm256_set1_epi8((char)0xC0), 1);
    const __m512i upLow = _mm512_inserti64x4(_mm512_set1_epi16(4), _mm256_set1_epi16(2), 1);
    const __m512i downHigh = _mm512_inserti64x4(_mm512_set1_epi16(0), _mm256_set1_epi16(2), 1);
    const __m512i pick[4] = {scale_pick(0), scale_pick(1), scale_pick(2), scale_pick(3)};
    float acc = 0, terms = 0;
    for (int b = 0; b < blocks; ++b) {
        const uint8_t *wb = w + (long)b * 210, *ab = a + (long)b * Q8_K_BYTES;
        prefetch_block(wb, 210);
        const __m256i scales = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(wb + 192)));
        const __m512i scales512 = _mm512_castsi256_si512(scales);
        __m512i isum = _mm512_setzero_si512();
        for (int h = 0; h < 2; ++h) {
            const __m512i ql = _mm512_loadu_si512(wb + 64 * h);
            const __m512i qh = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(wb + 128 + 32 * h)));
            // (ql & 0xF) | bits 4–5 from qh: 0xCA selects the second operand where the first is set
            const __m512i lo = _mm512_ternarylogic_epi32(m4, ql, _mm512_sllv_epi16(_mm512_and_si512(qh, keepLow), upLow), 0xCA);
            const __m512i hi = _mm512_ternarylogic_epi32(m4, _mm512_srli_epi16(ql, 4),
                                                         _mm512_srlv_epi16(_mm512_and_si512(qh, keepHigh), downHigh), 0xCA);
            isum = scaled_dot64(isum, lo, ab + 4 + 128 * h, _mm512_permutexvar_epi16(pick[2 * h], scales512));
            isum = scaled_dot64(isum, hi, ab + 4 + 128 * h + 64, _mm512_permutexvar_epi16(pick[2 * h + 1], scales512));
        }
        const int term = hsum_i32_8(_mm256_madd_epi16(scales, _mm256_loadu_si256((const __m256i *)(ab + 260))));
        const float dw = half_to_float(wb + 208);
        float ad;
        memcpy(&ad, ab, 4);
        acc = fma_f32(ad * dw, (float)_mm512_reduce_add_epi32(isum), acc);
        terms += ad * dw * (float)(32 * term);
    }
    return acc - terms;
}

A512VNNI INTERNAL void smol_ck_decode512_q6_K_q8_K(const void *w, long wstride, int rows, const void *a, int blocks, float *y) {
    for (int r = 0; r < rows; ++r) y[r] = q6_K_row512((const uint8_t *)w + r * wstride, (const uint8_t *)a, blocks);
}

/// Four Q4_0 or Q5_0 rows × one token, as `block32_four_rows` but with the codes left unsigned:
/// one `vpdpbusd` per row replaces AVX2's two sign flips, `vpmaddubsw` and `vpmaddwd`, and the
/// offset comes off once per block for the four rows, as offset·Σa (Σ (q − o)·a exactly, so
/// bit-identical). Measured, 2048-wide rows: in L2 Q4_0 11.0 → 13.8 GB/s, Q5_0 10.2 → 12.9;
/// streaming on two cores about +8%. Q8_0, Q4_1 and Q5_1 gained nothing this way (their sign
/// flips are free or absent; what bounds them is the per-block reduction).
A512VNNI INLINE void offset_codes_four_rows(int kind, const uint8_t *w, long wstride, const uint8_t *a, int blocks, float *out) {
    __m128 acc = _mm_setzero_ps(), unused = _mm_setzero_ps();
    const __m256i ones = _mm256_set1_epi8(1);
    const int offset = block32_offset(kind);
    for (int b = 0; b < blocks; ++b) {
        const uint8_t *ab = a + (long)b * Q8_0_BYTES;
        const __m256i qy = _mm256_loadu_si256((const __m256i *)(ab + 2));
        uint64_t dw, mw;
        block32_four_scales(kind, w, wstride, b, &dw, &mw);
        __m256i dots[4];
        for (int i = 0; i < 4; ++i)
            dots[i] = _mm256_dpbusd_epi32(_mm256_setzero_si256(), block32_raw_codes(kind, w + i * wstride + (long)b * block32_bytes[kind]), qy);
        const int taken = offset * hsum_i32_8(_mm256_dpbusd_epi32(_mm256_setzero_si256(), ones, qy));
        block32_four_accumulate(kind, dots, taken, dw, mw, ab, &acc, &unused);
    }
    _mm_storeu_ps(out, acc);
}

/// `smol_ck_decode512_NAME`: four rows at a time, the last few through the AVX2 rows.
#define DECODE512_FOUR_ROWS(name, kind)                                                            \
    A512VNNI INTERNAL void smol_ck_decode512_##name(const void *w, long wstride, int rows, const void *a, int blocks, float *y) { \
        int r = 0;                                                                                 \
        for (; r + 4 <= rows; r += 4) offset_codes_four_rows(kind, (const uint8_t *)w + r * wstride, wstride, (const uint8_t *)a, blocks, y + r); \
        smol_ck_rows_##name((const uint8_t *)w + r * wstride, wstride, rows - r, a, 0, 1, blocks, y + r, 0); \
    }

DECODE512_FOUR_ROWS(q4_0_q8_0, B32_Q4_0)
DECODE512_FOUR_ROWS(q5_0_q8_0, B32_Q5_0)

#endif
