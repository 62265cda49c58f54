/// `${NAME}` and `${NAME:-default}` in pipeline values, resolved from the environment.
enum Interpolation {
    enum Failure: Error, Equatable {
        case unset(String)
        case malformed
    }

    /// The text with every reference replaced, whether any reference was found, and the names used.
    static func resolve(_ text: String, environment: [String: String]) -> Result<(value: String, names: [String]), Failure> {
        guard text.contains("${") else { return .success((text, [])) }
        var out = ""
        var names: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            out += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { return .failure(.malformed) }
            let body = rest[start.upperBound..<end]
            let name: Substring
            let fallback: Substring?
            if let sep = body.range(of: ":-") {
                name = body[..<sep.lowerBound]
                fallback = body[sep.upperBound...]
            } else {
                name = body
                fallback = nil
            }
            guard !name.isEmpty, name.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }) else {
                return .failure(.malformed)
            }
            names.append(String(name))
            if let value = environment[String(name)], !value.isEmpty {
                out += value
            } else if let fallback {
                out += fallback
            } else {
                return .failure(.unset(String(name)))
            }
            rest = rest[rest.index(after: end)...]
        }
        out += rest
        return .success((out, names))
    }
}
