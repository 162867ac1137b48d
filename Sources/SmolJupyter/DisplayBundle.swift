import Foundation

/// One displayable value in several forms; the frontend picks the richest it can show. There is
/// always a text form, so `jupyter console`, nbconvert to text and diffs of notebooks still show
/// something meaningful.
public struct DisplayBundle: Sendable, Equatable {
    public var plain: String
    public var html: String?
    public var png: PNGImage?

    public init(plain: String, html: String? = nil, png: PNGImage? = nil) {
        self.plain = plain
        self.html = html
        self.png = png
    }

    /// The `data` dictionary of `display_data`/`execute_result`: MIME type to content, PNG base64.
    public var data: JSONValue {
        var data: [String: JSONValue] = ["text/plain": .string(plain)]
        if let html { data["text/html"] = .string(html) }
        if let png { data["image/png"] = .string(png.base64) }
        return .object(data)
    }

    /// The `metadata` dictionary: the image's pixel size, so frontends lay it out before decoding.
    public var metadata: JSONValue {
        guard let png else { return [:] }
        return ["image/png": ["width": JSONValue(png.width), "height": JSONValue(png.height)]]
    }
}

/// An encoded PNG and its size.
public struct PNGImage: Sendable, Equatable {
    public var bytes: [UInt8]
    public var width: Int
    public var height: Int

    public init(bytes: [UInt8], width: Int, height: Int) {
        self.bytes = bytes
        self.width = width
        self.height = height
    }

    public var base64: String { Data(bytes).base64EncodedString() }
}
