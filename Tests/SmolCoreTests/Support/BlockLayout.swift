import SmolFormats

/// Where the f16 fields of each block format sit (the one-line layouts in the codecs' doc
/// comments): `scale` multiplies the quants; `offsets` are the min / zero-point fields.
/// Tests need them to make blocks with finite scales and to split weights into their parts.
enum BlockLayout {
    static func scaleOffset(_ type: TensorType) -> Int {
        switch type {
        case .q2_K: 80
        case .q3_K: 108
        case .q6_K: 208
        default: 0  // Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K
        }
    }

    static func offsetFields(_ type: TensorType) -> [Int] {
        switch type {
        case .q4_1, .q5_1, .q4_K, .q5_K: [2]
        case .q2_K: [82]
        default: []
        }
    }

    /// Formats whose activation partner is Q8_1 carry the min as `m·s` per block.
    static func usesBlockSums(_ type: TensorType) -> Bool { type == .q4_1 || type == .q5_1 }
}
