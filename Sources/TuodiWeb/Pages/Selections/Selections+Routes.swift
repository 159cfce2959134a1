import Foundation
import Hummingbird
import TuodiApp
import TuodiDomain

extension WebApp {
    func registerSelections(on web: RouterGroup<Context>) {
        page(web, "/selections") { r in
            let rounds = try await context.selections.list(unit: nil, by: r.caller)
            return views.response(SelectionListPage(session: r.session, rounds: rounds))
        }

        page(web, "/selections/new") { r in
            guard r.caller.unit != nil else { throw RouteNotFound() }
            return views.response(SelectionFormPage(session: r.session, today: context.clock.today, form: nil, errors: nil))
        }

        form(web, "/selections") { r in
            guard let unit = r.caller.unit else { throw RouteNotFound() }
            do {
                let s = try await context.selections.create(SelectionFormPage.draft(unit: unit, r.form), by: r.caller)
                return redirect(SelectionPaths.round(s.id) + "?done=selectionCreated")
            } catch let error where FormErrors(error) != nil {
                return views.response(SelectionFormPage(session: r.session, today: context.clock.today, form: r.form, errors: FormErrors(error)),
                                      status: .unprocessableContent)
            }
        }

        page(web, "/selections/:id") { r in
            let view = try await context.selections.show(id: try r.intParameter("id"), by: r.caller)
            return try await selectionPage(r, view: view, notice: Notices.text(r.query["done"]), errors: nil, status: .ok)
        }

        // The OCDS 1.1 release of the round, as published.
        page(web, "/selections/:id/ocds.json") { r in
            let id = try r.intParameter("id")
            let data = try await context.selections.ocdsRelease(id: id, by: r.caller)
            return Response(status: .ok, headers: [.contentType: "application/json",
                                                   .contentDisposition: "attachment; filename=\"selection-\(id)-ocds.json\""],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }

        let s = context.selections
        let steps: [(String, String, @Sendable (Int, WebRequest) async throws -> SelectionView)] = [
            ("invite", "invited", { id, r in try await s.invite(id: id, usccs: nil, by: r.caller) }),
            ("open", "opened", { id, r in try await s.open(id: id, by: r.caller) }),
            ("bids", "bid", { id, r in try await s.bid(id: id, SelectionPage.bid(r.form), by: r.caller) }),
            ("close", "closed", { id, r in try await s.close(id: id, by: r.caller) }),
            ("propose-award", "awardProposed", { id, r in try await s.proposeAward(id: id, by: r.caller) }),
            ("approve-award", "awarded", { id, r in
                guard r.form["confirm"] == "1" else {
                    throw AppError.validation([FieldError(field: "confirm", code: "required", message: "批准后将建立托底安排且不能撤销，请先勾选确认已核对")])
                }
                return try await s.approveAward(id: id, by: r.caller)
            }),
            ("cancel", "selectionCancelled", { id, r in try await s.cancel(id: id, reason: r.form["reason"], by: r.caller) }),
        ]
        for (step, done, action) in steps {
            form(web, RouterPath("/selections/:id/\(step)")) { r in
                try await selectionStep(r, done: done) { id in try await action(id, r) }
            }
        }
        form(web, "/selections/:id/bids/:bid/invalidate") { r in
            let bid = try r.intParameter("bid")
            return try await selectionStep(r, done: "bidInvalidated") { id in
                try await s.invalidateBid(id: id, bidID: bid, reason: r.form["reason"], by: r.caller)
            }
        }
    }

    /// One step of a round's lifecycle; a refusal (a rule, a bad field) is shown on the round's page.
    private func selectionStep(_ r: WebRequest, done: String, _ action: (Int) async throws -> SelectionView) async throws -> Response {
        let id = try r.intParameter("id")
        do {
            _ = try await action(id)
            return redirect(SelectionPaths.round(id) + "?done=\(done)")
        } catch let error where FormErrors(error) != nil {
            let view = try await context.selections.show(id: id, by: r.caller)
            return try await selectionPage(r, view: view, notice: nil, errors: FormErrors(error), status: .unprocessableContent)
        }
    }

    private func selectionPage(_ r: WebRequest, view: SelectionView, notice: String?, errors: FormErrors?,
                               status: HTTPResponse.Status) async throws -> Response {
        // Company names of the invited, from the district's roster (every invitee was a member).
        let roster = try await context.pool.roster(unit: view.unit, by: r.caller)
        let names = Dictionary(roster.members.map { ($0.uscc, $0.companyName) }, uniquingKeysWith: { first, _ in first })
        return views.response(SelectionPage(session: r.session, view: view, names: names, notice: notice,
                                            form: errors == nil ? nil : r.form, errors: errors), status: status)
    }
}
