// Run-time CPU feature checks (each done once) that choose between the kernel variants.
#include "ckernels.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>

int smol_ck_has_avx2(void) {
    static int cached = -1;
    if (cached >= 0) return cached;
    unsigned a, b, c, d;
    int ok = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (ok && __get_cpuid(1, &a, &b, &c, &d)) ok = (c >> 29) & 1;  // F16C
    else ok = 0;
    cached = ok;
    return ok;
}

int smol_ck_has_avx512(void) {
    static int cached = -1;
    if (cached < 0) cached = smol_ck_has_avx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                             __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
    return cached;
}

int smol_ck_has_avx512_vnni(void) {
    static int cached = -1;
    if (cached < 0) cached = smol_ck_has_avx512() && __builtin_cpu_supports("avx512vnni");
    return cached;
}

#else

int smol_ck_has_avx2(void) { return 0; }
int smol_ck_has_avx512(void) { return 0; }
int smol_ck_has_avx512_vnni(void) { return 0; }
#endif
