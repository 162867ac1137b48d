// Shared by the kernel files: target attributes, block sizes, and the small SIMD helpers whose
// exact operation order the bit-identical kernels depend on. Private to CKernels.
#pragma once
#include "ckernels.h"
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma,f16c")))
#define A512BW __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma,f16c")))
#define A512VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni,avx2,fma,f16c")))
#define INLINE static inline __attribute__((always_inline))
/// Internal to the library (not part of the Swift-visible API in include/ckernels.h).
#define INTERNAL __attribute__((visibility("hidden")))

#define Q8_0_BYTES 34
#define Q8_K_BYTES 292

AVX2 INLINE float half_to_float(const uint8_t *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return _cvtsh_ss(h);
}

/// `a·b + c` rounded once (`vfmadd`), as Swift's `addProduct`.
AVX2 INLINE float fma_f32(float a, float b, float c) {
    return _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(a), _mm_set_ss(b), _mm_set_ss(c)));
}

AVX2 INLINE float hsum_float_8(__m256 x) {
    __m128 res = _mm256_extractf128_ps(x, 1);
    res = _mm_add_ps(res, _mm256_castps256_ps128(x));
    res = _mm_add_ps(res, _mm_movehl_ps(res, res));
    res = _mm_add_ss(res, _mm_movehdup_ps(res));
    return _mm_cvtss_f32(res);
}

AVX2 INLINE int hsum_i32_4(__m128i x) {
    __m128i hi64 = _mm_unpackhi_epi64(x, x);
    __m128i sum64 = _mm_add_epi32(hi64, x);
    __m128i hi32 = _mm_shuffle_epi32(sum64, _MM_SHUFFLE(2, 3, 0, 1));
    return _mm_cvtsi128_si32(_mm_add_epi32(sum64, hi32));
}

AVX2 INLINE int hsum_i32_8(__m256i x) {
    return hsum_i32_4(_mm_add_epi32(_mm256_castsi256_si128(x), _mm256_extracti128_si256(x, 1)));
}

/// Asks for the cache lines of the weight block `SMOL_CK_PREFETCH_BYTES` ahead of `wb`.
INLINE void prefetch_block(const uint8_t *wb, int bytes) {
    for (int off = 0; off < bytes; off += 64) smol_ck_prefetch(wb + SMOL_CK_PREFETCH_BYTES + off);
}

/// Q4_K/Q5_K's twelve bytes of eight 6-bit scales and eight 6-bit mins, unpacked to one byte each:
/// scales 0–3 and 4–7, mins 0–3 and 4–7, four to a word (ggml's `utmp` shuffle).
typedef struct {
    uint32_t scLo, scHi, mLo, mHi;
} KScales;

INLINE KScales k_scales(const uint8_t *p) {
    uint32_t u0, u1, u2;
    memcpy(&u0, p, 4);
    memcpy(&u1, p + 4, 4);
    memcpy(&u2, p + 8, 4);
    const KScales k = {
        u0 & 0x3F3F3F3Fu,
        (u2 & 0x0F0F0F0Fu) | (((u0 >> 6) & 0x03030303u) << 4),
        u1 & 0x3F3F3F3Fu,
        ((u2 >> 4) & 0x0F0F0F0Fu) | (((u1 >> 6) & 0x03030303u) << 4),
    };
    return k;
}

/// The 32 nibbles of 16 bytes at `qs`, one per byte: low nibbles first, then high (ggml's
/// `bytes_from_nibbles_32`).
AVX2 INLINE __m256i nibbles_32(const uint8_t *qs) {
    const __m128i packed = _mm_loadu_si128((const __m128i *)qs);
    const __m256i bytes = _mm256_insertf128_si256(_mm256_castsi128_si256(packed), _mm_srli_epi16(packed, 4), 1);
    return _mm256_and_si256(bytes, _mm256_set1_epi8(0x0F));
}

