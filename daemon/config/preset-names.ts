// Moved with the schema to common/config/ (the hub checks pushed configs by the same rules).
export * from '../../common/config/preset-names.js';
