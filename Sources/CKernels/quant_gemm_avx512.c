// Prompt-processing products of quantized weights with AVX-512 VNNI, bit-identical to the AVX2 and
// Swift kernels of the same types, with sixteen tokens across the vector lanes: the 32-weight block
// types (Q8_0, Q4_0, Q5_0, Q4_1, Q5_1) and the K-quants (Q2_K … Q6_K).
// Chosen at run time; without AVX-512 VNNI the AVX2 kernels run.
#include "simd.h"
#include <stdlib.h>

#if defined(__x86_64__) || defined(_M_X64)

/// Grow-only scratch owned by the calling thread (the worker pool's threads live as long as the process).
static void *thread_scratch(size_t bytes) {
    static _Thread_local void *buffer;
    static _Thread_local size_t capacity;
    if (capacity < bytes) {
        free(buffer);
        capacity = (bytes + 4095) & ~(size_t)4095;
        buffer = aligned_alloc(64, capacity);
    }
    return buffer;
}

/// Tokens in group `g` of sixteen (the last group may be partial; its other lanes are padding).
static inline int group_tokens(int tokens, int g) { return tokens - 16 * g < 16 ? tokens - 16 * g : 16; }

// ---------------------------------------------------------------------------------------------
// The 32-weight block types (Q8_0, Q4_0, Q5_0 against Q8_0 activations; Q4_1, Q5_1 against Q8_1)
// with AVX-512 VNNI, sixteen tokens across the lanes: lane t of an accumulator is token t, and one
// `vpdpbusd` multiplies four bytes of one weight row (broadcast from memory) by four bytes of each
// of the sixteen tokens. Eight make a block's exact integer dot for 16 tokens, and the block costs
// one convert and one FMA more: about 10 instructions per 512 multiply-adds, against ~4 per 64
// when the lanes run along the row. Every kernel of these types scales per block into one f32 per
// token (`fma(d_w·d_a, dot, acc)`, plus `m·s` for the types with a min), so results stay
// bit-identical.

/// One activation block of sixteen rows, rearranged once per product: `quants[k]` holds bytes
/// 4k…4k+3 of every row (lane t = row t) made unsigned (+128, an XOR) for `vpdpbusd`; `d` their
/// scales, `s` their Q8_1 sums `d·Σq` (the min term's operand).
typedef struct {
    uint8_t quants[8][64];
    float d[16], s[16];
} __attribute__((aligned(64))) Q8Lanes;

/// `q8_1`: 36-byte Q8_1 blocks (d, s, qs) instead of 34-byte Q8_0 ones (d, qs). Rows past
/// `tokens` are zeros with scale 0, so they add exactly nothing.
A512BW static void q8_lanes(int q8_1, const uint8_t *a, long astride, int tokens, int blocks, Q8Lanes *out) {
    const int blockBytes = q8_1 ? 36 : Q8_0_BYTES, quants = q8_1 ? 4 : 2;
    for (int b = 0; b < blocks; ++b)
        for (int t = 0; t < 16; ++t) {
            const uint8_t *ab = a + t * astride + (long)b * blockBytes;
            out[b].d[t] = t < tokens ? half_to_float(ab) : 0;
            out[b].s[t] = t < tokens && q8_1 ? half_to_float(ab + 2) : 0;
            for (int k = 0; k < 8; ++k) {
                uint32_t q = 0;
                if (t < tokens) memcpy(&q, ab + quants + 4 * k, 4);
                q ^= 0x80808080u;
                memcpy(&out[b].quants[k][4 * t], &q, 4);
            }
        }
}

/// A panel of weight rows, prepared once for all its token groups: every block's 32 weights as
/// bytes (`block32_codes`), its f32 scale and min, and −128·Σq, which cancels the activations' +128
/// (Σ(a+128)·q − 128·Σq = Σa·q).
typedef struct {
    int8_t q[32];
    float d, m;
    int32_t bias;
} Q8RowBlock;

