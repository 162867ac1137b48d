// OpenBLAS core selection fix-up (see `smol_ck_fix_openblas_core` in include/ckernels.h).
#define _GNU_SOURCE
#include "ckernels.h"
#include <string.h>
#include <stdlib.h>
#if defined(__linux__)
#include <dlfcn.h>
#endif

int smol_ck_fix_openblas_core(void) {
#if defined(__linux__) && (defined(__x86_64__) || defined(__i386__))
    if (getenv("OPENBLAS_CORETYPE")) return 0;  // the user chose
    char *(*corename)(void) = (char *(*)(void))dlsym(RTLD_DEFAULT, "openblas_get_corename");
    void (*dyn_init)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "gotoblas_dynamic_init");
    void (*dyn_quit)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "gotoblas_dynamic_quit");
    if (!corename || !dyn_init || !dyn_quit) return 0;  // not a DYNAMIC_ARCH build
    const char *name = corename();
    // Older OpenBLAS releases do not recognise newer CPU models (seen here: Sapphire Rapids under a
    // hypervisor) and fall back to the SSE3 "Prescott" kernels, 3x slower than their AVX-512 ones.
    if (!name || (strcasecmp(name, "prescott") != 0 && strcasecmp(name, "core2") != 0 &&
                  strcasecmp(name, "nehalem") != 0 && strcasecmp(name, "sandybridge") != 0)) return 0;
    __builtin_cpu_init();
    const char *want = NULL;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq")) want = "SkylakeX";
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) want = "Haswell";
    if (!want) return 0;
    setenv("OPENBLAS_CORETYPE", want, 0);
    dyn_quit();
    dyn_init();
    unsetenv("OPENBLAS_CORETYPE");
    return 1;
#else
    return 0;
#endif
}
