package dev.mellon.migrator.web.security;

import dev.mellon.migrator.config.MigratorConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether requests must authenticate, and with which tokens. Decided once at start-up: a production service with no
 * tokens refuses to start, because an open migration service can drop production tables.
 */
@Singleton
public class AccessPolicy {

    private static final Logger LOG = Logger.getLogger(AccessPolicy.class);

    private final TokenRegistry tokens;
    private final boolean enabled;

    AccessPolicy(MigratorConfig config) {
        Map<String, Map.Entry<String, List<String>>> configured = new LinkedHashMap<>();
        config.auth().tokens().forEach((name, token) -> configured.put(name, Map.entry(token.hash(), token.roles())));
        this.tokens = TokenRegistry.of(configured);
        // The command line holds the database URL itself: there is no HTTP caller to authenticate.
        this.enabled = !dev.mellon.migrator.config.RunMode.cli()
                && decide(config.auth().enabled().orElse(null), tokens.isEmpty(), LaunchMode.current());
    }

    /**
     * @param explicit the master switch as configured, or {@code null}
     * @throws IllegalStateException when the service would be open (or locked shut) without anyone having said so
     */
    static boolean decide(Boolean explicit, boolean noTokens, LaunchMode mode) {
        if (Boolean.FALSE.equals(explicit)) {
            return false;
        }
        if (!noTokens) {
            return true;
        }
        if (Boolean.TRUE.equals(explicit)) {
            throw new IllegalStateException("migrator.auth.enabled=true but no token is configured: set "
                    + "migrator.auth.tokens.<name>.hash=sha256:<hex> and migrator.auth.tokens.<name>.roles");
        }
        if (mode == LaunchMode.NORMAL) {
            throw new IllegalStateException("No API token is configured. Configure at least one, e.g. "
                    + "MIGRATOR_AUTH_TOKENS_CI_HASH=sha256:$(printf %s \"$TOKEN\" | sha256sum | cut -d' ' -f1) and "
                    + "MIGRATOR_AUTH_TOKENS_CI_ROLES=deployer, or set MIGRATOR_AUTH_ENABLED=false to run without authentication");
        }
        return false;
    }

    public boolean enabled() {
        return enabled;
    }

    TokenRegistry tokens() {
        return tokens;
    }

    void announce(@Observes StartupEvent event) {
        if (dev.mellon.migrator.config.RunMode.cli()) {
            return;
        }
        if (enabled) {
            LOG.infof("Authentication on: %d API token(s) configured", tokens.size());
        } else {
            LOG.warn("AUTHENTICATION IS OFF: every caller may apply, generate and push. Configure "
                    + "migrator.auth.tokens.<name>.hash and .roles before exposing this service");
        }
    }
}