A512BW static void q8_row_blocks(int kind, const uint8_t *w, int blocks, Q8RowBlock *out) {
    for (int b = 0; b < blocks; ++b) {
        const uint8_t *wb = w + (long)b * block32_bytes[kind];
        prefetch_block(wb, block32_bytes[kind]);
        const __m256i q = block32_codes(kind, wb);
        _mm256_storeu_si256((__m256i *)out[b].q, q);
        const __m256i sums = _mm256_sad_epu8(_mm256_xor_si256(q, _mm256_set1_epi8((char)0x80)), _mm256_setzero_si256());
        const int unsignedSum = hsum_i32_8(sums);  // Σ(q + 128): the high halves of the 64-bit sums are 0
        out[b].d = half_to_float(wb);
        out[b].m = kind >= B32_Q4_1 ? half_to_float(wb + 2) : 0;
        out[b].bias = -128 * (unsignedSum - 32 * 128);
    }
}

/// Rows per panel (measured, 3B Q8_0 pp64 on 2 threads: 8 rows 82 tok/s, 12 rows 76, 16 rows 76).
#define Q8_PANEL 8

/// RM weight rows × 16 tokens over every block; `y[t * ldy + i]` for the first `tokens` tokens.
/// `withMin`: add `m·s` per block (Q4_1, Q5_1), accumulated apart as the AVX2 kernel does.
A512VNNI INLINE void q8_lanes_tile(int withMin, int RM, const Q8RowBlock *rb, const Q8Lanes *acts, int blocks,
                                   int tokens, float *y, long ldy) {
    __m512 acc[Q8_PANEL], mins[Q8_PANEL];
    for (int i = 0; i < RM; ++i) acc[i] = mins[i] = _mm512_setzero_ps();
    for (int b = 0; b < blocks; ++b) {
        __m512i qa[8];
        for (int k = 0; k < 8; ++k) qa[k] = _mm512_load_si512(acts[b].quants[k]);
        const __m512 da = _mm512_load_ps(acts[b].d);
        for (int i = 0; i < RM; ++i) {
            const Q8RowBlock *r = &rb[i * blocks + b];
            __m512i dot = _mm512_set1_epi32(r->bias);
            for (int k = 0; k < 8; ++k) {
                int32_t four;
                memcpy(&four, r->q + 4 * k, 4);
                dot = _mm512_dpbusd_epi32(dot, qa[k], _mm512_set1_epi32(four));
            }
            acc[i] = _mm512_fmadd_ps(_mm512_mul_ps(_mm512_set1_ps(r->d), da), _mm512_cvtepi32_ps(dot), acc[i]);
            if (withMin) mins[i] = _mm512_add_ps(mins[i], _mm512_mul_ps(_mm512_set1_ps(r->m), _mm512_load_ps(acts[b].s)));
        }
    }
    for (int i = 0; i < RM; ++i) {
        float out[16];
        _mm512_storeu_ps(out, withMin ? _mm512_add_ps(acc[i], mins[i]) : acc[i]);
        for (int t = 0; t < tokens; ++t) y[t * ldy + i] = out[t];
    }
}

/// Panels of Q8_PANEL rows (prepared once, then kept in L1/L2 while every token group passes).
A512VNNI static void q8_gemm512(int kind, const uint8_t *w, long wstride, int rows, const uint8_t *a, long astride,
                                int tokens, int blocks, float *y, long ldy) {
    const int groups = (tokens + 15) / 16, withMin = kind >= B32_Q4_1;
    const size_t actBytes = sizeof(Q8Lanes) * (size_t)groups * (size_t)blocks;
    uint8_t *scratch = (uint8_t *)thread_scratch(actBytes + sizeof(Q8RowBlock) * Q8_PANEL * (size_t)blocks);
    Q8Lanes *acts = (Q8Lanes *)scratch;
    Q8RowBlock *rb = (Q8RowBlock *)(scratch + actBytes);
    for (int g = 0; g < groups; ++g) {
        const int n = group_tokens(tokens, g);
        q8_lanes(withMin, a + 16 * g * astride, astride, n, blocks, acts + g * blocks);
    }
    for (int r = 0; r < rows; r += Q8_PANEL) {
        const int rm = rows - r < Q8_PANEL ? rows - r : Q8_PANEL;
        for (int i = 0; i < rm; ++i) q8_row_blocks(kind, w + (r + i) * wstride, blocks, rb + i * blocks);
        for (int g = 0; g < groups; ++g) {
            const int n = group_tokens(tokens, g);
            float *yt = y + 16 * g * ldy + r;
            // constant arguments, so each call is its own specialised loop nest
            if (rm == Q8_PANEL && withMin) q8_lanes_tile(1, Q8_PANEL, rb, acts + g * blocks, blocks, n, yt, ldy);
            else if (rm == Q8_PANEL) q8_lanes_tile(0, Q8_PANEL, rb, acts + g * blocks, blocks, n, yt, ldy);
            else
                for (int i = 0; i < rm; ++i)
                    q8_lanes_tile(withMin ? 1 : 0, 1, rb + i * blocks, acts + g * blocks, blocks, n, yt + i, ldy);
        }
    }
}

