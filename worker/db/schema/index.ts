export * from './stores';
export * from './contacts';
export * from './commerce';
export * from './messages';
export * from './store-settings';
export * from './journeys';
export * from './deliverability';
export * from './engagement';
