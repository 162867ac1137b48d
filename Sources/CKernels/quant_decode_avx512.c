// Decode (one activation row) products with AVX-512 VNNI where the AVX2 kernel runs out of
// instructions before the memory runs out of bytes: the 32-weight types Q8_0 and Q4_0, Q5_0, Q4_1
// and Q5_1 (`q8_0_eight_rows`, `nibble_eight_rows`), and Q6_K, whose six-bit codes take the AVX2 kernel half again as
// long per 256 weights as Q4_K's (15.6 vs 10.1 ns with the rows in L2). Each block's integer dot is exact and scaled as the AVX2
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

/// Four rows' 16 code bytes of one block, a 128-bit lane each.
A512VNNI INLINE __m512i four_rows_codes(const uint8_t *p, long stride) {
    __m512i q = _mm512_castsi128_si512(_mm_loadu_si128((const __m128i *)p));
    q = _mm512_inserti32x4(q, _mm_loadu_si128((const __m128i *)(p + stride)), 1);
    q = _mm512_inserti32x4(q, _mm_loadu_si128((const __m128i *)(p + 2 * stride)), 2);
    return _mm512_inserti32x4(q, _mm_loadu_si128((const __m128i *)(p + 3 * stride)), 3);
}

/// `acc` (and `mins`) += one block's integer dots of eight rows (lane i = row i) times their f16
/// scales (and mins times the activation sum), gathered from the rows' block starts: per lane the
/// float operations of `block32_four_rows`.
A512VNNI INLINE void eight_rows_accumulate(int withMin, const uint8_t *wb, __m256i rowOffsets, const uint8_t *ab, __m256i sums,
                                           __m256 *acc, __m256 *mins) {
    const __m256i dm = _mm256_i32gather_epi32((const int *)wb, rowOffsets, 1);  // d | m << 16
    const __m256 d = _mm256_cvtph_ps(_mm256_cvtepi32_epi16(dm));
    *acc = _mm256_fmadd_ps(_mm256_mul_ps(d, _mm256_set1_ps(half_to_float(ab))), _mm256_cvtepi32_ps(sums), *acc);
    if (withMin) {
        const __m256 m = _mm256_cvtph_ps(_mm256_cvtepi32_epi16(_mm256_srli_epi32(dm, 16)));
        *mins = _mm256_add_ps(*mins, _mm256_mul_ps(m, _mm256_set1_ps(half_to_float(ab + 2))));
    }
}

/// Σa of a 32-byte activation block, for taking a code offset off unsigned dot products.
A512VNNI INLINE int activation_sum32(__m256i qy) {
    return hsum_i32_8(_mm256_dpbusd_epi32(_mm256_setzero_si256(), _mm256_set1_epi8(1), qy));
}

/// The byte offsets of eight consecutive rows.
A512VNNI INLINE __m256i eight_row_offsets(long wstride) {
    return _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32((int)wstride));
}

