/// Numbers written for people with a fixed number of decimals, as `String(format: "%.2f", x)` writes them, without
/// Foundation's C-variadic formatting: that casts each argument to `CVarArg` at run time, a scan of every protocol
/// conformance in the binary, which a one-shot `kzqa ask` would pay before printing its confidence.
public enum NumberText {
    /// `value` rounded to `places` decimals (ties to even, as printf does for exact ties): `fixed(0.8349, places: 2)`
    /// is `0.83`; `-0.004` is `-0.00`; a value that is not finite is `nan`, `inf` or `-inf`.
    public static func fixed(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        let places = max(0, places)
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        // The product may itself be rounded onto a tie (0.05 × 10 is 0.5, though 0.05 is a little above it):
        // its exact error, by a fused multiply-add, says which way the true value lies, as printf reads it.
        let product = abs(value) * scale
        var scaled = product.rounded(.toNearestOrEven)
        if product - product.rounded(.down) == 0.5 {
            let error = (-product).addingProduct(abs(value), scale)
            if error > 0 { scaled = product.rounded(.up) } else if error < 0 { scaled = product.rounded(.down) }
        }
        // Beyond 2^53 a Double has no fraction left to print.
        guard scaled < 9.0e15 else { return String(value) }
        let digits = String(UInt64(scaled))
        let padded = String(repeating: "0", count: max(0, places + 1 - digits.count)) + digits
        let whole = String(padded.dropLast(places)), fraction = String(padded.suffix(places))
        let sign = value.sign == .minus ? "-" : ""
        return places == 0 ? sign + whole : sign + whole + "." + fraction
    }
}
