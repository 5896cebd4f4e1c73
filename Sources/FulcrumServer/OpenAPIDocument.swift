import Foundation

/// The OpenAPI 3.1 document served at `/openapi.json` (the resource `Resources/openapi.json`, kept in the repo).
public enum OpenAPIDocument {
    /// The document's text (an error object when the resource is missing from the bundle).
    public static let text: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else { return "{\"error\":\"openapi.json is missing from the bundle\"}" }
        return String(decoding: data, as: UTF8.self)
    }()
}

extension OpenAPIDocument {
    /// Path templates of the document (`/v1/accounts/{id}` split into segments) with their methods, upper-case.
    static let operations: [(segments: [String], methods: [String])] = {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let paths = object["paths"] as? [String: Any]
        else { return [] }
        let verbs: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        return paths.keys.sorted().map { path in
            let item = paths[path] as? [String: Any] ?? [:]
            let methods = item.keys.filter { verbs.contains($0) }.map { $0.uppercased() }.sorted()
            return (path.split(separator: "/").map(String.init), methods)
        }
    }()

    /// The methods the document declares for a concrete request path, or `nil` when no path template matches it.
    /// A `{parameter}` segment matches any one segment. Used to answer 405 (with `Allow`) rather than 404 when
    /// the path exists but the method does not. Cost: O(templates × segments).
    static func allowedMethods(forPath path: String) -> [String]? {
        let segments = path.split(separator: "/")
        var methods: Set<String> = []
        var matched = false
        for operation in operations where operation.segments.count == segments.count {
            let fits = zip(operation.segments, segments).allSatisfy { template, actual in
                template.hasPrefix("{") || template == actual
            }
            if fits {
                matched = true
                methods.formUnion(operation.methods)
            }
        }
        return matched ? methods.sorted() : nil
    }
}
