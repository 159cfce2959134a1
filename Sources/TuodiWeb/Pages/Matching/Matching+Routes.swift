import Hummingbird
import TuodiApp
import TuodiDomain

extension WebApp {
    func registerMatching(on web: RouterGroup<Context>) {
        page(web, "/matching") { r in
            let proposals = try await context.matching.list(unit: nil, by: r.caller)
            return views.response(MatchingListPage(session: r.session, proposals: proposals, today: context.clock.today))
        }

        form(web, "/matching") { r in
            guard let unit = r.caller.unit else { throw RouteNotFound() }
            do {
                let p = try await context.matching.propose(unit: unit, asOf: nil, start: r.form["start"], plannedEnd: r.form["plannedEnd"], by: r.caller)
                return redirect("/matching/\(p.id)?done=matchProposed")
            } catch let error where FormErrors(error) != nil {
                let proposals = try await context.matching.list(unit: nil, by: r.caller)
                return views.response(MatchingListPage(session: r.session, proposals: proposals, today: context.clock.today, form: r.form,
                                                       errors: FormErrors(error)), status: .unprocessableContent)
            }
        }

        page(web, "/matching/:id") { r in
            let view = try await context.matching.show(id: try r.intParameter("id"), by: r.caller)
            return try await matchingPage(r, view: view, notice: Notices.text(r.query["done"]), errors: nil, status: .ok)
        }

        let m = context.matching
        form(web, "/matching/:id/edit") { r in
            try await matchingStep(r, done: "matchEdited") { id in
                try await m.edit(id: id, estateCode: r.form["estateCode"] ?? "", uscc: r.form["uscc"], reason: r.form["reason"], by: r.caller)
            }
        }
        form(web, "/matching/:id/approve") { r in
            try await matchingStep(r, done: "approved") { id in
                guard r.form["confirm"] == "1" else {
                    throw AppError.validation([FieldError(field: "confirm", code: "required", message: "批准后将建立全部托管安排且不能撤销，请先勾选确认已核对")])
                }
                return try await m.approve(id: id, reason: r.form["reason"], by: r.caller)
            }
        }
        form(web, "/matching/:id/reject") { r in
            try await matchingStep(r, done: "rejected") { id in try await m.reject(id: id, reason: r.form["reason"], by: r.caller) }
        }
    }

    private func matchingStep(_ r: WebRequest, done: String, _ action: (Int) async throws -> MatchProposalView) async throws -> Response {
        let id = try r.intParameter("id")
        do {
            _ = try await action(id)
            return redirect("/matching/\(id)?done=\(done)")
        } catch let error where FormErrors(error) != nil {
            let view = try await context.matching.show(id: id, by: r.caller)
            return try await matchingPage(r, view: view, notice: nil, errors: FormErrors(error), status: .unprocessableContent)
        }
    }

    private func matchingPage(_ r: WebRequest, view: MatchProposalView, notice: String?, errors: FormErrors?,
                              status: HTTPResponse.Status) async throws -> Response {
        // The companies a pair can be given: the unit's members on the term's first day.
        let roster = try await context.pool.roster(unit: view.unit, asOf: view.termStart, by: r.caller)
        return views.response(MatchingPage(session: r.session, view: view, members: roster.members, notice: notice, errors: errors),
                              status: status)
    }
}
