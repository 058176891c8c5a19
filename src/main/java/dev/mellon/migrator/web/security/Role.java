package dev.mellon.migrator.web.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The service's roles. A token is granted the roles it names and every role they imply, so that
 * {@code @RolesAllowed} names only the least role an operation needs.
 */
public enum Role {
    /** Reads migration state, the schema and drift; never table rows. */
    VIEWER,
    /** Reads table rows in the studio. */
    READER,
    /** Applies pending migrations: apply, wait, mark-applied, resume. */
    DEPLOYER,
    /** Generates, pushes, rebases, rolls back, baselines, and may use the allow-flags that override safety checks. */
    ADMIN;

    /** Constants for annotations, which cannot call {@link #wireName()}. */
    public static final String VIEWER_NAME = "viewer";
    public static final String READER_NAME = "reader";
    public static final String DEPLOYER_NAME = "deployer";
    public static final String ADMIN_NAME = "admin";

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** This role and the roles it includes. */
    public Set<Role> closure() {
        return switch (this) {
            case VIEWER -> EnumSet.of(VIEWER);
            case READER -> EnumSet.of(READER, VIEWER);
            case DEPLOYER -> EnumSet.of(DEPLOYER, VIEWER);
            case ADMIN -> EnumSet.allOf(Role.class);
        };
    }

    public static Role parse(String name) {
        for (Role role : values()) {
            if (role.wireName().equals(name.strip().toLowerCase(Locale.ROOT))) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role \"" + name.strip() + "\" (the roles are viewer, reader, deployer, admin)");
    }
}
