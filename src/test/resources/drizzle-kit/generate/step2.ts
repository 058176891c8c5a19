// Step 2 of DrizzleKitGenerateIT: step 1 edited. Added: schema audit, enum status, sequence, view, tables comments and
// audit.log (identity, composite pk), columns (incl. an FK column and an enum column with default), indexes (gin, partial,
// desc), a unique, checks, enum values (one in the middle). Changed: defaults, varchar lengths, not null both ways, an FK's
// on delete, a check and an index replaced, a unique dropped. No column, table, enum, schema, sequence or view is both
// dropped and created, so drizzle-kit does not prompt for renames.
import { sql } from 'drizzle-orm';
import { boolean, check, pgSequence, pgView, primaryKey, bigint, index, integer, jsonb, pgEnum, pgSchema, pgTable, serial, text, timestamp, unique, varchar } from 'drizzle-orm/pg-core';

export const mood = pgEnum('mood', ['sad', 'meh', 'ok', 'happy']);
export const app = pgSchema('app');
export const audit = pgSchema('audit');
export const status = pgEnum('status', ['draft', 'live']);
export const orderSeq = pgSequence('order_seq', { startWith: 100, increment: 5 });

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  email: varchar('email', { length: 320 }).notNull().unique(),
  name: varchar('name', { length: 100 }).notNull().default('anonymous'),
  mood: mood('mood').default('ok'),
  settings: jsonb('settings').default({ theme: 'light', beta: true }),
  tags: text('tags').array().default(sql`'{}'::text[]`),
  age: integer('age'),
  score: integer('score').notNull().default(0),
}, (t) => [
  check('users_age_range_chk', sql`${t.age} between 0 and 150`),
  index('users_name_idx').on(t.name),
  index('users_settings_gin').using('gin', t.settings),
  index('users_adult_idx').on(t.age, t.name).where(sql`${t.age} >= 18`),
]);

export const posts = pgTable('posts', {
  id: serial('id').primaryKey(),
  authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'restrict' }),
  title: text('title').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  body: text('body'),
  published: boolean('published').notNull().default(false),
  state: status('state').notNull().default('draft'),
}, (t) => [
  index('posts_author_created_idx').on(t.authorId, t.createdAt),
  index('posts_created_idx').on(t.createdAt.desc()),
  check('posts_title_chk', sql`${t.title} <> ''`),
]);

export const events = app.table('events', {
  id: serial('id').primaryKey(),
  userId: integer('user_id').references(() => users.id),
  kind: mood('kind'),
  payload: jsonb('payload').notNull().default({}),
  note: text('note'),
  postId: integer('post_id').references(() => posts.id, { onDelete: 'set null' }),
}, (t) => [
  index('events_user_idx').on(t.userId),
  unique('events_user_kind_uq').on(t.userId, t.kind),
]);

export const comments = pgTable('comments', {
  id: serial('id').primaryKey(),
  postId: integer('post_id').notNull().references(() => posts.id, { onDelete: 'cascade' }),
  authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
  body: text('body').notNull(),
  labels: text('labels').array(),
}, (t) => [
  index('comments_post_idx').on(t.postId),
  check('comments_body_chk', sql`length(${t.body}) > 0`),
]);

export const log = audit.table('log', {
  id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
  at: timestamp('at').notNull().defaultNow(),
  userId: integer('user_id').references(() => users.id),
  kind: status('kind'),
}, (t) => [primaryKey({ columns: [t.id, t.at] })]);

export const activeUsers = pgView('active_users').as((qb) => qb.select({ id: users.id, name: users.name }).from(users).where(sql`${users.age} >= 18`));
