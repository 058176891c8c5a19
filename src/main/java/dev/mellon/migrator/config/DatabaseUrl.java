package dev.mellon.migrator.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A database address as JDBC wants it, parsed from {@code DATABASE_URL} in either of the forms people have:
 * {@code postgresql://user:pass@host:5432/db?sslmode=require} (libpq / node-postgres, what Drizzle projects keep in
 * {@code .env}; {@code postgres://} too) or {@code jdbc:postgresql://host:5432/db?user=…}.
 *
 * @param jdbcUrl  the JDBC URL without credentials
 * @param user     the user name, or {@code null} to leave it to the JDBC URL
 * @param password the password, or {@code null}
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    public static final String VARIABLE = "DATABASE_URL";

    /** Never shows the password. */
    @Override
    public String toString() {
        return "DatabaseUrl[" + Secrets.mask(jdbcUrl) + ", user=" + user + ", password=" + (password == null ? "none" : Secrets.MASK) + "]";
    }

    /** Parses the value; an {@link IllegalArgumentException} says what is wrong, naming the variable, never the password. */
    public static DatabaseUrl parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(VARIABLE + " is empty");
        }
        String url = value.strip();
        if (url.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(url, null, null);
        }
        String lower = url.toLowerCase(Locale.ROOT);
        String rest;
        if (lower.startsWith("postgresql://")) {
            rest = url.substring("postgresql://".length());
        } else if (lower.startsWith("postgres://")) {
            rest = url.substring("postgres://".length());
        } else {
            throw new IllegalArgumentException(VARIABLE + " must start with postgresql://, postgres:// or jdbc:postgresql:// (got \""
                    + redactScheme(url) + "\")");
        }
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String database = slash < 0 ? "" : decode(rest.substring(slash + 1));
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String credentials = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = credentials.indexOf(':');
            user = decode(colon < 0 ? credentials : credentials.substring(0, colon));
            password = colon < 0 ? null : decode(credentials.substring(colon + 1));
        }
        if (authority.isEmpty()) {
            throw new IllegalArgumentException(VARIABLE + " has no host (expected postgresql://user:pass@host:5432/db)");
        }
        checkHostAndPort(authority);
        if (database.isEmpty()) {
            throw new IllegalArgumentException(VARIABLE + " names no database (expected postgresql://user:pass@host:5432/db)");
        }
        List<String> parameters = new ArrayList<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String val = eq < 0 ? "" : pair.substring(eq + 1);
                if (key.equals("user") && user == null) {
                    user = decode(val);
                } else if (key.equals("password") && password == null) {
                    password = decode(val);
                } else {
                    parameters.add(key + "=" + val);
                }
            }
        }
        String jdbc = "jdbc:postgresql://" + authority + "/" + encodePath(database)
                + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters));
        return new DatabaseUrl(jdbc, user == null || user.isEmpty() ? null : user, password);
    }

    private static void checkHostAndPort(String authority) {
        for (String hostPort : authority.split(",")) {
            String port = null;
            if (hostPort.startsWith("[")) {
                int close = hostPort.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException(VARIABLE + " has an unterminated IPv6 address");
                }
                if (close + 1 < hostPort.length()) {
                    port = hostPort.substring(close + 2);
                }
            } else {
                int colon = hostPort.lastIndexOf(':');
                if (colon >= 0) {
                    port = hostPort.substring(colon + 1);
                }
            }
            if (port != null) {
                try {
                    int p = Integer.parseInt(port);
                    if (p < 1 || p > 65535) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(VARIABLE + " has an invalid port \"" + port + "\"");
                }
            }
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(VARIABLE + " contains an invalid %-escape");
        }
    }

    private static String encodePath(String database) {
        return database.replace("%", "%25").replace("?", "%3F").replace("/", "%2F");
    }

    private static String redactScheme(String url) {
        int scheme = url.indexOf("://");
        return scheme < 0 ? "(no scheme)" : url.substring(0, scheme) + "://…";
    }
}
