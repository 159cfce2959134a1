import Hummingbird
import TuodiApp
import TuodiDomain

extension WebApp {
    func registerArrangements(on web: RouterGroup<Context>) {
        // 安排临时托管: the candidates for the term asked (by default from today, three months).
        page(web, "/estates/:code/custody") { r in
            let code = try r.parameter("code")
            let today = context.clock.today
            let start = r.query["start"] ?? today.description
            let plannedEnd = r.query["plannedEnd"] ?? (LocalDate(iso: start) ?? today).adding(months: 3).adding(days: -1).description
            return try await candidatesPage(r, code: code, start: start, plannedEnd: plannedEnd, form: nil, errors: nil, status: .ok)
        }

        form(web, "/estates/:code/custody") { r in
            let code = try r.parameter("code")
            do {
                let a = try await context.arrangements.propose(CandidatesPage.draft(code: code, r.form), by: r.caller)
                return redirect("/arrangements/\(a.id)?done=proposed")
            } catch let error where FormErrors(error) != nil {
                return try await candidatesPage(r, code: code, start: r.form.raw("start"), plannedEnd: r.form.raw("plannedEnd"),
                                                form: r.form, errors: FormErrors(error), status: .unprocessableContent)
            }
        }

        // 业主自行管理 and 社区托底服务.
        page(web, "/estates/:code/arrangements/new") { r in
            let view = try await context.estates.show(code: try r.parameter("code"), by: r.caller)
            guard let kind = CoverageKind(rawValue: r.query["kind"] ?? ""), ArrangementFormPage.kinds.contains(kind) else { throw RouteNotFound() }
            return views.response(ArrangementFormPage(session: r.session, estate: view.estate, kind: kind, form: nil,
                                                      today: context.clock.today, errors: nil))
        }

        form(web, "/estates/:code/arrangements") { r in
            let code = try r.parameter("code")
            guard let kind = CoverageKind(rawValue: r.form["kind"] ?? ""), ArrangementFormPage.kinds.contains(kind) else { throw RouteNotFound() }
            do {
                let a = try await context.arrangements.propose(ArrangementFormPage.draft(code: code, r.form), by: r.caller)
                return redirect("/arrangements/\(a.id)?done=proposed")
            } catch let error where FormErrors(error) != nil {
                let view = try await context.estates.show(code: code, by: r.caller)
                return views.response(ArrangementFormPage(session: r.session, estate: view.estate, kind: kind, form: r.form,
                                                          today: context.clock.today, errors: FormErrors(error)),
                                      status: .unprocessableContent)
            }
        }

        page(web, "/arrangements/:id") { r in
            let view = try await context.arrangements.show(id: try r.intParameter("id"), by: r.caller)
            return views.response(ArrangementPage(session: r.session, view: view, notice: Notices.text(r.query["done"])))
        }

        form(web, "/arrangements/:id/approve") { r in
            try await decide(r, done: "approved") { id in try await context.arrangements.approve(id: id, by: r.caller) }
        }

        form(web, "/arrangements/:id/extend") { r in
            try await decide(r, done: "extended", fields: ["reason": "changeReason"]) { id in
                try await context.arrangements.extend(id: id, plannedEnd: r.form["plannedEnd"] ?? "", reason: r.form["changeReason"], by: r.caller)
            }
        }

        form(web, "/arrangements/:id/terminate") { r in
            try await decide(r, done: "terminated", fields: ["reason": "terminateReason"]) { id in
                try await context.arrangements.terminate(id: id, lastDay: r.form["lastDay"] ?? "", reason: r.form["terminateReason"], by: r.caller)
            }
        }

        form(web, "/arrangements/:id/reject") { r in
            try await decide(r, done: "rejected") { id in try await context.arrangements.reject(id: id, reason: r.form["reason"], by: r.caller) }
        }
    }

    private func candidatesPage(_ r: WebRequest, code: String, start: String, plannedEnd: String, form: FormData?,
                                errors: FormErrors?, status: HTTPResponse.Status) async throws -> Response {
        let view = try await context.estates.show(code: code, by: r.caller)
        var errors = errors, list: CandidateList?
        do {
            list = try await context.arrangements.candidates(estateCode: code, start: start, plannedEnd: plannedEnd, by: r.caller)
        } catch let error where FormErrors(error) != nil {
            errors = errors ?? FormErrors(error)
        }
        let page = CandidatesPage(session: r.session, estate: view.estate, start: start, plannedEnd: plannedEnd, list: list,
                                  form: form, errors: errors)
        return views.response(page, status: errors == nil ? status : .unprocessableContent)
    }

    /// Approve or reject; a refusal (four eyes, a changed status, a missing reason) is shown on the page.
    /// `fields` renames the use case's field names to this form's (two forms on the page ask for a reason).
    private func decide(_ r: WebRequest, done: String, fields: [String: String] = [:],
                        _ action: (Int) async throws -> ArrangementView) async throws -> Response {
        let id = try r.intParameter("id")
        do {
            _ = try await action(id)
            return redirect("/arrangements/\(id)?done=\(done)")
        } catch let error where FormErrors(error) != nil {
            let view = try await context.arrangements.show(id: id, by: r.caller)
            let items = FormErrors(error)!.items.map { ErrorSummary.Item(field: $0.field.map { fields[$0] ?? $0 }, message: $0.message) }
            return views.response(ArrangementPage(session: r.session, view: view, notice: nil, form: r.form, errors: FormErrors(items: items)),
                                  status: .unprocessableContent)
        }
    }
}
