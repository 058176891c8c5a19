package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.Column;
import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.Index;
import dev.mellon.migrator.schema.SchemaObjects;
import dev.mellon.migrator.schema.Table;

import java.util.List;

/**
 * One step from a schema towards another. Every kind of object the model holds has its own records, so that the SQL
 * writer, the hazard rules and the drift report each handle a closed set of cases instead of parsing strings.
 */
public sealed interface Change {

    /** The object kind as reports name it: {@code table}, {@code column}, {@code index}, ... */
    String kind();

    /** The qualified object name: {@code public.users}, {@code public.users.email}. */
    String name();

    /** What the step does to the object, from the point of view of the schema being changed. */
    Effect effect();

    enum Effect { CREATE, DROP, ALTER, RENAME }

    /** Calls the visitor's method for this kind of change. */
    <R> R accept(Visitor<R> visitor);

    /**
     * One method per kind of change: code that must handle every kind implements this, so that a new kind does not
     * compile until each of them says what it does with it.
     */
    interface Visitor<R> {
        R createSchema(CreateSchema change);

        R dropSchema(DropSchema change);

        R renameSchema(RenameSchema change);

        R createEnum(CreateEnum change);

        R dropEnum(DropEnum change);

        R renameEnum(RenameEnum change);

        R addEnumValue(AddEnumValue change);

        R recreateEnum(RecreateEnum change);

        R createSequence(CreateSequence change);

        R dropSequence(DropSequence change);

        R alterSequence(AlterSequence change);

        R createRole(CreateRole change);

        R dropRole(DropRole change);

        R alterRole(AlterRole change);

        R createTable(CreateTable change);

        R dropTable(DropTable change);

        R renameTable(RenameTable change);

        R enableRls(EnableRls change);

        R disableRls(DisableRls change);

        R addColumn(AddColumn change);

        R dropColumn(DropColumn change);

        R renameColumn(RenameColumn change);

        R alterColumnType(AlterColumnType change);

        R alterColumnDefault(AlterColumnDefault change);

        R alterColumnNotNull(AlterColumnNotNull change);

        R alterColumnIdentity(AlterColumnIdentity change);

        R alterColumnGenerated(AlterColumnGenerated change);

        R addPrimaryKey(AddPrimaryKey change);

        R dropPrimaryKey(DropPrimaryKey change);

        R addForeignKey(AddForeignKey change);

        R dropForeignKey(DropForeignKey change);

        R addUnique(AddUnique change);

        R dropUnique(DropUnique change);

        R addCheck(AddCheck change);

        R dropCheck(DropCheck change);

        R createIndex(CreateIndex change);

        R dropIndex(DropIndex change);

        R createPolicy(CreatePolicy change);

        R dropPolicy(DropPolicy change);

        R alterPolicy(AlterPolicy change);

        R createView(CreateView change);

        R dropView(DropView change);
    }

    /** A table by schema and name; {@code schema} is the real name ({@code public}, never empty). */
    record TableRef(String schema, String name) {
        public static TableRef of(Table table) {
            return new TableRef(table.schemaName(), table.name());
        }

        public String key() {
            return schema + "." + name;
        }
    }

    /**
     * A column of a table that uses a type being changed.
     *
     * @param before the column before the change, or {@code null} for a column of a table the plan creates
     */
    record ColumnUse(TableRef table, Column column, Column before) {
    }

    /**
     * A column that uses an enum now and will not afterwards (it is dropped, or gets another type): it must let go of
     * the type before the type is dropped.
     *
     * @param to the column afterwards, or {@code null} when it is dropped
     */
    record ReleasedColumn(TableRef table, Column from, Column to) {
    }

    // Schemas

