import COpenBLAS

/// OpenBLAS entry points used for prompt processing, where weights are reused across tokens and
/// the work is compute-bound.
public enum BLAS {
    /// `C[m, n] = A[m, k] · B[n, k]ᵀ` (all row-major; `ldb`/`ldc` default to dense strides).
    public static func gemmABt(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                               m: Int, n: Int, k: Int, ldb: Int? = nil, ldc: Int? = nil) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), 1,
                    a, Int32(k), b, Int32(ldb ?? k), 0, c, Int32(ldc ?? n))
    }

    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
}
