import Foundation

/// Python's `datetime.strftime` for the `strftime_now(format)` global that chat templates use to
/// print today's date (SmolLM3: `"%d %B %Y"` → `"01 January 2026"`). C-locale names, local time
/// zone, like `datetime.now()` in transformers. The clock is a parameter so renders are testable.
enum Strftime {
    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                                 "September", "October", "November", "December"]
    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    static func format(_ format: String, date: Date, timeZone: TimeZone = .current) throws(TemplateFailure) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let (year, month, day) = (parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
        let (hour, minute, second) = (parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
        let weekday = (parts.weekday ?? 1) - 1  // 0 = Sunday
        let dayOfYear = calendar.ordinality(of: .day, in: .year, for: date) ?? 1

        var result = ""
        var scalars = format.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "%" else {
                result.unicodeScalars.append(scalar)
                continue
            }
            guard var directive = scalars.next() else { throw .runtime("strftime format ends with '%'") }
            // glibc's "%-d" (no padding), which Python on Linux passes through.
            let padded = directive != "-"
            if !padded {
                guard let next = scalars.next() else { throw .runtime("strftime format ends with '%-'") }
                directive = next
            }
            func number(_ value: Int, width: Int) -> String {
                let digits = String(value)
                return padded ? String(repeating: "0", count: max(0, width - digits.count)) + digits : digits
            }
            switch directive {
            case "d": result += number(day, width: 2)
            case "m": result += number(month, width: 2)
            case "Y": result += String(year)
            case "y": result += number(year % 100, width: 2)
            case "B": result += months[month - 1]
            case "b", "h": result += String(months[month - 1].prefix(3))
            case "A": result += weekdays[weekday]
            case "a": result += String(weekdays[weekday].prefix(3))
            case "H": result += number(hour, width: 2)
            case "I": result += number(hour % 12 == 0 ? 12 : hour % 12, width: 2)
            case "M": result += number(minute, width: 2)
            case "S": result += number(second, width: 2)
            case "p": result += hour < 12 ? "AM" : "PM"
            case "j": result += number(dayOfYear, width: 3)
            case "e": result += (day < 10 ? " " : "") + String(day)
            case "%": result += "%"
            default: throw .unsupported("strftime directive '%\(directive)'")
            }
        }
        return result
    }
}
