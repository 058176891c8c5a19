package dev.mellon.migrator.studio;

import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * How the studio's pages are served: {@code /studio} redirects to {@code /studio/}; every page and file carries a
 * content security policy that admits only the studio's own scripts, styles and API (no inline code, no framing, no
 * plug-ins), and is revalidated on every load, so an upgraded service never keeps serving yesterday's studio from a
 * browser's cache.
 */
@Singleton
public class StudioHeaders {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    void install(@Observes Router router) {
        router.routeWithRegex("^/studio$").order(-100).handler(context -> {
            String query = context.request().query();
            context.response().setStatusCode(301).putHeader("Location", "/studio/" + (query == null ? "" : "?" + query)).end();
        });
        router.route("/studio/*").order(-100).handler(context -> {
            boolean page = !context.request().path().startsWith("/studio/api/");
            context.addHeadersEndHandler(ignored -> {
                var headers = context.response().headers();
                headers.set("X-Content-Type-Options", "nosniff");
                headers.set("Referrer-Policy", "no-referrer");
                if (page) {
                    headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                    headers.set("X-Frame-Options", "DENY");
                    // The files are not versioned by name: the browser must ask each time (a 304 while unchanged).
                    headers.set("Cache-Control", "no-cache");
                }
            });
            context.next();
        });
    }
}
