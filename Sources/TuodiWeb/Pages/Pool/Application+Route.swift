import Hummingbird
import TuodiApp
import TuodiDomain

extension WebApp {
    func registerPool(on web: RouterGroup<Context>) {
        page(web, "/pool/applications/:id") { r in
            let view = try await context.pool.application(id: try r.intParameter("id"), by: r.caller)
            return views.response(ApplicationPage(session: r.session, view: view, notice: Notices.text(r.query["done"])))
        }
        // Agreeing carries out the clerk's proposal (admit or not); sending back returns it for scoring.
        for (step, approve) in [("approve", true), ("return", false)] {
            form(web, RouterPath("/pool/applications/:id/\(step)")) { r in
                let id = try r.intParameter("id")
                do {
                    _ = try await context.pool.decide(applicationID: id, approve: approve, reason: r.form["reason"], by: r.caller)
                    return redirect("/pool/applications/\(id)?done=\(approve ? "decided" : "sentBack")")
                } catch let error where FormErrors(error) != nil {
                    let view = try await context.pool.application(id: id, by: r.caller)
                    return views.response(ApplicationPage(session: r.session, view: view, notice: nil, form: r.form, errors: FormErrors(error)),
                                          status: .unprocessableContent)
                }
            }
        }
    }
}
