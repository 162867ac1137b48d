import Foundation

/// `rope_scaling` from config.json. Only YaRN is used by SmolLM3 (opt-in past 64k tokens).
public struct RopeScaling: Sendable, Equatable, CustomStringConvertible {
    public var factor: Double
    public var originalMaxPositions: Int
    public var betaFast: Double = 32
    public var betaSlow: Double = 1
    public var attentionFactor: Double?
    public var mscale: Double?
    public var mscaleAllDim: Double?
    public var truncate: Bool = true

    public var description: String { "yarn x\(factor.formatted()) from \(originalMaxPositions)" }
}

/// The rotation table of one RoPE configuration, shared by every RoPE layer.
///
/// Built the way transformers builds it (inverse frequencies in f32, YaRN's ramp between
/// interpolated and extrapolated frequencies, cos/sin scaled by the attention factor), so RoPE
/// layers match it to rounding.
public struct RoPE: Sendable, Equatable {
    public let theta: Double
    public let scaling: RopeScaling?
    public let headDim: Int
    /// `inv_freq[i]` for the `headDim / 2` rotation pairs.
    public let inverseFrequencies: [Float]
    /// Multiplies cos and sin (1 without YaRN).
    public let attentionScaling: Float

    public init(theta: Double, headDim: Int, scaling: RopeScaling?) {
        self.theta = theta
        self.headDim = headDim
        self.scaling = scaling
        let half = headDim / 2
        let base = (0..<half).map { i in Float(pow(theta, Double(Float(2 * i) / Float(headDim)))) }
        guard let s = scaling else {
            inverseFrequencies = base.map { 1 / $0 }
            attentionScaling = 1
            return
        }
        func mscale(_ scale: Double, _ m: Double = 1) -> Double { scale <= 1 ? 1 : 0.1 * m * log(scale) + 1 }
        if let a = s.attentionFactor {
            attentionScaling = Float(a)
        } else if let m = s.mscale, let mAll = s.mscaleAllDim, m != 0, mAll != 0 {
            attentionScaling = Float(mscale(s.factor, m) / mscale(s.factor, mAll))
        } else {
            attentionScaling = Float(mscale(s.factor))
        }
        func correctionDim(_ rotations: Double) -> Double {
            Double(headDim) * log(Double(s.originalMaxPositions) / (rotations * 2 * .pi)) / (2 * log(theta))
        }
        var low = correctionDim(s.betaFast), high = correctionDim(s.betaSlow)
        if s.truncate { low = low.rounded(.down); high = high.rounded(.up) }
        low = max(low, 0)
        high = min(high, Double(headDim - 1))
        if low == high { high += 0.001 }
        inverseFrequencies = (0..<half).map { i in
            let ramp = Float(min(max((Double(i) - low) / (high - low), 0), 1))
            let extrapolationFactor = 1 - ramp
            let extrapolated = 1 / base[i], interpolated = 1 / (Float(s.factor) * base[i])
            return interpolated * (1 - extrapolationFactor) + extrapolated * extrapolationFactor
        }
    }

    /// Rotates one head vector in place at `position`, pairing `i` with `i + headDim/2`
    /// (transformers' `rotate_half` layout).
    @inline(__always)
    public func rotate(_ x: UnsafeMutablePointer<Float>, position: Int) {
        let half = headDim / 2
        for i in 0..<half {
            let angle = Double(Float(position) * inverseFrequencies[i])
            let c = Float(cos(angle)) * attentionScaling, s = Float(sin(angle)) * attentionScaling
            let a = x[i], b = x[i + half]
            x[i] = a * c - b * s
            x[i + half] = b * c + a * s
        }
    }
}
