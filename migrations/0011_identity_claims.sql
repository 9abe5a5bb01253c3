CREATE TABLE `identity_claims` (
	`store_id` text NOT NULL,
	`visitor_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`event_key` text NOT NULL,
	`claimed_at` integer NOT NULL,
	`proven_at` integer,
	`proof` text,
	PRIMARY KEY(`store_id`, `visitor_id`, `contact_id`)
);
--> statement-breakpoint
CREATE INDEX `identity_claims_contact` ON `identity_claims` (`store_id`,`contact_id`);--> statement-breakpoint
UPDATE `consent_confirmations` SET `status` = 'expired' WHERE `status` = 'pending' AND `rowid` NOT IN (SELECT min(`rowid`) FROM `consent_confirmations` WHERE `status` = 'pending' GROUP BY `store_id`, `contact_id`, `channel`, `purpose`);--> statement-breakpoint
CREATE UNIQUE INDEX `consent_confirmations_one_pending` ON `consent_confirmations` (`store_id`,`contact_id`,`channel`,`purpose`) WHERE "consent_confirmations"."status" = 'pending';--> statement-breakpoint
CREATE INDEX `consent_confirmations_ip` ON `consent_confirmations` (`store_id`,`proof_ip_hash`,`requested_at`);--> statement-breakpoint
CREATE INDEX `consent_confirmations_requested` ON `consent_confirmations` (`store_id`,`requested_at`);
