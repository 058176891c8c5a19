// Step 1 of DrizzleKitGenerateIT: drizzle-kit generate --name init starts the folder from this schema.
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgEnum, pgSchema, pgTable, serial, text, timestamp, unique, varchar } from 'drizzle-orm/pg-core';

export const mood = pgEnum('mood', ['sad', 'ok']);
export const app = pgSchema('app');

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  email: varchar('email', { length: 255 }).notNull().unique(),
  name: text('name').default('anon'),
  mood: mood('mood').default('ok'),
  settings: jsonb('settings').default({ theme: 'dark' }),
  tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
  age: integer('age'),
}, (t) => [
  check('users_age_chk', sql`${t.age} >= 0`),
  index('users_name_idx').on(t.name),
]);

export const posts = pgTable('posts', {
  id: serial('id').primaryKey(),
  authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('posts_author_idx').on(t.authorId),
  unique('posts_author_title_uq').on(t.authorId, t.title),
]);

export const events = app.table('events', {
  id: serial('id').primaryKey(),
  userId: integer('user_id').references(() => users.id),
  kind: mood('kind'),
  payload: jsonb('payload').notNull().default({}),
});
