ALTER TABLE `guardrail_settings` ADD `sms_opens` text DEFAULT '08:00' NOT NULL;--> statement-breakpoint
ALTER TABLE `guardrail_settings` ADD `sms_closes` text DEFAULT '21:00' NOT NULL;--> statement-breakpoint
ALTER TABLE `guardrail_settings` ADD `sms_days` text DEFAULT '[1,2,3,4,5,6,7]' NOT NULL;
