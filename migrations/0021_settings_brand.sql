ALTER TABLE `store_settings` ADD `display_name` text;--> statement-breakpoint
ALTER TABLE `store_settings` ADD `brand_logo_url` text;--> statement-breakpoint
ALTER TABLE `store_settings` ADD `brand_primary_color` text;--> statement-breakpoint
ALTER TABLE `store_settings` ADD `brand_accent_color` text;--> statement-breakpoint
ALTER TABLE `privacy_settings` ADD `open_tracking` integer DEFAULT true NOT NULL;
