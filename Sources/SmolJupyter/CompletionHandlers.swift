/// `complete_request`, `inspect_request` and `is_complete_request`. Jupyter counts cursor positions
/// in Unicode code points (protocol 5.2+), Swift strings index by `String.Index`; the conversion
/// lives here so interpreters never see protocol offsets.
extension RequestHandler {
    func complete(_ content: JSONValue) -> Response {
        let code = content["code"]?.stringValue ?? ""
        let cursor = Self.index(in: code, codePoint: content["cursor_pos"]?.intValue)
        let completion = interpreter.complete(code, cursor: cursor)
        return Response(type: "complete_reply", content: [
            "status": "ok", "matches": .array(completion.matches.map(JSONValue.string)),
            "cursor_start": JSONValue(Self.codePoint(of: completion.range.lowerBound, in: code)),
            "cursor_end": JSONValue(Self.codePoint(of: completion.range.upperBound, in: code)),
            "metadata": [:],
        ])
    }

    func inspect(_ content: JSONValue) -> Response {
        let code = content["code"]?.stringValue ?? ""
        let cursor = Self.index(in: code, codePoint: content["cursor_pos"]?.intValue)
        let detail = content["detail_level"]?.intValue ?? 0
        guard let bundle = interpreter.inspect(code, cursor: cursor, detailLevel: detail) else {
            return Response(type: "inspect_reply", content: ["status": "ok", "found": false, "data": [:], "metadata": [:]])
        }
        return Response(type: "inspect_reply", content: [
            "status": "ok", "found": true, "data": bundle.data, "metadata": bundle.metadata,
        ])
    }

    func isComplete(_ content: JSONValue) -> Response {
        let code = content["code"]?.stringValue ?? ""
        let reply: JSONValue = switch interpreter.isComplete(code) {
        case .complete: ["status": "complete"]
        case .incomplete(let indent): ["status": "incomplete", "indent": .string(indent)]
        case .invalid: ["status": "invalid"]
        case .unknown: ["status": "unknown"]
        }
        return Response(type: "is_complete_reply", content: reply)
    }

    /// The string index `codePoint` code points into `code`, clamped to the string (a missing cursor
    /// means the end, as the protocol says).
    static func index(in code: String, codePoint: Int?) -> String.Index {
        let scalars = code.unicodeScalars
        guard let codePoint, codePoint >= 0 else { return code.endIndex }
        return scalars.index(scalars.startIndex, offsetBy: codePoint, limitedBy: scalars.endIndex) ?? code.endIndex
    }

    /// How many code points precede `index` in `code`.
    static func codePoint(of index: String.Index, in code: String) -> Int {
        let scalars = code.unicodeScalars
        let clamped = min(max(index, scalars.startIndex), scalars.endIndex)
        return scalars.distance(from: scalars.startIndex, to: clamped)
    }
}
