import Foundation
import Hummingbird
import TuodiApp
import TuodiDomain

extension WebApp {
    func registerReturns(on web: RouterGroup<Context>) {
        // The menu's 季度报表: the caller's unit, the quarter being reported on.
        page(web, "/returns") { r in
            guard let unit = r.caller.unit else { throw RouteNotFound() }
            let (year, quarter) = ReturnPaths.lastClosed(before: context.clock.today)
            return redirect(ReturnPaths.page(unit: unit, year: year, quarter: quarter))
        }

        page(web, "/returns/:unit/:year/:quarter") { r in
            let (unit, year, quarter) = try period(r)
            let view = try await context.returns.show(unit: unit, year: year, quarter: quarter, by: r.caller)
            return views.response(ReturnPage(session: r.session, view: view, notice: Notices.text(r.query["done"])))
        }

        page(web, "/returns/:unit/:year/:quarter/download") { r in
            let (unit, year, quarter) = try period(r)
            let file = try await context.returns.export(unit: unit, year: year, quarter: quarter, format: r.query["format"] ?? "", by: r.caller)
            // RFC 6266: an ASCII name for old clients; the file name is ASCII anyway (310101-2026Q3.xlsx).
            return Response(status: .ok, headers: [.contentType: file.contentType,
                                                   .contentDisposition: "attachment; filename=\"\(file.fileName)\""],
                            body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
        }

        for step in ["draft", "approve", "submit"] {
            form(web, RouterPath("/returns/:unit/:year/:quarter/\(step)")) { r in
                let (unit, year, quarter) = try period(r)
                do {
                    switch step {
                    case "draft": _ = try await context.returns.draft(unit: unit, year: year, quarter: quarter, by: r.caller)
                    case "approve": _ = try await context.returns.approve(unit: unit, year: year, quarter: quarter, by: r.caller)
                    default:
                        guard r.form["confirm"] == "1" else {
                            throw AppError.validation([FieldError(field: "confirm", code: "required", message: "报送后不能再修改，请先勾选确认已核对数据")])
                        }
                        _ = try await context.returns.submit(unit: unit, year: year, quarter: quarter, by: r.caller)
                    }
                    return redirect(ReturnPaths.page(unit: unit, year: year, quarter: quarter) + "?done=\(step)")
                } catch let error where FormErrors(error) != nil {
                    let view = try await context.returns.show(unit: unit, year: year, quarter: quarter, by: r.caller)
                    return views.response(ReturnPage(session: r.session, view: view, notice: nil, errors: FormErrors(error)),
                                          status: .unprocessableContent)
                }
            }
        }
    }

    /// Unit, year and quarter from the path; anything else is the 404 page.
    private func period(_ r: WebRequest) throws -> (String, Int, Int) {
        (try r.parameter("unit"), try r.intParameter("year"), try r.intParameter("quarter"))
    }
}
