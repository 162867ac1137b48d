// The innermost products, for x86-64, where a benchmark showed the Swift kernels fall short (Swift
// cannot choose the vector width at run time or reach `vpdpbusd`): quantized dot products built
// on ggml's AVX2 kernels but summing each block exactly (so an AVX-512 prompt tile can carry
// sixteen tokens per register), equal to SmolCore's Swift kernels bit for bit, their
// prompt-processing products (AVX2, or AVX-512 VNNI when present, still bit-identical), and
// F16/BF16 prompt tiles. Everything else stays in Swift. `smol_ck_has_avx2()` reports whether any entry point may be
// called on this CPU; on other CPUs and architectures it returns 0 and callers use the Swift kernels.
//
// Files: cpu.c (feature checks), quant_avx2.c (dots and their row-by-row products),
// quant_gemm_avx512.c (quantized prompt tiles), quant_decode_avx512.c (Q6_K decode rows),
// dense_gemm.c (F16/BF16 prompt tiles), openblas_core.c (OpenBLAS kernel selection); simd.h holds
// what they share.
#pragma once
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when the CPU has AVX2, FMA and F16C (checked once), else 0.
int smol_ck_has_avx2(void);

/// Σ over `blocks` Q8_0 weight blocks (34 B) × Q8_0 activation blocks (34 B).
float smol_ck_dot_q8_0_q8_0(const void *w, const void *a, int blocks);
/// Σ over `blocks` Q4_K weight blocks (144 B) × Q8_K activation blocks (292 B).
float smol_ck_dot_q4_K_q8_K(const void *w, const void *a, int blocks);
/// Σ over `blocks` Q6_K weight blocks (210 B) × Q8_K activation blocks (292 B).
float smol_ck_dot_q6_K_q8_K(const void *w, const void *a, int blocks);
/// Σ over `blocks` Q4_0 weight blocks (18 B) × Q8_0 activation blocks (34 B).
float smol_ck_dot_q4_0_q8_0(const void *w, const void *a, int blocks);
/// Σ over `blocks` Q4_1 weight blocks (20 B) × Q8_1 activation blocks (36 B).
float smol_ck_dot_q4_1_q8_1(const void *w, const void *a, int blocks);
/// Σ over `blocks` Q5_K weight blocks (176 B) × Q8_K activation blocks (292 B).
float smol_ck_dot_q5_K_q8_K(const void *w, const void *a, int blocks);
/// Σ over `blocks` Q3_K weight blocks (110 B) × Q8_K activation blocks (292 B).
float smol_ck_dot_q3_K_q8_K(const void *w, const void *a, int blocks);
/// Σ over `blocks` Q2_K weight blocks (84 B) × Q8_K activation blocks (292 B).
float smol_ck_dot_q2_K_q8_K(const void *w, const void *a, int blocks);
/// Σ over `blocks` Q5_0 weight blocks (22 B) × Q8_0 activation blocks (34 B).
float smol_ck_dot_q5_0_q8_0(const void *w, const void *a, int blocks);
/// Σ over `blocks` Q5_1 weight blocks (24 B) × Q8_1 activation blocks (36 B).
float smol_ck_dot_q5_1_q8_1(const void *w, const void *a, int blocks);

/// Several rows × several activation rows: `y[t * ldy + r] = dot(row r, activation t)` for
/// r < rows, t < tokens, bit for bit. Rows are `wstride` bytes apart, activations `astride` bytes
/// apart. Weight blocks are unpacked once and reused across four (AVX2) or all (AVX-512, sixteen
/// per register) activation rows; one activation row (decode) takes four weight rows at a time
/// where that measured faster (the 32-weight block types), or AVX-512 rows (Q6_K).
void smol_ck_gemm_q8_0_q8_0(const void *w, long wstride, int rows, const void *a, long astride, int tokens,
                            int blocks, float *y, long ldy);
void smol_ck_gemm_q4_K_q8_K(const void *w, long wstride, int rows, const void *a, long astride, int tokens,
                            int blocks, float *y, long ldy);
void smol_ck_gemm_q6_K_q8_K(const void *w, long wstride, int rows, const void *a, long astride, int tokens,
                            int blocks, float *y, long ldy);
void smol_ck_gemm_q4_0_q8_0(const void *w, long wstride, int rows, const void *a, long astride, int tokens,
                            int blocks, float *y, long ldy);
void smol_ck_gemm_q4_1_q8_1(const void *w, long wstride, int rows, const void *a, long astride, int tokens,
                            int blocks, float *y, long ldy);
void smol_ck_gemm_q5_K_q8_K(const void *w, long wstride, int rows, const void *a, long astride, int tokens,
                            int blocks, float *y, long ldy);
void smol_ck_gemm_q3_K_q8_K(const void *w, long wstride, int rows, const void *a, long astride, int tokens,
                            int blocks, float *y, long ldy);
void smol_ck_gemm_q5_0_q8_0(const void *w, long wstride, int rows, const void *a, long astride, int tokens,
                            int blocks, float *y, long ldy);
void smol_ck_gemm_q2_K_q8_K(const void *w, long wstride, int rows, const void *a, long astride, int tokens,
                            int blocks, float *y, long ldy);
void smol_ck_gemm_q5_1_q8_1(const void *w, long wstride, int rows, const void *a, long astride, int tokens,
                            int blocks, float *y, long ldy);

/// 1 when the CPU also has AVX-512 F/BW/VL/DQ (checked once), else 0.
int smol_ck_has_avx512(void);

/// 1 when the CPU also has AVX-512 VNNI (checked once): the Q8_0 prompt kernel's fast path.
int smol_ck_has_avx512_vnni(void);

/// `y[t * ldy + r] = Σ_k W[r, k] · x[t * xstride + k]` for `rows` F16 (or BF16) weight rows `wstride`
/// bytes apart and `tokens` f32 activation rows, widening the weights in registers (prompt
/// processing). `cols` must be a multiple of 16. Requires `smol_ck_has_avx2()`.
void smol_ck_gemm_f16(const void *w, long wstride, int rows, const float *x, long xstride, int tokens, int cols,
                      float *y, long ldy);
void smol_ck_gemm_bf16(const void *w, long wstride, int rows, const float *x, long xstride, int tokens, int cols,
                       float *y, long ldy);

/// Re-selects OpenBLAS's kernels when its run-time CPU detection fell back to an SSE-era core on a
/// CPU with AVX2/AVX-512 (an OpenBLAS too old to know the CPU model), as `OPENBLAS_CORETYPE` would.
/// Must run before the first BLAS call. Returns 1 when it switched, 0 when nothing was needed or possible.
int smol_ck_fix_openblas_core(void);

#ifdef __cplusplus
}
#endif

/// How far ahead of the bytes being multiplied the kernels ask for weights. A decode step streams
/// gigabytes of weights once; the hardware prefetcher alone keeps too few lines in flight to
/// overlap the memory latency with the arithmetic, and a kernel that waits for each line reaches
/// only ~60% of the read bandwidth (measured: Q8_0 mat-vec 15.7 → 25.5 GB/s on 2 threads, with a
/// plain read loop at 26). 4 KB is where the gain levels off on x86-64 (2–16 KB measured).
#define SMOL_CK_PREFETCH_BYTES 4096

/// A software prefetch of the cache line holding `p` into all cache levels; never faults. (Swift
/// callers use LLVM's intrinsic instead: see SmolCore/Prefetch.swift.)
static inline __attribute__((always_inline)) void smol_ck_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

/// A spin-wait hint (`pause` on x86-64, `yield` on arm64).
static inline void smol_ck_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}
