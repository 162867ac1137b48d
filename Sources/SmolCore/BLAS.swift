import CKernels
import COpenBLAS
#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS entry points for the products where a plain sgemm is the fast way: F32 (and fallback
/// F16/BF16) weights in prompt processing, and attention over long prompts or long caches.
///
/// OpenBLAS runs single-threaded: the parallelism comes from `WorkerPool`, each thread calling
/// sgemm on its own rows (weight tiles widened into its own scratch, or its own attention heads).
/// Letting OpenBLAS start its own threads inside pool chunks would oversubscribe the cores.
public enum BLAS {
    /// One-time set-up before the first product: OpenBLAS's kernels re-selected for this CPU
    /// (`selectCPUKernels`) and OpenBLAS single-threaded. `SMOL_BLAS_CORE_FIX=0` keeps OpenBLAS's
    /// own kernel choice.
    static let configured: Bool = {
        if getenv("SMOL_BLAS_CORE_FIX").map({ String(cString: $0) }) != "0" { selectCPUKernels() }
        openblas_set_num_threads(1)
        return true
    }()

    /// Products smaller than this many weights (the bundled tiny model's) skip sgemm and use our own
    /// dot products, so recorded outputs do not depend on which sgemm kernels OpenBLAS picks for the
    /// machine and replay identically anywhere.
    public static let smallProductElements = 1 << 20

    /// Re-selects OpenBLAS's kernels for this CPU when its detection fell back to an SSE-era core
    /// (`smol_ck_fix_openblas_core`): Debian's OpenBLAS 0.3.21 takes a Sapphire Rapids VM for a
    /// "Prescott" and runs SSE3 sgemm, about 3x slower than its SkylakeX (AVX-512) kernels on the F16
    /// prompt. A user's own `OPENBLAS_CORETYPE` is respected. Returns whether the kernels were switched.
    @discardableResult
    public static func selectCPUKernels() -> Bool { smol_ck_fix_openblas_core() != 0 }

    /// The kernel family OpenBLAS runs (e.g. "SkylakeX").
    public static var coreName: String {
        _ = configured
        return String(cString: openblas_get_corename())
    }

    /// `C[m, n] = alpha · A[m, k] · op(B)`, all row-major with explicit leading dimensions: op(B) is
    /// Bᵀ for B stored `[n, k]` (`transposeB`), else B stored `[k, n]`.
    public static func gemm(_ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
                            _ c: UnsafeMutablePointer<Float>, ldc: Int, m: Int, n: Int, k: Int, alpha: Float = 1) {
        _ = configured
        cblas_sgemm(CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
    }

    /// `C[m, n] = A[m, k] · B[n, k]ᵀ` (all row-major; `ldb`/`ldc` default to dense strides).
    public static func gemmABt(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                               m: Int, n: Int, k: Int, ldb: Int? = nil, ldc: Int? = nil) {
        gemm(a, lda: k, b, ldb: ldb ?? k, transposeB: true, c, ldc: ldc ?? n, m: m, n: n, k: k)
    }


    /// Rows of widened weights per sgemm call: about 4 MiB of f32, at least 64 rows. Larger tiles
    /// amortise sgemm's packing of the activations (measured on the 3B F16 prompt, 2 threads, SkylakeX
    /// kernels: 1 MiB tiles 12.8 tok/s, 1.5 MiB 13.4, 4 MiB 14.2, 8 MiB 14.3).
    static func tileRows(cols: Int) -> Int {
        max(64, min(1024, (4 << 20) / max(1, cols * 4)) & ~7)
    }

    /// `y[t, r] = Σ_k x[t, k] · W[r, k]` for `count` activation rows and `rows` weight rows, where
    /// `widen(r, dst)` writes weight row `r` as `cols` f32 values. Rows are split across the pool;
    /// each thread widens a tile of its rows at a time and multiplies it with single-threaded sgemm.
    public static func widenedProduct(_ x: UnsafePointer<Float>, count: Int, rows: Int, cols: Int,
                                      into y: UnsafeMutablePointer<Float>,
                                      widen: (Int, UnsafeMutablePointer<Float>) -> Void) {
        let tile = tileRows(cols: cols)
        Parallel.forRanges(rows, grain: tile) { range in
            let scratch = ScratchArena.current.buffer(.tile, bytes: min(tile, range.count) * cols * 4)
                .assumingMemoryBound(to: Float.self)
            var r0 = range.lowerBound
            while r0 < range.upperBound {
                let n = min(tile, range.upperBound - r0)
                for r in 0..<n { widen(r0 + r, scratch + r * cols) }
                gemmABt(x, scratch, y + r0, m: count, n: n, k: cols, ldc: rows)
                r0 += n
            }
        }
    }

    /// `y[t, r] = Σ_k x[t, k] · W[r, k]` for an f32 weight matrix, rows split across the pool.
    public static func product(_ x: UnsafePointer<Float>, count: Int, weights: UnsafePointer<Float>, rows: Int, cols: Int,
                               into y: UnsafeMutablePointer<Float>) {
        let p = UncheckedSendable((x, weights, y))
        Parallel.forRanges(rows, grain: 64) { range in
            let (x, w, y) = p.value
            gemmABt(x, w + range.lowerBound * cols, y + range.lowerBound, m: count, n: range.count, k: cols, ldc: rows)
        }
    }
}
