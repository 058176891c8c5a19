package dev.mellon.migrator.web;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** How this instance names itself in the audit table: {@code mellon-migrator@<host>}. */
public final class ServiceIdentity {

    public static final String NAME = "mellon-migrator@" + host();

    private ServiceIdentity() {
    }

    private static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
