import Foundation

/// Number and token formatting shared by every command, so transcripts are stable.
public enum Format {
    /// `v` with `digits` decimals; `-0.000` is written `0.000`.
    public static func fixed(_ v: Double, _ digits: Int) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
        let s = String(format: "%.\(digits)f", v)
        if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(s.dropFirst()) }
        return s
    }

    public static func fixed(_ v: Float, _ digits: Int) -> String { fixed(Double(v), digits) }

    public static func scientific(_ v: Double, _ digits: Int) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
        if v == 0 { return "0" }
        return String(format: "%.\(digits)e", v)
    }

    /// A probability as `23.1%` (or `<0.1%`).
    public static func percent(_ p: Double, _ digits: Int = 1) -> String {
        let s = fixed(p * 100, digits)
        if p > 0, Double(s) == 0 { return "<" + fixed(pow(10, -Double(digits)), digits) + "%" }
        return s + "%"
    }

    public static func percent(_ p: Float, _ digits: Int = 1) -> String { percent(Double(p), digits) }

    /// Short general form: up to 4 significant digits, scientific for very large or small values.
    public static func short(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
        if v == 0 { return "0" }
        let a = abs(v)
        var s = String(format: "%.4g", v)
        if a >= 1e5 || a < 1e-3 || s.contains("e") { s = trimmedScientific(String(format: "%.3e", v)) }
        return s
    }

    /// `5.000e+06` → `5e+06`, `1.250e-05` → `1.25e-05`.
    static func trimmedScientific(_ s: String) -> String {
        guard let e = s.firstIndex(of: "e") else { return s }
        var mantissa = String(s[..<e])
        if mantissa.contains(".") {
            while mantissa.hasSuffix("0") { mantissa.removeLast() }
            if mantissa.hasSuffix(".") { mantissa.removeLast() }
        }
        return mantissa + s[e...]
    }

    /// `12.0 KiB`, `3.4 MiB`.
    public static func bytes(_ n: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var v = Double(n), u = 0
        while v >= 1024, u < units.count - 1 {
            v /= 1024
            u += 1
        }
        return u == 0 ? "\(n) B" : fixed(v, 1) + " " + units[u]
    }

    /// A count with thousands separators: `4,985,088`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// `4.99M`, `3.08B` parameters.
    public static func count(_ n: Int) -> String {
        let v = Double(n)
        if v >= 1e9 { return fixed(v / 1e9, 2) + "B" }
        if v >= 1e6 { return fixed(v / 1e6, 2) + "M" }
        if v >= 1e3 { return fixed(v / 1e3, 1) + "K" }
        return String(n)
    }

    /// A string quoted for display: `'text'` with control characters and quotes escaped.
    public static func quoted(_ s: String) -> String {
        var out = "'"
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\x%02X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "'"
    }

    /// Seconds as `12.3 ms` or `1.24 s`.
    public static func duration(_ seconds: Double) -> String {
        if seconds < 1 { return fixed(seconds * 1000, 1) + " ms" }
        return fixed(seconds, 2) + " s"
    }
}
