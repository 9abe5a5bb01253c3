export * from './stores';
export * from './contacts';
export * from './commerce';
