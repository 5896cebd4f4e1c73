import Foundation
import FulcrumServer
import Hummingbird
import Testing

@Suite struct OpenAPICoverageTests {
    @Test func everyRouteIsDocumentedAndViceVersa() async throws {
        let server = try await TestServer.make()
        let router = server.api.router()
        let registered = Set(router.routes.map { "\($0.method.rawValue.lowercased()) \($0.path.description)" })
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.text.utf8)) as? [String: Any]
        )
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var documented = Set<String>()
        for (path, item) in paths {
            for method in item.keys where ["get", "post", "put", "delete", "patch"].contains(method) {
                documented.insert("\(method) \(path)")
            }
        }
        #expect(
            registered.subtracting(documented).isEmpty,
            "undocumented: \(registered.subtracting(documented).sorted())"
        )
        #expect(
            documented.subtracting(registered).isEmpty,
            "not served: \(documented.subtracting(registered).sorted())"
        )
        #expect(registered.count >= 25)
        try await server.close()
    }
}
