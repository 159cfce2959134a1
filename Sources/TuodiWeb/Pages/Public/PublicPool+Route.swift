import Hummingbird
import TuodiApp
import TuodiDomain

extension WebApp {
    func registerPublic(on web: RouterGroup<Context>) {
        web.get("/public") { _, _ in views.response(PublicIndexPage()) }
        web.get("/public/pool") { request, _ in
            guard let district = request.uri.queryParameters["district"].map(String.init) else { return redirect("/public") }
            let roster = try await context.pool.publicRoster(unit: district)
            return views.response(PublicPoolPage(unit: roster.unit, asOf: roster.asOf, members: roster.members))
        }
    }
}
