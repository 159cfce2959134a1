import Hummingbird
import TuodiApp
import TuodiDomain
import TuodiStore

extension WebApp {
    func registerEstates(on web: RouterGroup<Context>) {
        page(web, "/estates") { r in
            let query = EstateListPage.query(r.query, page: Int(r.query["page"] ?? "") ?? 1)
            do {
                let result = try await context.estates.search(query, by: r.caller)
                return views.response(EstateListPage(session: r.session, query: query, result: result))
            } catch let error where FormErrors(error) != nil {
                return views.response(EstateListPage(session: r.session, query: query, result: nil, errors: ErrorSummary.from(error)),
                                      status: .unprocessableContent)
            }
        }

        page(web, "/estates/new") { r in
            views.response(EstateFormPage(session: r.session, form: nil))
        }

        form(web, "/estates") { r in
            // Only district roles have a unit to register in; the use case refuses the others.
            let draft = EstateFormPage.draft(r.form, unit: r.caller.unit ?? "")
            do {
                let estate = try await context.estates.register(draft, by: r.caller)
                return redirect(EstatePaths.estate(estate.code) + "?done=registered")
            } catch let error where FormErrors(error) != nil {
                return views.response(EstateFormPage(session: r.session, form: r.form, errors: FormErrors(error)), status: .unprocessableContent)
            }
        }

        page(web, "/estates/:code") { r in
            let code = try r.parameter("code")
            let view = try await context.estates.show(code: code, by: r.caller)
            let arrangements = try await context.arrangements.list(unit: nil, estateCode: code, by: r.caller)
            return views.response(EstatePage(session: r.session, view: view, arrangements: arrangements, notice: Notices.text(r.query["done"])))
        }

        page(web, "/estates/:code/facts/new") { r in
            let view = try await context.estates.show(code: try r.parameter("code"), by: r.caller)
            return views.response(FactFormPage(session: r.session, estate: view.estate, form: nil, today: context.clock.today))
        }

        form(web, "/estates/:code/facts") { r in
            let code = try r.parameter("code")
            do {
                _ = try await context.estates.recordFact(code: code, FactFields.draft(r.form), by: r.caller)
                return redirect(EstatePaths.estate(code) + "?done=fact")
            } catch let error where FormErrors(error) != nil {
                let view = try await context.estates.show(code: code, by: r.caller)
                return views.response(FactFormPage(session: r.session, estate: view.estate, form: r.form, today: context.clock.today,
                                                   errors: FormErrors(error)), status: .unprocessableContent)
            }
        }
    }
}

extension WebApp {
    func registerCorrections(on web: RouterGroup<Context>) {
        page(web, "/estates/:code/facts/:id/correct") { r in
            let (view, fact) = try await correctable(r)
            return views.response(CorrectFormPage(session: r.session, estate: view.estate, fact: fact, form: nil))
        }

        form(web, "/estates/:code/facts/:id/correct") { r in
            let code = try r.parameter("code"), id = try r.intParameter("id")
            let replacement = r.form["mode"] == "retract" ? nil : FactFields.draft(r.form)
            do {
                _ = try await context.estates.correctFact(code: code, factID: id, replacement: replacement,
                                                          reason: r.form["correctionReason"], by: r.caller)
                return redirect(EstatePaths.estate(code) + "?done=corrected")
            } catch let error where FormErrors(error) != nil {
                let (view, fact) = try await correctable(r)
                return views.response(CorrectFormPage(session: r.session, estate: view.estate, fact: fact, form: r.form,
                                                      errors: FormErrors(error)), status: .unprocessableContent)
            }
        }
    }

    /// The estate and the fact to correct; a fact that is not the estate's is the 404 page.
    private func correctable(_ r: WebRequest) async throws -> (EstateView, StoredFact) {
        let view = try await context.estates.show(code: try r.parameter("code"), by: r.caller)
        let id = try r.intParameter("id")
        guard let fact = view.facts.first(where: { $0.fact.id == id && !$0.fact.isRetraction }) else { throw RouteNotFound() }
        return (view, fact)
    }
}
