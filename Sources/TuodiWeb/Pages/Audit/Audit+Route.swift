import Hummingbird
import TuodiApp
import TuodiDomain

extension WebApp {
    func registerAudit(on web: RouterGroup<Context>) {
        page(web, "/audit") { r in
            let filter = AuditPage.filter(r.query)
            let entries = try await context.audit.list(filter, by: r.caller)
            return views.response(AuditPage(session: r.session, filter: filter, entries: entries, verification: nil))
        }
        // Verifying reads only, so it is a GET: the result is the page itself, nothing is stored.
        page(web, "/audit/verify") { r in
            let filter = AuditPage.filter(r.query)
            let result = try await context.audit.verify(by: r.caller)
            let entries = try await context.audit.list(filter, by: r.caller)
            return views.response(AuditPage(session: r.session, filter: filter, entries: entries, verification: result))
        }
    }
}