/// Eight Q8_0 rows × one token: two rows' 32 code bytes per register, flipped to unsigned
/// (q + 128) for `vpdpbusd` with 128·Σa taken off once per block; reduced and scaled as
/// `nibble_eight_rows` does, so bit-identical to the AVX2 kernel. Every block prefetches (two
/// 34-byte blocks span more than a line). Measured, 2048-wide rows: the same speed from L3 (31
/// GB/s), streaming on two cores ~26.5 → ~28 GB/s; 3B Q8_0 decode +1.7% (three pairs).
A512VNNI INLINE void q8_0_eight_rows(const uint8_t *w, long wstride, const uint8_t *a, int blocks, float *out) {
    const __m512i flip = _mm512_set1_epi8((char)0x80);
    const __m256i rowOffsets = eight_row_offsets(wstride);
    // After the reduction lane k holds row 2k's sum and lane 8+k row 2k+1's.
    const __m512i rowOrder = _mm512_setr_epi32(0, 8, 1, 9, 2, 10, 3, 11, 0, 0, 0, 0, 0, 0, 0, 0);
    __m256 acc = _mm256_setzero_ps(), unused = _mm256_setzero_ps();
    for (int b = 0; b < blocks; ++b) {
        const uint8_t *ab = a + (long)b * Q8_0_BYTES, *wb = w + (long)b * Q8_0_BYTES;
        for (int i = 0; i < 8; ++i) smol_ck_prefetch(wb + (8 + i) * wstride);
        const __m256i qy = _mm256_loadu_si256((const __m256i *)(ab + 2));
        const __m512i act = _mm512_broadcast_i64x4(qy);
        __m512i dots[4];
        for (int k = 0; k < 4; ++k) {
            const uint8_t *r = wb + 2 * k * wstride + 2;
            const __m512i q = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)r)),
                                                 _mm256_loadu_si256((const __m256i *)(r + wstride)), 1);
            dots[k] = _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_xor_si512(q, flip), act);
        }
        const __m512i p01 = _mm512_add_epi32(_mm512_unpacklo_epi32(dots[0], dots[1]), _mm512_unpackhi_epi32(dots[0], dots[1]));
        const __m512i p23 = _mm512_add_epi32(_mm512_unpacklo_epi32(dots[2], dots[3]), _mm512_unpackhi_epi32(dots[2], dots[3]));
        const __m512i q = _mm512_add_epi32(_mm512_unpacklo_epi64(p01, p23), _mm512_unpackhi_epi64(p01, p23));
        const __m512i totals = _mm512_add_epi32(q, _mm512_shuffle_i32x4(q, q, _MM_SHUFFLE(2, 3, 0, 1)));
        const __m256i sums = _mm256_sub_epi32(_mm512_castsi512_si256(_mm512_permutexvar_epi32(rowOrder, totals)),
                                              _mm256_set1_epi32(128 * activation_sum32(qy)));
        eight_rows_accumulate(0, wb, rowOffsets, ab, sums, &acc, &unused);
    }
    _mm256_storeu_ps(out, acc);
}

/// Eight Q4_0, Q5_0, Q4_1 or Q5_1 rows × one token. The AVX2 kernel spends ~20 instructions per
/// row and 20-byte block; here four rows' code bytes share a register (a lane each), so the nibble
/// unpacking, the fifth bits and the two `vpdpbusd` (low nibbles against activations 0–15, high
/// against 16–31) serve four rows at once. Codes stay unsigned and Q4_0/Q5_0's offset comes off as
/// offset·Σa once per block; the rows' f16 scales and mins arrive by one gather. The integer dots
/// are exact and the float work is `block32_four_rows`' per lane (lane i = row i), so the results
/// are bit-identical. Each row prefetches its block eight rows on every other block (two blocks
/// are under a cache line). Measured, 2048-wide rows, against the AVX2 kernel: in L2 Q4_1 11.5 →
/// 19.3 GB/s, Q5_1 10.2 → 15.4, Q4_0 11.0 → 17.8, Q5_0 10.2 → 14.6; streaming on two cores Q4_1
/// ~19 → 23.7, Q5_1 15.1 → 18.6, Q4_0 ~20 → 23.5.
A512VNNI INLINE void nibble_eight_rows(int kind, const uint8_t *w, long wstride, const uint8_t *a, int blocks, float *out) {
    const int withMin = kind >= B32_Q4_1, q5 = kind == B32_Q5_0 || kind == B32_Q5_1, offset = block32_offset(kind);
    const int qhAt = withMin ? 4 : 2, qsAt = qhAt + (q5 ? 4 : 0), actAt = withMin ? 4 : 2, actBytes = withMin ? Q8_1_BYTES : Q8_0_BYTES;
    const __m512i m4 = _mm512_set1_epi8(0x0F), sixteen = _mm512_set1_epi8(16);
    const __m256i rowOffsets = eight_row_offsets(wstride);
    // After the two-step reduction lane 4k holds row k's sum and lane 4k+1 row 4+k's.
    const __m512i rowOrder = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 0, 0, 0, 0, 0, 0, 0, 0);
    __m256 acc = _mm256_setzero_ps(), mins = _mm256_setzero_ps();
    for (int b = 0; b < blocks; ++b) {
        const uint8_t *ab = a + (long)b * actBytes, *wb = w + (long)b * block32_bytes[kind];
        if ((b & 1) == 0)
            for (int i = 0; i < 8; ++i) smol_ck_prefetch(wb + (8 + i) * wstride);
        const __m512i actLow = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(ab + actAt)));
        const __m512i actHigh = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(ab + actAt + 16)));
        __m512i dots[2];
        for (int g = 0; g < 2; ++g) {
            const uint8_t *rows = wb + 4 * g * wstride;
            const __m512i q = four_rows_codes(rows + qsAt, wstride);
            __m512i low = _mm512_and_si512(q, m4), high = _mm512_and_si512(_mm512_srli_epi16(q, 4), m4);
            if (q5) {  // bit j of a row's qh is the fifth bit of its weight j
                uint64_t fifthLow = 0, fifthHigh = 0;
                for (int i = 0; i < 4; ++i) {
                    uint32_t qh;
                    memcpy(&qh, rows + i * wstride + qhAt, 4);
                    fifthLow |= (uint64_t)(qh & 0xFFFF) << (16 * i);
                    fifthHigh |= (uint64_t)(qh >> 16) << (16 * i);
                }
                low = _mm512_mask_add_epi8(low, fifthLow, low, sixteen);
                high = _mm512_mask_add_epi8(high, fifthHigh, high, sixteen);
            }
            dots[g] = _mm512_dpbusd_epi32(_mm512_dpbusd_epi32(_mm512_setzero_si512(), low, actLow), high, actHigh);
        }
        const __m512i pairs = _mm512_add_epi32(_mm512_unpacklo_epi32(dots[0], dots[1]), _mm512_unpackhi_epi32(dots[0], dots[1]));
        const __m512i totals = _mm512_add_epi32(pairs, _mm512_shuffle_epi32(pairs, _MM_PERM_BADC));
        __m256i sums = _mm512_castsi512_si256(_mm512_permutexvar_epi32(rowOrder, totals));
        if (offset) {
            const int actSum = activation_sum32(_mm256_loadu_si256((const __m256i *)(ab + actAt)));
            sums = _mm256_sub_epi32(sums, _mm256_set1_epi32(offset * actSum));
        }
        eight_rows_accumulate(withMin, wb, rowOffsets, ab, sums, &acc, &mins);
    }
    _mm256_storeu_ps(out, withMin ? _mm256_add_ps(acc, mins) : acc);
}

