import FulcrumStore
import Testing

@Suite("PostgreSQL URL")
struct PostgresURLTests {
    @Test func parsesEveryPart() throws {
        let url = try PostgresURL("postgres://fulcrum:p%40ss%3Aword@db.example.com:6543/risk?sslmode=disable")
        #expect(url.user == "fulcrum")
        #expect(url.password == "p@ss:word")
        #expect(url.host == "db.example.com")
        #expect(url.port == 6543)
        #expect(url.database == "risk")
        #expect(url.description == "postgres://fulcrum:***@db.example.com:6543/risk")
    }

    @Test func defaultsAndVariants() throws {
        let short = try PostgresURL("postgresql://alice@localhost")
        #expect(short.port == 5432)
        #expect(short.database == "alice")
        #expect(short.password == nil)
        let v6 = try PostgresURL("postgres://bob:x@[::1]:7000/db?sslmode=prefer")
        #expect(v6.host == "::1")
        #expect(v6.port == 7000)
        #expect(v6.description == "postgres://bob:***@[::1]:7000/db")
    }

    @Test(
        arguments: [
            ("mysql://u@h/db", "scheme"),
            ("postgres://localhost/db", "user is missing"),
            ("postgres://@localhost/db", "user is empty"),
            ("postgres://u@/db", "host is empty"),
            ("postgres://u@h:0/db", "port \"0\""),
            ("postgres://u@h:70000/db", "port \"70000\""),
            ("postgres://u@h:abc/db", "port \"abc\""),
            ("postgres://u@[::1/db", "closing ]"),
            ("postgres://u%zz@h/db", "user has a malformed %-escape"),
            ("postgres://u@h/a/b", "database \"a/b\""),
            ("postgres://u@h/db?sslmode=maybe", "sslmode \"maybe\""),
            ("postgres://u@h/db?timeout=3", "parameter \"timeout\""),
        ]
    )
    func badURLsNameTheField(text: String, mention: String) {
        do {
            _ = try PostgresURL(text)
            Issue.record("expected \(text) to be rejected")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains(mention), "message: \(error.message)")
        }
    }

    @Test(arguments: ["require", "verify-ca", "verify-full"])
    func tlsIsReportedUnsupported(mode: String) {
        do {
            _ = try PostgresURL("postgres://u:secret@h/db?sslmode=\(mode)")
            Issue.record("expected sslmode=\(mode) to be rejected")
        } catch {
            #expect(error.code == .unsupported)
            #expect(error.message.contains("sslmode=\(mode)"))
        }
    }

    @Test func schemeErrorHidesThePassword() {
        do {
            _ = try PostgresURL("mysql://root:hunter2@h/db")
            Issue.record("expected an error")
        } catch {
            #expect(!error.message.contains("hunter2"), "message: \(error.message)")
        }
    }
}
