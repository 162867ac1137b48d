import CKernels

/// LLVM's prefetch intrinsic, reached directly: the C header's inline `smol_ck_prefetch` is not
/// inlined into Swift callers (measured: a real call plus `vzeroupper` per cache line, ~5% of an F16
/// prompt), while the intrinsic becomes a single `prefetcht0`.
@_silgen_name("llvm.prefetch.p0")
private func llvmPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ dataCache: Int32)

/// Asks for the cache line `CKernels`' prefetch distance (`SMOL_CK_PREFETCH_BYTES`) ahead of `p`:
/// weight streams are read once per token and the hardware prefetcher alone leaves the kernels
/// waiting on memory.
@inline(__always)
func prefetchAhead(_ p: UnsafeRawPointer) {
    llvmPrefetch(p + Int(SMOL_CK_PREFETCH_BYTES), 0, 3, 1)
}

/// Asks for the cache line holding `p`.
@inline(__always)
func prefetchLine(_ p: UnsafeRawPointer) {
    llvmPrefetch(p, 0, 3, 1)
}