/// `codes` with bit 4 of byte j set where bit j of the little-endian word at `qh` is (ggml's
/// `bytes_from_bits_32`: spread the word's bytes, then test one bit per byte).
AVX2 INLINE __m256i with_fifth_bits(__m256i codes, const uint8_t *qh) {
    uint32_t bits;
    memcpy(&bits, qh, 4);
    const __m256i spread = _mm256_shuffle_epi8(_mm256_set1_epi32((int)bits),
                                               _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202,
                                                                 0x0101010101010101, 0x0000000000000000));
    const __m256i set = _mm256_cmpeq_epi8(_mm256_or_si256(spread, _mm256_set1_epi64x(0x7fbfdfeff7fbfdfe)),
                                          _mm256_set1_epi64x(-1));
    return _mm256_or_si256(codes, _mm256_and_si256(set, _mm256_set1_epi8(0x10)));
}

/// The 32-weight block types and their sizes (Q8_0, Q4_0, Q5_0 pair with Q8_0 activations, Q4_1
/// and Q5_1, which have a min, with Q8_1's 36-byte blocks d:f16, s:f16, qs[32]).
enum { B32_Q8_0, B32_Q4_0, B32_Q5_0, B32_Q4_1, B32_Q5_1 };
static const int block32_bytes[] = {Q8_0_BYTES, 18, 22, 20, 24};
#define Q8_1_BYTES 36

/// What Q4_0 and Q5_0 take off their unsigned codes (8, 16); the other 32-weight types, 0.
INLINE int block32_offset(int kind) {
    return kind == B32_Q4_0 ? 8 : kind == B32_Q5_0 ? 16 : 0;
}

/// A 32-weight block's weights as bytes: Q8_0's as stored, Q4_0's nibbles − 8 and Q5_0's five-bit
/// codes − 16 (signed); Q4_1's and Q5_1's codes (unsigned).
AVX2 INLINE __m256i block32_codes(int kind, const uint8_t *wb) {
    switch (kind) {
    case B32_Q8_0: return _mm256_loadu_si256((const __m256i *)(wb + 2));
    case B32_Q4_0: return _mm256_sub_epi8(nibbles_32(wb + 2), _mm256_set1_epi8((char)block32_offset(kind)));
    case B32_Q5_0: return _mm256_sub_epi8(with_fifth_bits(nibbles_32(wb + 6), wb + 2), _mm256_set1_epi8((char)block32_offset(kind)));
    case B32_Q4_1: return nibbles_32(wb + 4);
    default: return with_fifth_bits(nibbles_32(wb + 8), wb + 4);
    }
}

/// The 256 codes of a K-quant block as bytes, `codes[k]` holding weights 32k…32k+31 (shared by the
/// AVX2 kernels and the AVX-512 panels).

/// Q4_K, or with `q5` Q5_K (176-byte blocks d, dmin, scales[12], qh[32], qs[128]: bit 2c / 2c+1 of
/// qh[l] is the fifth bit of chunk c's low / high nibble l): chunk c of qs gives weights 64c…64c+31
/// (low nibbles) and 64c+32…64c+63 (high).
AVX2 INLINE void k45_codes(int q5, const uint8_t *wb, __m256i codes[8]) {
    const __m256i m4 = _mm256_set1_epi8(0xF), one = _mm256_set1_epi8(1);
    const __m256i fifth = q5 ? _mm256_loadu_si256((const __m256i *)(wb + 16)) : _mm256_setzero_si256();
    for (int c = 0; c < 4; ++c) {
        const __m256i bits = _mm256_loadu_si256((const __m256i *)(wb + (q5 ? 48 : 16) + 32 * c));
        __m256i lo = _mm256_and_si256(bits, m4), hi = _mm256_and_si256(_mm256_srli_epi16(bits, 4), m4);
        if (q5) {
            lo = _mm256_or_si256(lo, _mm256_slli_epi16(_mm256_and_si256(_mm256_srl_epi16(fifth, _mm_cvtsi32_si128(2 * c)), one), 4));
            hi = _mm256_or_si256(hi, _mm256_slli_epi16(_mm256_and_si256(_mm256_srl_epi16(fifth, _mm_cvtsi32_si128(2 * c + 1)), one), 4));
        }
        codes[2 * c] = lo;
        codes[2 * c + 1] = hi;
    }
}