/// `smol_ck_gemm_NAME`: on a CPU with AVX-512 VNNI, the driver `gemm512` for eight or more tokens
/// (a group of sixteen half empty still beats the AVX2 kernels) and `decode512`, where there is one
/// (NULL otherwise), for one token; else the AVX2 products.
#define GEMM512_ENTRY(name, gemm512, kind, decode512)                                              \
    void smol_ck_gemm_##name(const void *w, long wstride, int rows, const void *a, long astride, int tokens, \
                             int blocks, float *y, long ldy) {                                     \
        void (*const decode)(const void *, long, int, const void *, int, float *) = decode512;    \
        if (tokens >= 8 && smol_ck_has_avx512_vnni())                                              \
            gemm512(kind, (const uint8_t *)w, wstride, rows, (const uint8_t *)a, astride, tokens, blocks, y, ldy); \
        else if (tokens == 1 && decode && smol_ck_has_avx512_vnni())                               \
            decode(w, wstride, rows, a, blocks, y);                                                \
        else                                                                                       \
            smol_ck_rows_##name(w, wstride, rows, a, astride, tokens, blocks, y, ldy);             \
    }

GEMM512_ENTRY(q8_0_q8_0, q8_gemm512, B32_Q8_0, smol_ck_decode512_q8_0_q8_0)
GEMM512_ENTRY(q4_0_q8_0, q8_gemm512, B32_Q4_0, smol_ck_decode512_q4_0_q8_0)
GEMM512_ENTRY(q5_0_q8_0, q8_gemm512, B32_Q5_0, smol_ck_decode512_q5_0_q8_0)
GEMM512_ENTRY(q4_1_q8_1, q8_gemm512, B32_Q4_1, smol_ck_decode512_q4_1_q8_1)
GEMM512_ENTRY(q5_1_q8_1, q8_gemm512, B32_Q5_1, smol_ck_decode512_q5_1_q8_1)

// ---------------------------------------------------------------------------------------------
// The K-quants with AVX-512 VNNI, sixteen tokens across the lanes as for Q8_0: a panel's
// weight codes, unpacked to bytes once, are broadcast four at a time against four bytes of each of
// sixteen tokens; a sub-block's `vpdpbusd`s give its exact dot for sixteen tokens, times its scale
// (`vpmulld`) into the block's sum. Per 32 weights × 16 tokens that is 8 multiply instructions + 2
// (Q6_K, Q3_K and Q2_K, scales per 16: + 4), against 16 + 8 in the two-tokens-per-register layout they replace.
// The float operations per token are the AVX2 kernels', in their order, so results stay bit-identical.

/// One Q8_K block of sixteen activation rows: `quants[g]` holds activations 4g…4g+3 of every row
/// (lane t = row t) made unsigned (+128); `pairs[j][t]` row t's per-16 sums 2j and 2j+1 as two
/// int16 (the min/offset term's operand), `d[t]` its scale.
typedef struct {
    uint8_t quants[64][64];
    int32_t pairs[8][16];
    float d[16];
} __attribute__((aligned(64))) K8Lanes;

