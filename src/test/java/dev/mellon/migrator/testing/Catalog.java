package dev.mellon.migrator.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Small catalog reads for assertions: what the user schemas hold, and drizzle's tracking rows. */
public final class Catalog {

    private Catalog() {
    }

    /** Every table column, index and constraint outside the system and tracking schemas, as sorted text lines. */
    public static List<String> userObjects(Connection c) throws SQLException {
        return strings(c, """
                select 'column ' || table_schema || '.' || table_name || '.' || column_name || ' ' || data_type
                  from information_schema.columns
                 where table_schema not in ('pg_catalog', 'information_schema', 'drizzle')
                union all
                select 'index ' || schemaname || '.' || indexname from pg_indexes
                 where schemaname not in ('pg_catalog', 'drizzle')
                union all
                select 'type ' || n.nspname || '.' || t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace
                 where t.typtype = 'e'
                order by 1""");
    }

    /** drizzle's rows as "hash when", in id order; empty when the table is missing. */
    public static List<String> trackingRows(Connection c) throws SQLException {
        if (!exists(c, "drizzle.__drizzle_migrations")) {
            return List.of();
        }
        return strings(c, "select hash || ' ' || coalesce(created_at::text, 'NULL') from drizzle.__drizzle_migrations order by id");
    }

    public static boolean exists(Connection c, String relation) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select to_regclass('" + relation + "') is not null")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    public static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * The whole observable state of a database for "nothing changed" assertions: every schema, every user object (as
     * {@link #userObjects}), and every table outside the system schemas, the tracking and audit tables included, with
     * its row count and an MD5 of its rows in text form, as sorted lines.
     */
    public static List<String> state(Connection c) throws SQLException {
        List<String> out = new ArrayList<>(strings(c, """
                select 'schema ' || nspname from pg_namespace
                 where nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and nspname not like 'pg_temp_%'
                   and nspname not like 'pg_toast_temp_%'
                order by 1"""));
        out.addAll(userObjects(c));
        List<String> tables = strings(c, """
                select format('%I.%I', n.nspname, t.relname) from pg_class t join pg_namespace n on n.oid = t.relnamespace
                 where t.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
                   and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp_%'
                order by 1""");
        for (String table : tables) {
            out.add("rows " + table + " " + strings(c, "select count(*) || ' ' || coalesce(md5(string_agg(r::text, '|' order by r::text)), '-')"
                    + " from " + table + " r").get(0));
        }
        return out;
    }
}