/// Q6_K (210-byte blocks ql[128], qh[64], scales[16]:i8, d:f16): half h (128 weights) reads
/// ql[64h…] and qh[32h…]; for l < 32, weight l is lo(ql[l]) with qh bits 0–1, l+32 lo(ql[l+32])
/// with bits 2–3, l+64 hi(ql[l]) with bits 4–5, l+96 hi(ql[l+32]) with bits 6–7. Codes 0…63.
AVX2 INLINE void q6_K_codes(const uint8_t *wb, __m256i codes[8]) {
    const __m256i m4 = _mm256_set1_epi8(0xF), m2 = _mm256_set1_epi8(3);
    for (int half = 0; half < 2; ++half) {
        const __m256i ql0 = _mm256_loadu_si256((const __m256i *)(wb + 64 * half));
        const __m256i ql1 = _mm256_loadu_si256((const __m256i *)(wb + 64 * half + 32));
        const __m256i qh = _mm256_loadu_si256((const __m256i *)(wb + 128 + 32 * half));
        codes[4 * half + 0] = _mm256_or_si256(_mm256_and_si256(ql0, m4), _mm256_slli_epi16(_mm256_and_si256(qh, m2), 4));
        codes[4 * half + 1] = _mm256_or_si256(_mm256_and_si256(ql1, m4),
                                              _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2), m2), 4));
        codes[4 * half + 2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), m4),
                                              _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 4), m2), 4));
        codes[4 * half + 3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), m4),
                                              _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 6), m2), 4));
    }
}

/// Q3_K (110-byte blocks hmask[32], qs[64], scales[12], d:f16): bits 2j of qs[32·half + l] and bit
/// 4·half + j of hmask[l] are weight 128·half + 32·j + l (codes 0…7, a clear hmask bit meaning −4
/// after the offset); `sc` gets the sixteen 6-bit scales minus 32.
AVX2 INLINE void q3_K_codes(const uint8_t *wb, __m256i codes[8], int8_t sc[16]) {
    const __m256i m2 = _mm256_set1_epi8(3), one = _mm256_set1_epi8(1);
    uint32_t a0, a1, hi, packed[4];
    memcpy(&a0, wb + 96, 4);
    memcpy(&a1, wb + 100, 4);
    memcpy(&hi, wb + 104, 4);
    packed[0] = (a0 & 0x0F0F0F0Fu) | ((hi & 0x03030303u) << 4);
    packed[1] = (a1 & 0x0F0F0F0Fu) | (((hi >> 2) & 0x03030303u) << 4);
    packed[2] = ((a0 >> 4) & 0x0F0F0F0Fu) | (((hi >> 4) & 0x03030303u) << 4);
    packed[3] = ((a1 >> 4) & 0x0F0F0F0Fu) | (((hi >> 6) & 0x03030303u) << 4);
    for (int k = 0; k < 16; ++k) sc[k] = (int8_t)(((const uint8_t *)packed)[k] - 32);
    const __m256i hm = _mm256_loadu_si256((const __m256i *)wb);
    for (int half = 0; half < 2; ++half) {
        const __m256i q = _mm256_loadu_si256((const __m256i *)(wb + 32 + 32 * half));
        for (int j = 0; j < 4; ++j) {
            const __m256i low = _mm256_and_si256(_mm256_srl_epi16(q, _mm_cvtsi32_si128(2 * j)), m2);
            const __m256i high = _mm256_and_si256(_mm256_srl_epi16(hm, _mm_cvtsi32_si128(4 * half + j)), one);
            codes[4 * half + j] = _mm256_or_si256(low, _mm256_slli_epi16(high, 2));
        }
    }
}