A512BW static void k8_lanes(const uint8_t *a, long astride, int tokens, int blocks, K8Lanes *out) {
    for (int b = 0; b < blocks; ++b)
        for (int t = 0; t < 16; ++t) {
            const uint8_t *ab = a + t * astride + (long)b * Q8_K_BYTES;
            if (t < tokens) memcpy(&out[b].d[t], ab, 4);
            else out[b].d[t] = 0;
            for (int j = 0; j < 8; ++j) {
                int32_t pair = 0;
                if (t < tokens) memcpy(&pair, ab + 260 + 4 * j, 4);
                out[b].pairs[j][t] = pair;
            }
            for (int g = 0; g < 64; ++g) {
                uint32_t q = 0;
                if (t < tokens) memcpy(&q, ab + 4 + 4 * g, 4);
                q ^= 0x80808080u;
                memcpy(&out[b].quants[g][4 * t], &q, 4);
            }
        }
}

/// One weight block of a panel row, unpacked once for all token groups: its 256 codes in weight
/// order; per sub-block (Q4_K/Q5_K: 8 of 32 weights, Q6_K/Q3_K/Q2_K: 16 of 16) the scale and
/// −128·Σcodes (cancelling the activations' +128); `pair[j]`, two int16 for `vpmaddwd` against
/// `K8Lanes.pairs[j]` (Q4_K/Q5_K: the min of sub-block j twice; Q6_K/Q3_K: the scales of 16-weight
/// groups 2j and 2j+1; Q2_K: their mins); the block's f32 scales.
typedef struct {
    uint8_t codes[256];
    int32_t bias[16], scale[16], pair[8];
    float d, dmin;
} __attribute__((aligned(64))) KRowBlock;

A512BW INLINE int32_t code_sum_bias(__m256i codes, int half) {
    const __m256i sums = _mm256_sad_epu8(codes, _mm256_setzero_si256());  // four 64-bit sums of 8 codes
    const __m128i part = half ? _mm256_extracti128_si256(sums, 1) : _mm256_castsi256_si128(sums);
    return -128 * (_mm_cvtsi128_si32(part) + _mm_extract_epi32(part, 2));
}

A512BW static void k_row_blocks(int kind, const uint8_t *w, int blocks, KRowBlock *out) {
    for (int b = 0; b < blocks; ++b) {
        const uint8_t *wb = w + (long)b * k_block_bytes[kind];
        prefetch_block(wb, k_block_bytes[kind]);
        KRowBlock *k = &out[b];
        __m256i codes[8];  // codes[c]: weights 32c…32c+31
        if (kind == K_Q6 || kind == K_Q3 || kind == K_Q2) {
            int8_t sc[16];
            int16_t term[16];  // what meets the per-16 activation sums
            _mm256_storeu_si256((__m256i *)term, k16_block(kind, wb, codes, sc, &k->d, &k->dmin));
            for (int j = 0; j < 16; ++j) {
                k->scale[j] = sc[j];
                k->bias[j] = code_sum_bias(codes[j / 2], j % 2);
            }
            for (int j = 0; j < 8; ++j) k->pair[j] = (term[2 * j] & 0xFFFF) | term[2 * j + 1] << 16;
        } else {
            k45_codes(kind == K_Q5, wb, codes);
            k->d = half_to_float(wb);
            k->dmin = half_to_float(wb + 2);
            const KScales ks = k_scales(wb + 4);
            for (int j = 0; j < 8; ++j) {
                const int m = (int)(((j < 4 ? ks.mLo : ks.mHi) >> (8 * (j & 3))) & 0xFF);
                k->scale[j] = (int)(((j < 4 ? ks.scLo : ks.scHi) >> (8 * (j & 3))) & 0xFF);
                k->bias[j] = code_sum_bias(codes[j], 0) + code_sum_bias(codes[j], 1);
                k->pair[j] = m | m << 16;
            }
        }
        for (int c = 0; c < 8; ++c) _mm256_store_si256((__m256i *)(k->codes + 32 * c), codes[c]);
    }
}