/// `smol_ck_decode512_NAME`: eight rows at a time, the last few through the AVX2 rows (all of them
/// for rows too long for the gather's 32-bit offsets).
#define DECODE512_EIGHT_ROWS(name, eight)                                                          \
    A512VNNI INTERNAL void smol_ck_decode512_##name(const void *w, long wstride, int rows, const void *a, int blocks, float *y) { \
        int r = 0;                                                                                 \
        for (; r + 8 <= rows && wstride <= INT32_MAX / 8; r += 8) eight((const uint8_t *)w + r * wstride, wstride, (const uint8_t *)a, blocks, y + r); \
        smol_ck_rows_##name((const uint8_t *)w + r * wstride, wstride, rows - r, a, 0, 1, blocks, y + r, 0); \
    }

#define NIBBLE_EIGHT_ROWS(kind)                                                                    \
    A512VNNI INLINE void kind##_eight_rows(const uint8_t *w, long wstride, const uint8_t *a, int blocks, float *out) { \
        nibble_eight_rows(B32_##kind, w, wstride, a, blocks, out);                                 \
    }
NIBBLE_EIGHT_ROWS(Q4_0)
NIBBLE_EIGHT_ROWS(Q5_0)
NIBBLE_EIGHT_ROWS(Q4_1)
NIBBLE_EIGHT_ROWS(Q5_1)

DECODE512_EIGHT_ROWS(q8_0_q8_0, q8_0_eight_rows)
DECODE512_EIGHT_ROWS(q4_0_q8_0, Q4_0_eight_rows)
DECODE512_EIGHT_ROWS(q5_0_q8_0, Q5_0_eight_rows)
DECODE512_EIGHT_ROWS(q4_1_q8_1, Q4_1_eight_rows)
DECODE512_EIGHT_ROWS(q5_1_q8_1, Q5_1_eight_rows)

#endif
