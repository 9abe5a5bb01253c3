import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Flow } from '../../journeys/flow-schema';
import type { Scalar } from '../../journeys/events';

/** The live version of each flow of a store; every change writes a new version (see flow_versions). */
export const flows = sqliteTable(
  'flows',
  {
    storeId: text('store_id').notNull(),
    id: text('id').notNull(),
    version: integer('version').notNull(),
    definition: text('definition', { mode: 'json' }).$type<Flow>().notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    /** Flows are stepped in this order for every event (presets in their shipped order). */
    position: integer('position').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.id] })],
);

/** Every version a flow ever had, for audit and for explaining an enrollment that runs on an old one. */
export const flowVersions = sqliteTable(
  'flow_versions',
  {
    storeId: text('store_id').notNull(),
    flowId: text('flow_id').notNull(),
    version: integer('version').notNull(),
    definition: text('definition', { mode: 'json' }).$type<Flow>().notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.flowId, t.version] })],
);

export const ENROLLMENT_STATUSES = ['active', 'completed', 'exited'] as const;

/** A mirror of the ContactAgent's enrollments for dashboards, written from journey_log actions. */
export const journeyEnrollments = sqliteTable(
  'journey_enrollments',
  {
    storeId: text('store_id').notNull(),
    id: text('id').notNull(),
    contactId: text('contact_id').notNull(),
    flowId: text('flow_id').notNull(),
    flowVersion: integer('flow_version').notNull(),
    status: text('status', { enum: ENROLLMENT_STATUSES }).notNull(),
    exitReason: text('exit_reason'),
    converted: integer('converted', { mode: 'boolean' }).notNull().default(false),
    enteredAt: integer('entered_at').notNull(),
    endedAt: integer('ended_at'),
    updatedAt: integer('updated_at').notNull(),
    /** The split branch key the enrollment was assigned (null before or without a split). */
    variant: text('variant'),
    /** In the flow's holdout: walked the flow but got no message, coupon, audience row or webhook. */
    heldOut: integer('held_out', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.storeId, t.id] }),
    index('journey_enrollments_contact').on(t.storeId, t.contactId, t.enteredAt),
    index('journey_enrollments_flow').on(t.storeId, t.flowId, t.status),
    index('journey_enrollments_experiment').on(t.storeId, t.flowId, t.enteredAt),
  ],
);

/** Append-only journey log; `log_key` makes a re-run outbox entry write nothing twice. */
export const journeyLog = sqliteTable(
  'journey_log',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    storeId: text('store_id').notNull(),
    logKey: text('log_key').notNull(),
    contactId: text('contact_id').notNull(),
    flowId: text('flow_id').notNull(),
    flowVersion: integer('flow_version').notNull(),
    enrollmentId: text('enrollment_id').notNull(),
    what: text('what').notNull(),
    nodeId: text('node_id'),
    reason: text('reason'),
    at: integer('at').notNull(),
  },
  (t) => [uniqueIndex('journey_log_key').on(t.storeId, t.logKey), index('journey_log_flow').on(t.storeId, t.flowId, t.at)],
);

export const contactTags = sqliteTable(
  'contact_tags',
  {
    storeId: text('store_id').notNull(),
    contactId: text('contact_id').notNull(),
    tag: text('tag').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.contactId, t.tag] })],
);

export const contactProperties = sqliteTable(
  'contact_properties',
  {
    storeId: text('store_id').notNull(),
    contactId: text('contact_id').notNull(),
    key: text('key').notNull(),
    value: text('value', { mode: 'json' }).$type<Scalar>(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.contactId, t.key] })],
);