/// Rows per panel: each sub-block's activation registers serve this many rows (measured, 3B
/// Q4_K_M pp64 on 2 threads: 2 rows 54 tok/s, 4 rows 55, 6 rows 63–66, 7 rows 58, 8 rows 62–65;
/// 6 rows' sums, accumulators and min terms plus the activations fill 26 of the 32 registers).
#define K_PANEL 6

/// `dot` of `n4` groups of four codes at `codes` against the activation registers `qa`.
A512VNNI INLINE __m512i k_dot(__m512i dot, const __m512i *qa, const uint8_t *codes, int n4) {
    for (int k = 0; k < n4; ++k) {
        int32_t four;
        memcpy(&four, codes + 4 * k, 4);
        dot = _mm512_dpbusd_epi32(dot, qa[k], _mm512_set1_epi32(four));
    }
    return dot;
}

/// RM panel rows × 16 tokens over every block (`kind` K_Q6, K_Q3, K_Q2, or K_Q4 for both Q4_K and
/// Q5_K, whose codes differ only in the unpacking). Each 32 weights' activations stay in registers
/// while the panel's rows pass. Q4_K/Q5_K (Q2_K, per 16): out = Σ fma(d_a·d, Σ sc·dot, ·) −
/// Σ d_a·dmin·(Σ m·bsums); Q6_K (Q3_K): out = Σ fma(d_a·d, Σ sc·dot, ·) − Σ d_a·d·(32 (4)·Σ sc·bsums).
A512VNNI INLINE void k_lanes_tile(int kind, int RM, const KRowBlock *rb, const K8Lanes *acts, int blocks, int tokens,
                                  float *y, long ldy) {
    __m512 acc[K_PANEL], minus[K_PANEL];
    for (int i = 0; i < RM; ++i) acc[i] = minus[i] = _mm512_setzero_ps();
    for (int b = 0; b < blocks; ++b) {
        const K8Lanes *q = &acts[b];
        __m512i sum[K_PANEL];
        for (int i = 0; i < RM; ++i) sum[i] = _mm512_setzero_si512();
        for (int c = 0; c < 8; ++c) {
            __m512i qa[8];
            for (int k = 0; k < 8; ++k) qa[k] = _mm512_load_si512(q->quants[8 * c + k]);
            for (int i = 0; i < RM; ++i) {
                const KRowBlock *kb = &rb[i * blocks + b];
                if (kind != K_Q4)
                    for (int h = 0; h < 2; ++h) {
                        const int j = 2 * c + h;
                        const __m512i dot = k_dot(_mm512_set1_epi32(kb->bias[j]), qa + 4 * h, kb->codes + 16 * j, 4);
                        sum[i] = _mm512_add_epi32(sum[i], _mm512_mullo_epi32(dot, _mm512_set1_epi32(kb->scale[j])));
                    }
                else {
                    const __m512i dot = k_dot(_mm512_set1_epi32(kb->bias[c]), qa, kb->codes + 32 * c, 8);
                    sum[i] = _mm512_add_epi32(sum[i], _mm512_mullo_epi32(dot, _mm512_set1_epi32(kb->scale[c])));
                }
            }
        }
        const __m512 da = _mm512_load_ps(q->d);
        for (int i = 0; i < RM; ++i) {
            const KRowBlock *kb = &rb[i * blocks + b];
            __m512i psum = _mm512_setzero_si512();
            for (int j = 0; j < 8; ++j)
                psum = _mm512_add_epi32(psum, _mm512_madd_epi16(_mm512_load_si512(q->pairs[j]), _mm512_set1_epi32(kb->pair[j])));
            const __m512 d = _mm512_mul_ps(da, _mm512_set1_ps(kb->d));
            acc[i] = _mm512_fmadd_ps(d, _mm512_cvtepi32_ps(sum[i]), acc[i]);
            const __m512 term = kind == K_Q6   ? _mm512_mul_ps(d, _mm512_cvtepi32_ps(_mm512_slli_epi32(psum, 5)))
                                : kind == K_Q3 ? _mm512_mul_ps(d, _mm512_cvtepi32_ps(_mm512_slli_epi32(psum, 2)))
                                               : _mm512_mul_ps(_mm512_mul_ps(da, _mm512_set1_ps(kb->dmin)), _mm512_cvtepi32_ps(psum));
            minus[i] = _mm512_add_ps(minus[i], term);
        }
    }
    for (int i = 0; i < RM; ++i) {
        float out[16];
        _mm512_storeu_ps(out, _mm512_sub_ps(acc[i], minus[i]));
        for (int t = 0; t < tokens; ++t) y[t * ldy + i] = out[t];
    }
}

