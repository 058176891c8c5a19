ALTER TABLE "posts" DROP COLUMN "title";--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "email" SET DATA TYPE varchar(320) USING "email"::varchar(320);