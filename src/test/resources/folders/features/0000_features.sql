CREATE SCHEMA "app";
--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('admin', 'member');--> statement-breakpoint
CREATE TYPE "app"."status" AS ENUM('open', 'done');--> statement-breakpoint
CREATE TABLE "app"."items" (
	"tenant" uuid NOT NULL,
	"sku" text NOT NULL,
	"state" "app"."status" DEFAULT 'open' NOT NULL,
	CONSTRAINT "items_tenant_sku_pk" PRIMARY KEY("tenant","sku")
);
--> statement-breakpoint
CREATE TABLE "posts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "posts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"author_id" integer NOT NULL,
	"title" varchar(200) NOT NULL,
	"slug" text NOT NULL,
	"body" text,
	CONSTRAINT "posts_slug_unique" UNIQUE NULLS NOT DISTINCT("slug")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"email" varchar(320) NOT NULL,
	"name" text NOT NULL,
	"role" "role" DEFAULT 'member' NOT NULL,
	"balance" numeric(12, 2) DEFAULT '0' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"settings" jsonb DEFAULT '{"theme":"dark"}'::jsonb,
	"tags" text[] DEFAULT '{}'::text[],
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "balance_nonneg" CHECK ("users"."balance" >= 0)
);
--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "posts_author_idx" ON "posts" USING btree ("author_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_idx" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "users_active_created_idx" ON "users" USING btree ("created_at" DESC NULLS LAST) WHERE "users"."active" = true;