A512VNNI static void k_gemm512(int kind, const uint8_t *w, long wstride, int rows, const uint8_t *a, long astride,
                               int tokens, int blocks, float *y, long ldy) {
    const int groups = (tokens + 15) / 16;
    const size_t actBytes = sizeof(K8Lanes) * (size_t)groups * (size_t)blocks;
    uint8_t *scratch = (uint8_t *)thread_scratch(actBytes + sizeof(KRowBlock) * K_PANEL * (size_t)blocks);
    K8Lanes *acts = (K8Lanes *)scratch;
    KRowBlock *rb = (KRowBlock *)(scratch + actBytes);
    for (int g = 0; g < groups; ++g) {
        const int n = group_tokens(tokens, g);
        k8_lanes(a + 16 * g * astride, astride, n, blocks, acts + g * blocks);
    }
    for (int r = 0; r < rows; r += K_PANEL) {
        const int rm = rows - r < K_PANEL ? rows - r : K_PANEL;
        for (int i = 0; i < rm; ++i) k_row_blocks(kind, w + (r + i) * wstride, blocks, rb + i * blocks);
        for (int g = 0; g < groups; ++g) {
            const int n = group_tokens(tokens, g);
            float *yt = y + 16 * g * ldy + r;
            // constant arguments, so each call is its own specialised loop nest
            if (rm == K_PANEL) {
                if (kind == K_Q6) k_lanes_tile(K_Q6, K_PANEL, rb, acts + g * blocks, blocks, n, yt, ldy);
                else if (kind == K_Q3) k_lanes_tile(K_Q3, K_PANEL, rb, acts + g * blocks, blocks, n, yt, ldy);
                else if (kind == K_Q2) k_lanes_tile(K_Q2, K_PANEL, rb, acts + g * blocks, blocks, n, yt, ldy);
                else k_lanes_tile(K_Q4, K_PANEL, rb, acts + g * blocks, blocks, n, yt, ldy);
            } else
                for (int i = 0; i < rm; ++i)
                    k_lanes_tile(kind == K_Q5 ? K_Q4 : kind, 1, rb + i * blocks, acts + g * blocks, blocks, n, yt + i, ldy);
        }
    }
}

GEMM512_ENTRY(q4_K_q8_K, k_gemm512, K_Q4, NULL)
GEMM512_ENTRY(q5_K_q8_K, k_gemm512, K_Q5, NULL)
GEMM512_ENTRY(q6_K_q8_K, k_gemm512, K_Q6, smol_ck_decode512_q6_K_q8_K)
GEMM512_ENTRY(q3_K_q8_K, k_gemm512, K_Q3, NULL)
GEMM512_ENTRY(q2_K_q8_K, k_gemm512, K_Q2, NULL)

#else  // not x86-64: never called (smol_ck_has_avx2() is 0)

#define STUB(name)                                                                                 \
    void smol_ck_gemm_##name(const void *w, long wstride, int rows, const void *a, long astride, int tokens, \
                             int blocks, float *y, long ldy) {                                     \
        (void)w; (void)wstride; (void)rows; (void)a; (void)astride; (void)tokens; (void)blocks; (void)y; (void)ldy; \
    }
STUB(q8_0_q8_0)
STUB(q4_0_q8_0)
STUB(q4_1_q8_1)
STUB(q5_0_q8_0)
STUB(q5_1_q8_1)
STUB(q4_K_q8_K)
STUB(q5_K_q8_K)
STUB(q6_K_q8_K)
STUB(q3_K_q8_K)
STUB(q2_K_q8_K)
#endif