/// Q2_K (84-byte blocks scales[16], qs[64], d:f16, dmin:f16): bits 2j of qs[32·half + l] are
/// weight 128·half + 32·j + l (codes 0…3).
AVX2 INLINE void q2_K_codes(const uint8_t *wb, __m256i codes[8]) {
    const __m256i m2 = _mm256_set1_epi8(3);
    for (int half = 0; half < 2; ++half) {
        const __m256i q = _mm256_loadu_si256((const __m256i *)(wb + 16 + 32 * half));
        for (int j = 0; j < 4; ++j) codes[4 * half + j] = _mm256_and_si256(_mm256_srl_epi16(q, _mm_cvtsi32_si128(2 * j)), m2);
    }
}

/// The K-quant types, and their block sizes.
enum { K_Q4, K_Q5, K_Q6, K_Q3, K_Q2 };
static const int k_block_bytes[] = {144, 176, 210, 110, 84};

/// A Q6_K, Q3_K or Q2_K block (scales per 16 weights): its codes, the sixteen scales, and the f32
/// scales (`dmin` 0 without mins); returns, as sixteen int16, what meets the activation block's
/// per-16 sums for the term taken off: the scales for Q6_K/Q3_K, whose codes carry an offset, or
/// Q2_K's mins.
AVX2 INLINE __m256i k16_block(int kind, const uint8_t *wb, __m256i codes[8], int8_t sc[16], float *d, float *dmin) {
    if (kind == K_Q2) {
        q2_K_codes(wb, codes);
        const __m128i packed = _mm_loadu_si128((const __m128i *)wb), m4 = _mm_set1_epi8(0xF);
        _mm_storeu_si128((__m128i *)sc, _mm_and_si128(packed, m4));
        *d = half_to_float(wb + 80);
        *dmin = half_to_float(wb + 82);
        return _mm256_cvtepu8_epi16(_mm_and_si128(_mm_srli_epi16(packed, 4), m4));
    }
    *dmin = 0;
    if (kind == K_Q6) {
        q6_K_codes(wb, codes);
        memcpy(sc, wb + 192, 16);
        *d = half_to_float(wb + 208);
        return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(wb + 192)));
    }
    q3_K_codes(wb, codes, sc);
    *d = half_to_float(wb + 108);
    return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)sc));
}

/// The AVX2 row-by-row products (quant_avx2.c); the AVX-512 kernels hand them leftover tokens.
#define DECLARE_ROWS(name)                                                                         \
    INTERNAL void smol_ck_rows_##name(const void *w, long wstride, int rows, const void *a, long astride, int tokens, \
                                      int blocks, float *y, long ldy);
DECLARE_ROWS(q8_0_q8_0)
DECLARE_ROWS(q4_0_q8_0)
DECLARE_ROWS(q5_0_q8_0)
DECLARE_ROWS(q4_1_q8_1)
DECLARE_ROWS(q5_1_q8_1)
DECLARE_ROWS(q2_K_q8_K)
DECLARE_ROWS(q3_K_q8_K)
DECLARE_ROWS(q4_K_q8_K)
DECLARE_ROWS(q5_K_q8_K)
DECLARE_ROWS(q6_K_q8_K)

/// One-token products with AVX-512 VNNI (quant_decode_avx512.c): `y[r] = dot(row r, a)`.
INTERNAL void smol_ck_decode512_q6_K_q8_K(const void *w, long wstride, int rows, const void *a, int blocks, float *y);
INTERNAL void smol_ck_decode512_q8_0_q8_0(const void *w, long wstride, int rows, const void *a, int blocks, float *y);
INTERNAL void smol_ck_decode512_q4_0_q8_0(const void *w, long wstride, int rows, const void *a, int blocks, float *y);
INTERNAL void smol_ck_decode512_q5_0_q8_0(const void *w, long wstride, int rows, const void *a, int blocks, float *y);
INTERNAL void smol_ck_decode512_q4_1_q8_1(const void *w, long wstride, int rows, const void *a, int blocks, float *y);
INTERNAL void smol_ck_decode512_q5_1_q8_1(const void *w, long wstride, int rows, const void *a, int blocks, float *y);

#endif
