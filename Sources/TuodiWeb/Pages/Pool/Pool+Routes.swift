import Hummingbird
import TuodiApp
import TuodiDomain
import TuodiStore

extension WebApp {
    func registerPoolPages(on web: RouterGroup<Context>) {
        page(web, "/pool") { r in
            let unit = poolUnit(r)
            let asOf = try r.query["asOf"].map { raw -> LocalDate in
                guard let d = LocalDate(iso: raw) else { throw RouteNotFound() }
                return d
            }
            let roster = try await context.pool.roster(unit: unit, asOf: asOf, by: r.caller)
            return views.response(RosterPage(session: r.session, roster: roster, today: context.clock.today, notice: Notices.text(r.query["done"])))
        }

        for step in ["suspend", "reinstate", "remove"] {
            form(web, RouterPath("/pool/members/:id/\(step)")) { r in
                let id = try r.intParameter("id")
                do {
                    switch step {
                    case "suspend": _ = try await context.pool.suspend(membershipID: id, reason: r.form["reason"], until: nil, by: r.caller)
                    case "reinstate": _ = try await context.pool.reinstate(membershipID: id, reason: r.form["reason"], by: r.caller)
                    default: _ = try await context.pool.remove(membershipID: id, reason: r.form["reason"], by: r.caller)
                    }
                    return redirect(PoolPaths.roster(poolUnit(r)) + "&done=member\(step.capitalized)")
                } catch let error where FormErrors(error) != nil {
                    let roster = try await context.pool.roster(unit: poolUnit(r), by: r.caller)
                    return views.response(RosterPage(session: r.session, roster: roster, today: context.clock.today, notice: nil,
                                                     errors: FormErrors(error)), status: .unprocessableContent)
                }
            }
        }

        page(web, "/pool/rounds") { r in
            let unit = poolUnit(r)
            let rounds = try await context.pool.rounds(unit: unit, by: r.caller)
            return views.response(RoundsPage(session: r.session, unit: unit, rounds: rounds, today: context.clock.today))
        }

        form(web, "/pool/rounds") { r in
            guard let unit = r.caller.unit else { throw RouteNotFound() }
            do {
                let round = try await context.pool.openRound(RoundsPage.draft(unit: unit, r.form), by: r.caller)
                return redirect(PoolPaths.round(round.id) + "?done=roundOpened")
            } catch let error where FormErrors(error) != nil {
                let rounds = try await context.pool.rounds(unit: unit, by: r.caller)
                return views.response(RoundsPage(session: r.session, unit: unit, rounds: rounds, today: context.clock.today, form: r.form,
                                                 errors: FormErrors(error)), status: .unprocessableContent)
            }
        }

        page(web, "/pool/rounds/:id") { r in
            try await roundPage(r, notice: Notices.text(r.query["done"]), form: nil, errors: nil)
        }

        form(web, "/pool/rounds/:id/applications") { r in
            let id = try r.intParameter("id")
            do {
                let app = try await context.pool.apply(roundID: id, uscc: r.form["uscc"] ?? "",
                                                       capacityEstates: Int(r.form["capacityEstates"] ?? "") ?? 0,
                                                       capacityHouseholds: r.form["capacityHouseholds"].map { Int($0) ?? 0 }, by: r.caller)
                return redirect("/pool/applications/\(app.id)?done=applied")
            } catch let error where FormErrors(error) != nil {
                return try await roundPage(r, notice: nil, form: r.form, errors: FormErrors(error))
            }
        }

        form(web, "/pool/applications/:id/score") { r in
            let id = try r.intParameter("id")
            let view = try await context.pool.application(id: id, by: r.caller)
            let criteria = view.round.criteria
            do {
                _ = try await context.pool.score(applicationID: id, scores: ApplicationPage.scores(r.form, criteria: criteria), by: r.caller)
                return redirect("/pool/applications/\(id)?done=scored")
            } catch let error where FormErrors(error) != nil {
                // The rubric names a score `scores.<criterion>`; the form's field is `score-<index>`.
                var fields: [String: String] = [:]
                for (i, c) in criteria.enumerated() { fields["scores.\(c.name)"] = "score-\(i)" }
                let items = FormErrors(error)!.items.map { item in
                    ErrorSummary.Item(field: item.field.map { fields[$0] ?? $0 }, message: item.message)
                }
                return views.response(ApplicationPage(session: r.session, view: view, notice: nil, form: r.form, errors: FormErrors(items: items)),
                                      status: .unprocessableContent)
            }
        }

        form(web, "/pool/applications/:id/propose") { r in
            let id = try r.intParameter("id")
            do {
                guard let proposal = AdmissionProposal(rawValue: r.form["proposal"] ?? "") else {
                    throw AppError.validation([FieldError(field: "proposal", code: "required", message: "请选择拟入库或拟不入库")])
                }
                _ = try await context.pool.propose(applicationID: id, proposal, reason: r.form["reason"], by: r.caller)
                return redirect("/pool/applications/\(id)?done=proposed")
            } catch let error where FormErrors(error) != nil {
                let view = try await context.pool.application(id: id, by: r.caller)
                return views.response(ApplicationPage(session: r.session, view: view, notice: nil, form: r.form, errors: FormErrors(error)),
                                      status: .unprocessableContent)
            }
        }

        page(web, "/pool/settings") { r in
            let unit = poolUnit(r)
            let settings = try await context.pool.settings(unit: unit, by: r.caller)
            return views.response(SettingsPage(session: r.session, unit: unit, settings: settings, notice: Notices.text(r.query["done"])))
        }

        form(web, "/pool/settings") { r in
            let unit = poolUnit(r)
            do {
                _ = try await context.pool.updateSettings(unit: unit, SettingsPage.settings(r.form), by: r.caller)
                return redirect(PoolPaths.settings(unit) + "&done=settingsSaved")
            } catch let error where FormErrors(error) != nil {
                let settings = try await context.pool.settings(unit: unit, by: r.caller)
                return views.response(SettingsPage(session: r.session, unit: unit, settings: settings, notice: nil, form: r.form,
                                                   errors: FormErrors(error)), status: .unprocessableContent)
            }
        }
    }

    /// A district user's own unit; others name one with `?unit=` (黄浦区 when they do not).
    private func poolUnit(_ r: WebRequest) -> String {
        r.caller.unit ?? r.query["unit"] ?? r.form["unit"] ?? ReportingUnit.all[0].code
    }

    private func roundPage(_ r: WebRequest, notice: String?, form: FormData?, errors: FormErrors?) async throws -> Response {
        let id = try r.intParameter("id")
        let round = try await context.pool.round(id: id, by: r.caller)
        let applications = try await context.pool.applications(roundID: id, by: r.caller)
        var names: [String: String] = [:]
        for a in applications where names[a.uscc] == nil { names[a.uscc] = try? await context.companies.show(uscc: a.uscc, by: r.caller).name }
        return views.response(RoundPage(session: r.session, round: round, applications: applications, names: names, today: context.clock.today,
                                        notice: notice, form: form, errors: errors), status: errors == nil ? .ok : .unprocessableContent)
    }
}