    record CreateSchema(String schema) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.createSchema(this); }
        public String kind() { return "schema"; }
        public String name() { return schema; }
        public Effect effect() { return Effect.CREATE; }
    }

    record DropSchema(String schema) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.dropSchema(this); }
        public String kind() { return "schema"; }
        public String name() { return schema; }
        public Effect effect() { return Effect.DROP; }
    }

    record RenameSchema(String from, String to) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.renameSchema(this); }
        public String kind() { return "schema"; }
        public String name() { return to; }
        public Effect effect() { return Effect.RENAME; }
    }

    // Enums

    record CreateEnum(SchemaObjects.EnumType type) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.createEnum(this); }
        public String kind() { return "enum"; }
        public String name() { return type.key(); }
        public Effect effect() { return Effect.CREATE; }
    }

    record DropEnum(SchemaObjects.EnumType type) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.dropEnum(this); }
        public String kind() { return "enum"; }
        public String name() { return type.key(); }
        public Effect effect() { return Effect.DROP; }
    }

    record RenameEnum(SchemaObjects.EnumType from, String to) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.renameEnum(this); }
        public String kind() { return "enum"; }
        public String name() { return from.schema() + "." + to; }
        public Effect effect() { return Effect.RENAME; }
    }

    /** {@code ALTER TYPE … ADD VALUE}; {@code before} names the value it goes in front of, or is null to append. */
    record AddEnumValue(SchemaObjects.EnumType type, String value, String before) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.addEnumValue(this); }
        public String kind() { return "enum"; }
        public String name() { return type.key(); }
        public Effect effect() { return Effect.ALTER; }
    }

    /**
     * PostgreSQL cannot drop an enum value: the type is recreated, and every column using it goes through text while
     * it is (drizzle-kit's way).
     */
    record RecreateEnum(SchemaObjects.EnumType from, SchemaObjects.EnumType to, List<ColumnUse> columns,
                        List<ReleasedColumn> released) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.recreateEnum(this); }
        public RecreateEnum {
            columns = List.copyOf(columns);
            released = List.copyOf(released);
        }

        public String kind() { return "enum"; }
        public String name() { return to.key(); }
        public Effect effect() { return Effect.ALTER; }
    }

    // Sequences

    record CreateSequence(SchemaObjects.Sequence sequence) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.createSequence(this); }
        public String kind() { return "sequence"; }
        public String name() { return sequence.key(); }
        public Effect effect() { return Effect.CREATE; }
    }

    record DropSequence(SchemaObjects.Sequence sequence) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.dropSequence(this); }
        public String kind() { return "sequence"; }
        public String name() { return sequence.key(); }
        public Effect effect() { return Effect.DROP; }
    }

    record AlterSequence(SchemaObjects.Sequence from, SchemaObjects.Sequence to) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.alterSequence(this); }
        public String kind() { return "sequence"; }
        public String name() { return to.key(); }
        public Effect effect() { return Effect.ALTER; }
    }

    // Roles

    record CreateRole(SchemaObjects.Role role) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.createRole(this); }
        public String kind() { return "role"; }
        public String name() { return role.name(); }
        public Effect effect() { return Effect.CREATE; }
    }

    record DropRole(SchemaObjects.Role role) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.dropRole(this); }
        public String kind() { return "role"; }
        public String name() { return role.name(); }
        public Effect effect() { return Effect.DROP; }
    }

    record AlterRole(SchemaObjects.Role from, SchemaObjects.Role to) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.alterRole(this); }
        public String kind() { return "role"; }
        public String name() { return to.name(); }
        public Effect effect() { return Effect.ALTER; }
    }

    // Tables

    /** A new table with its columns, primary key, uniques and checks (drizzle-kit writes those inline). */
    record CreateTable(Table table) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.createTable(this); }
        public String kind() { return "table"; }
        public String name() { return TableRef.of(table).key(); }
        public Effect effect() { return Effect.CREATE; }
    }

    record DropTable(Table table) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.dropTable(this); }
        public String kind() { return "table"; }
        public String name() { return TableRef.of(table).key(); }
        public Effect effect() { return Effect.DROP; }
    }

    record RenameTable(TableRef from, String to) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.renameTable(this); }
        public String kind() { return "table"; }
        public String name() { return from.schema() + "." + to; }
        public Effect effect() { return Effect.RENAME; }
    }

    record EnableRls(TableRef table) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.enableRls(this); }
        public String kind() { return "table"; }
        public String name() { return table.key(); }
        public Effect effect() { return Effect.ALTER; }
    }

    record DisableRls(TableRef table) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.disableRls(this); }
        public String kind() { return "table"; }
        public String name() { return table.key(); }
        public Effect effect() { return Effect.ALTER; }
    }

    // Columns

    record AddColumn(TableRef table, Column column) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.addColumn(this); }
        public String kind() { return "column"; }
        public String name() { return table.key() + "." + column.name(); }
        public Effect effect() { return Effect.CREATE; }
    }

    record DropColumn(TableRef table, Column column) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.dropColumn(this); }
        public String kind() { return "column"; }
        public String name() { return table.key() + "." + column.name(); }
        public Effect effect() { return Effect.DROP; }
    }

    record RenameColumn(TableRef table, String from, String to) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.renameColumn(this); }
        public String kind() { return "column"; }
        public String name() { return table.key() + "." + to; }
        public Effect effect() { return Effect.RENAME; }
    }

    /** One attribute of a column that exists on both sides. */
    sealed interface ColumnChange extends Change {
        TableRef table();

        Column from();

        Column to();

        /** The attribute as reports name it: {@code type}, {@code default}, {@code notNull}, ... */
        String attribute();

        default String kind() { return "column"; }
        default String name() { return table().key() + "." + to().name(); }
        default Effect effect() { return Effect.ALTER; }
    }

    record AlterColumnType(TableRef table, Column from, Column to) implements ColumnChange {
        public <R> R accept(Visitor<R> visitor) { return visitor.alterColumnType(this); }
        public String attribute() { return "type"; }
    }

    record AlterColumnDefault(TableRef table, Column from, Column to) implements ColumnChange {
        public <R> R accept(Visitor<R> visitor) { return visitor.alterColumnDefault(this); }
        public String attribute() { return "default"; }
    }

    record AlterColumnNotNull(TableRef table, Column from, Column to) implements ColumnChange {
        public <R> R accept(Visitor<R> visitor) { return visitor.alterColumnNotNull(this); }
        public String attribute() { return "notNull"; }
    }

    record AlterColumnIdentity(TableRef table, Column from, Column to) implements ColumnChange {
        public <R> R accept(Visitor<R> visitor) { return visitor.alterColumnIdentity(this); }
        public String attribute() { return "identity"; }
    }

    record AlterColumnGenerated(TableRef table, Column from, Column to) implements ColumnChange {
        public <R> R accept(Visitor<R> visitor) { return visitor.alterColumnGenerated(this); }
        public String attribute() { return "generated"; }
    }

    // Keys, constraints and indexes of existing tables

    /** @param inline a single-column key declared on its column; PostgreSQL names it {@code <table>_pkey} */
    record AddPrimaryKey(TableRef table, Constraints.PrimaryKey key, boolean inline) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.addPrimaryKey(this); }
        public String kind() { return "primaryKey"; }
        public String name() { return table.key() + "." + key.name(); }
        public Effect effect() { return Effect.CREATE; }
    }

    record DropPrimaryKey(TableRef table, Constraints.PrimaryKey key, boolean inline) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.dropPrimaryKey(this); }
        public String kind() { return "primaryKey"; }
        public String name() { return table.key() + "." + key.name(); }
        public Effect effect() { return Effect.DROP; }
    }

    /** @param newTable the table is created by the same plan (drizzle-kit orders those keys first) */
    record AddForeignKey(TableRef table, Constraints.ForeignKey key, boolean newTable) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.addForeignKey(this); }
        public String kind() { return "foreignKey"; }
        public String name() { return table.key() + "." + key.name(); }
        public Effect effect() { return Effect.CREATE; }
    }

    record DropForeignKey(TableRef table, Constraints.ForeignKey key) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.dropForeignKey(this); }
        public String kind() { return "foreignKey"; }
        public String name() { return table.key() + "." + key.name(); }
        public Effect effect() { return Effect.DROP; }
    }

    record AddUnique(TableRef table, Constraints.Unique unique) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.addUnique(this); }
        public String kind() { return "unique"; }
        public String name() { return table.key() + "." + unique.name(); }
        public Effect effect() { return Effect.CREATE; }
    }

    record DropUnique(TableRef table, Constraints.Unique unique) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.dropUnique(this); }
        public String kind() { return "unique"; }
        public String name() { return table.key() + "." + unique.name(); }
        public Effect effect() { return Effect.DROP; }
    }

    record AddCheck(TableRef table, Constraints.Check check) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.addCheck(this); }
        public String kind() { return "check"; }
        public String name() { return table.key() + "." + check.name(); }
        public Effect effect() { return Effect.CREATE; }
    }

    record DropCheck(TableRef table, Constraints.Check check) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.dropCheck(this); }
        public String kind() { return "check"; }
        public String name() { return table.key() + "." + check.name(); }
        public Effect effect() { return Effect.DROP; }
    }

    /** @param newTable the table is created by the same plan (drizzle-kit orders those indexes first) */
    record CreateIndex(TableRef table, Index index, boolean newTable) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.createIndex(this); }
        public String kind() { return "index"; }
        public String name() { return table.key() + "." + index.name(); }
        public Effect effect() { return Effect.CREATE; }
    }

    record DropIndex(TableRef table, Index index) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.dropIndex(this); }
        public String kind() { return "index"; }
        public String name() { return table.key() + "." + index.name(); }
        public Effect effect() { return Effect.DROP; }
    }

    // Policies

    record CreatePolicy(TableRef table, Constraints.Policy policy) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.createPolicy(this); }
        public String kind() { return "policy"; }
        public String name() { return table.key() + "." + policy.name(); }
        public Effect effect() { return Effect.CREATE; }
    }

    record DropPolicy(TableRef table, Constraints.Policy policy) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.dropPolicy(this); }
        public String kind() { return "policy"; }
        public String name() { return table.key() + "." + policy.name(); }
        public Effect effect() { return Effect.DROP; }
    }

    /** A policy whose roles or expressions changed; its command and kind are the same on both sides. */
    record AlterPolicy(TableRef table, Constraints.Policy from, Constraints.Policy to) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.alterPolicy(this); }
        public String kind() { return "policy"; }
        public String name() { return table.key() + "." + to.name(); }
        public Effect effect() { return Effect.ALTER; }
    }

    // Views

    record CreateView(SchemaObjects.View view) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.createView(this); }
        public String kind() { return "view"; }
        public String name() { return view.schema() + "." + view.name(); }
        public Effect effect() { return Effect.CREATE; }
    }

    record DropView(SchemaObjects.View view) implements Change {
        public <R> R accept(Visitor<R> visitor) { return visitor.dropView(this); }
        public String kind() { return "view"; }
        public String name() { return view.schema() + "." + view.name(); }
        public Effect effect() { return Effect.DROP; }
    }
}
