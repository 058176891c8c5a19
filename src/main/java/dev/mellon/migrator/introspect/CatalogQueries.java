package dev.mellon.migrator.introspect;

/**
 * The catalog queries introspection runs, one per kind of object and each over the whole database, by name. User
 * objects are those outside {@code pg_*} and {@code information_schema} and not created by an extension; the two
 * conditions are written once below and spliced in where a query names them.
 */
final class CatalogQueries {

    /** A schema {@code n} of the user's. */
    private static final String USER_SCHEMA = "n.nspname !~ '^pg_' and n.nspname <> 'information_schema'";
    /** A relation {@code c} no extension created. */
    private static final String NOT_EXTENSION_OWNED =
            "not exists (select 1 from pg_depend e where e.classid = 'pg_class'::regclass and e.objid = c.oid and e.deptype = 'e')";

    private CatalogQueries() {
    }

    static final String SCHEMAS = """
            select n.nspname from pg_namespace n where %s
             and not exists (select 1 from pg_depend e where e.classid = 'pg_namespace'::regclass and e.objid = n.oid and e.deptype = 'e')
             order by 1""".formatted(USER_SCHEMA);

    static final String RELATIONS = """
            select c.oid, n.nspname, c.relname, c.relkind, c.relrowsecurity from pg_class c
             join pg_namespace n on n.oid = c.relnamespace
             where c.relkind in ('r', 'p', 'v', 'm') and not c.relispartition and %s and %s
             order by n.nspname, c.relname""".formatted(USER_SCHEMA, NOT_EXTENSION_OWNED);

    static final String ENUMS = """
            select n.nspname, t.typname, array_agg(e.enumlabel order by e.enumsortorder)::text[] from pg_type t
             join pg_namespace n on n.oid = t.typnamespace join pg_enum e on e.enumtypid = t.oid
             where %s
             and not exists (select 1 from pg_depend d where d.classid = 'pg_type'::regclass and d.objid = t.oid and d.deptype = 'e')
             group by n.nspname, t.typname order by 1, 2""".formatted(USER_SCHEMA);

    /** Sequences a column owns: serial ({@code a}) and identity ({@code i}) dependencies. */
    static final String OWNED_SEQUENCES = """
            select d.refobjid, d.refobjsubid, d.deptype, n.nspname, c.relname, s.seqincrement, s.seqstart, s.seqmin,
             s.seqmax, s.seqcache, s.seqcycle from pg_depend d
             join pg_sequence s on s.seqrelid = d.objid join pg_class c on c.oid = s.seqrelid
             join pg_namespace n on n.oid = c.relnamespace
             where d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')""";

    static final String COLUMNS = """
            select a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
             pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated, a.attndims,
             coalesce(et.typtype, t.typtype), coalesce(etn.nspname, tn.nspname), coalesce(et.typname, t.typname),
             t.typcategory = 'A', t.typname
             from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
             join pg_type t on t.oid = a.atttypid join pg_namespace tn on tn.oid = t.typnamespace
             left join pg_type et on et.oid = t.typelem and t.typcategory = 'A'
             left join pg_namespace etn on etn.oid = et.typnamespace
             left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
             where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm') and %s
             order by a.attrelid, a.attnum""".formatted(USER_SCHEMA);

    /**
     * Primary keys, uniques, foreign keys and checks. {@code indnullsnotdistinct} arrived in PostgreSQL 15; before it,
     * no unique can have it.
     */
    static String constraints(boolean pg15) {
        return """
                select con.conrelid, con.conname, con.contype, con.conkey, con.confrelid, con.confkey, con.confupdtype,
                 con.confdeltype, pg_get_constraintdef(con.oid), fn.nspname, fc.relname, %s
                 from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
                 left join pg_class fc on fc.oid = con.confrelid left join pg_namespace fn on fn.oid = fc.relnamespace
                 left join pg_index i on i.indexrelid = con.conindid
                 where con.contype in ('p', 'u', 'f', 'c') and %s
                 order by con.conrelid, con.conname""".formatted(pg15 ? "coalesce(i.indnullsnotdistinct, false)" : "false",
                USER_SCHEMA);
    }

    /** The columns of the tables foreign keys point to, by table oid. */
    static final String REFERENCED_COLUMNS = "select attrelid, attnum, attname from pg_attribute where attrelid = any(?) and attnum > 0";

    /** Index keys, one row per key column; constraint indexes are read with their constraint. */
    static final String INDEX_KEYS = """
            select i.indrelid, ic.relname, i.indisunique, am.amname, pg_get_expr(i.indpred, i.indrelid),
             ic.reloptions, k.ord, pg_get_indexdef(i.indexrelid, k.ord, false), i.indkey[k.ord - 1],
             i.indoption[k.ord - 1], opc.opcname, opc.opcdefault
             from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_am am on am.oid = ic.relam
             join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
             cross join lateral generate_series(1, i.indnkeyatts::int) as k(ord)
             left join pg_opclass opc on opc.oid = i.indclass[k.ord - 1]
             where %s
             and not exists (select 1 from pg_constraint con where con.conindid = i.indexrelid and con.contype in ('p', 'u', 'x'))
             order by i.indrelid, ic.relname, k.ord""".formatted(USER_SCHEMA);

    static final String POLICIES = """
            select schemaname, tablename, policyname, permissive, roles::text[], cmd, qual, with_check from pg_policies
             order by schemaname, tablename, policyname""";

    static final String VIEW_DEFINITIONS = "select c.oid, pg_get_viewdef(c.oid, true) from pg_class c where c.relkind in ('v', 'm')";

    /** Sequences of their own: not owned by a column. */
    static final String SEQUENCES = """
            select n.nspname, c.relname, s.seqincrement, s.seqstart, s.seqmin, s.seqmax, s.seqcache, s.seqcycle
             from pg_sequence s join pg_class c on c.oid = s.seqrelid join pg_namespace n on n.oid = c.relnamespace
             where %s and %s
             and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i'))
             order by 1, 2""".formatted(USER_SCHEMA, NOT_EXTENSION_OWNED);

    /** What the schema model has no place for: functions, triggers and extensions. */
    static final String UNMANAGED = """
            select 'function', n.nspname, p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
               case p.prokind when 'p' then 'procedure' when 'a' then 'aggregate' when 'w' then 'window function' else 'function' end
             from pg_proc p join pg_namespace n on n.oid = p.pronamespace where %1$s
             and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
             union all
             select 'trigger', n.nspname, t.tgname, 'on ' || c.relname from pg_trigger t join pg_class c on c.oid = t.tgrelid
             join pg_namespace n on n.oid = c.relnamespace where not t.tgisinternal and %1$s
             union all
             select 'extension', n.nspname, e.extname, 'version ' || e.extversion from pg_extension e
             join pg_namespace n on n.oid = e.extnamespace where e.extname <> 'plpgsql'
             order by 1, 2, 3""".formatted(USER_SCHEMA);
}
