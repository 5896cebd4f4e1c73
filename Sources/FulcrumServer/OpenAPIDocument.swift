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
